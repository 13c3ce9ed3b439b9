import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
};

/** Documents error responses in the global error shape, one example per stable code. */
export function ApiErrors(...errors: [status: number, code: string, message: string][]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, [string, string][]>();
  for (const [status, code, message] of errors) byStatus.set(status, [...(byStatus.get(status) ?? []), [code, message]]);
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({
        status,
        description: list.map(([code, message]) => `\`${code}\`: ${message}`).join('; '),
        content: {
          'application/json': {
            examples: Object.fromEntries(
              list.map(([code, message]) => [
                code,
                { value: { statusCode: status, error: REASONS[status], message, code, requestId: 'b1946ac9-2f5e-4a9c-9b0e-3d1c7f4b8a21' } },
              ]),
            ),
          },
        },
      }),
    ),
  );
}

export const UNAUTHORIZED: [number, string, string] = [401, 'unauthorized', 'Missing, invalid or expired access token'];
