import { BadRequestException, type ValidationError } from '@nestjs/common';

/** The one 400 for bad input, HTTP and socket alike: `validation_failed` with every offending field. */
export function validationFailed(fields: Record<string, string[]>): BadRequestException {
  return new BadRequestException({
    code: 'validation_failed',
    message: Object.entries(fields).flatMap(([field, msgs]) => msgs.map((m) => `${field}: ${m}`)),
    fields,
  });
}

/** class-validator errors as `{ 'nested.path': [messages] }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.values(e.constraints);
    if (e.children?.length) Object.assign(out, flattenValidationErrors(e.children, path));
  }
  return out;
}

export const OPERATOR_KEY_MESSAGE = 'keys starting with $ or containing . are not allowed';

/** The path of the first key that MongoDB would read as an operator or a dotted path, or null. */
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
