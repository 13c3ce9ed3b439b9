import { BadRequestException, type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';

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
      exceptionFactory: (errors) => {
        const fields = flatten(errors);
        return new BadRequestException({
          code: 'validation_failed',
          message: Object.entries(fields).flatMap(([field, msgs]) => msgs.map((m) => `${field}: ${m}`)),
          fields,
        });
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const bad = findOperatorKey(value);
      if (bad) {
        throw new BadRequestException({
          code: 'validation_failed',
          message: [`${bad}: keys starting with $ or containing . are not allowed`],
          fields: { [bad]: ['keys starting with $ or containing . are not allowed'] },
        });
      }
    }
    return super.transform(value, metadata);
  }
}

function flatten(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.values(e.constraints);
    if (e.children?.length) Object.assign(out, flatten(e.children, path));
  }
  return out;
}

function findOperatorKey(value: unknown, path = '', depth = 0): string | null {
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.startsWith('$') || key.includes('.')) return here;
    const nested = findOperatorKey(child, here, depth + 1);
    if (nested) return nested;
  }
  return null;
}
