import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The one error body every HTTP error has (AllExceptionsFilter renders it from ErrorBody): every error
 * response in docs/openapi.json references this schema, so a generated client has one error type.
 */
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found', description: 'The status text' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'User not found',
    description: 'What went wrong, for people; validation failures list one line per problem',
  })
  message!: string | string[];

  @ApiPropertyOptional({ example: 'user_not_found', description: 'Stable machine-readable reason; branch on this, not on message' })
  code?: string;

  @ApiPropertyOptional({
    example: 'b5d1c7e2-4c1f-4d7a-9d55-2f1c9e0a7b13',
    description: 'Correlates with the server logs (the X-Request-Id response header)',
  })
  requestId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'validation_failed: the problems by field path',
  })
  fields?: Record<string, string[]>;

  @ApiPropertyOptional({ type: 'integer', description: 'otp_invalid: wrong codes still accepted before the code burns' })
  attemptsLeft?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Rate limits: seconds until a retry can succeed (also the Retry-After header)' })
  retryAfterSeconds?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'not_ready: the state of each dependency' })
  details?: Record<string, unknown>;
}
