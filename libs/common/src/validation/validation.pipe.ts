import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { findOperatorKey, flattenValidationErrors, OPERATOR_KEY_MESSAGE, validationFailed } from './validation-errors.js';

/**
 * The global pipe: whitelist + forbidNonWhitelisted + transform, a 400 that lists every offending
 * field, and a refusal of MongoDB operator keys (`$gt`, dotted paths) anywhere in a body or query, so
 * no request value can become a query operator even where a DTO is loose.
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const bad = findOperatorKey(value);
      if (bad) throw validationFailed({ [bad]: [OPERATOR_KEY_MESSAGE] });
    }
    return super.transform(value, metadata);
  }
}
