import { type ArgumentMetadata, BadRequestException, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';

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
      exceptionFactory: (errors) => validationFailed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if ((metadata.type as unknown) !== PAYLOAD) return value;
    const bad = findOperatorKey(value);
    if (bad) throw validationFailed({ [bad]: ['keys starting with $ or containing . are not allowed'] });
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

function validationFailed(fields: Record<string, string[]>): BadRequestException {
  return new BadRequestException({
    code: 'validation_failed',
    message: Object.entries(fields).flatMap(([field, msgs]) => msgs.map((m) => `${field}: ${m}`)),
    fields,
  });
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

export function findOperatorKey(value: unknown, path = '', depth = 0): string | null {
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.startsWith('$') || key.includes('.')) return here;
    const nested = findOperatorKey(child, here, depth + 1);
    if (nested) return nested;
  }
  return null;
}
