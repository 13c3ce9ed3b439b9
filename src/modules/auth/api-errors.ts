import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

/** Swagger: one documented error response with the body a client receives, for each code it may carry. */
export function ApiError(
  status: number,
  description: string,
  examples: Array<[code: string, message: string, extra?: object]>,
): MethodDecorator & ClassDecorator {
  const error = STATUS_CODES[status] ?? 'Error';
  return ApiResponse({
    status,
    description,
    content: {
      'application/json': {
        examples: Object.fromEntries(
          examples.map(([code, message, extra]) => [
            code,
            { value: { statusCode: status, error, message, code, ...extra, requestId: 'b5d1c7e2-4c1f-4d7a-9d55-2f1c9e0a7b13' } },
          ]),
        ),
      },
    },
  });
}

export const ApiUnauthorized = (): MethodDecorator & ClassDecorator =>
  ApiError(401, 'Missing, invalid or expired access token, or a revoked session', [
    ['unauthorized', 'A bearer access token is required'],
    ['token_expired', 'The access token has expired'],
    ['session_revoked', 'This session has been revoked'],
  ]);

export const ApiValidation = (): MethodDecorator & ClassDecorator =>
  ApiError(400, 'Malformed body: every offending field is listed', [
    ['validation_failed', 'identifier: identifier must be a string', { fields: { identifier: ['identifier must be a string'] } }],
    ['invalid_identifier', 'identifier: not a valid phone number for GB', { fields: { identifier: ['not a valid phone number for GB'] } }],
  ]);
