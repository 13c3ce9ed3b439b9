import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorBodyDto } from './error-body.dto.js';

const EXAMPLE_REQUEST_ID = 'b5d1c7e2-4c1f-4d7a-9d55-2f1c9e0a7b13';

/** The body a client receives for an error, as a Swagger example: the shape AllExceptionsFilter renders. */
function errorBody(status: number, code: string, message: string | string[], extra: object = {}): object {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, code, ...extra, requestId: EXAMPLE_REQUEST_ID };
}

/** The reference to the one error-body schema (every error response uses it). */
export const errorBodySchema = (): { $ref: string } => ({ $ref: getSchemaPath(ErrorBodyDto) });

/** `{ description, content }` for Nest's `@ApiXxxResponse(...)` decorators: the error body schema and an example. */
export function errorExample(status: number, code: string, message: string | string[], description?: string) {
  return {
    ...(description ? { description } : {}),
    content: { 'application/json': { schema: errorBodySchema(), example: errorBody(status, code, message) } },
  };
}

/** Swagger: one documented error response with the body a client receives, for each code it may carry. */
export function ApiError(
  status: number,
  description: string,
  examples: Array<[code: string, message: string, extra?: object]>,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto),
    ApiResponse({
      status,
      description,
      content: {
        'application/json': {
          schema: errorBodySchema(),
          examples: Object.fromEntries(
            examples.map(([code, message, extra]) => [code, { value: errorBody(status, code, message, extra) }]),
          ),
        },
      },
    }),
  );
}

/** Several error responses from `[status, code, message]` rows, grouped by status (description lists the codes). */
export function ApiErrors(...errors: Array<[status: number, code: string, message: string]>): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, Array<[string, string]>>();
  for (const [status, code, message] of errors) byStatus.set(status, [...(byStatus.get(status) ?? []), [code, message]]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) => ApiError(status, list.map(([code, message]) => `\`${code}\`: ${message}`).join('; '), list)),
  );
}

/** The 401 of every guarded route. */
export const ApiUnauthorized = (): MethodDecorator & ClassDecorator =>
  ApiError(401, 'Missing, invalid or expired access token, or a revoked session', [
    ['unauthorized', 'A bearer access token is required'],
    ['token_expired', 'The access token has expired'],
    ['session_revoked', 'This session has been revoked'],
  ]);
