import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { findOperatorKey, flattenValidationErrors, OPERATOR_KEY_MESSAGE, validationFailed } from '@app/common';

// Nest's numeric param type of @MessageBody() (WsParamtype.PAYLOAD); the socket and custom params
// (@SocketUser) must never be validated: class-transformer would walk the whole Socket object.
const PAYLOAD = 3;

/**
 * Validates `@MessageBody()` payloads against their DTO class: whitelist + forbidNonWhitelisted +
 * transform, every offending field listed (`validation_failed`), and MongoDB operator keys (`$gt`,
 * dotted paths) refused anywhere in the payload, so no socket value can become a query operator.
 */
@Injectable()
export class SocketValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if ((metadata.type as unknown) !== PAYLOAD) return value;
    const bad = findOperatorKey(value);
    if (bad) throw validationFailed({ [bad]: [OPERATOR_KEY_MESSAGE] });
    // The app's global pipe may already have turned the payload into its DTO; validating twice is harmless
    // but wasteful.
    if (metadata.metatype && value instanceof metadata.metatype) return value;
    if (metadata.metatype && isDtoClass(metadata.metatype) && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validationFailed({ payload: ['must be an object'] });
    }
    return super.transform(value, metadata);
  }
}

function isDtoClass(metatype: unknown): boolean {
  return typeof metatype === 'function' && ![String, Boolean, Number, Array, Object, Buffer, Date].includes(metatype as never);
}
