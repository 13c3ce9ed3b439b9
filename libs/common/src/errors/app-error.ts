import { HttpException, type HttpStatus } from '@nestjs/common';

/**
 * An HTTP error with a stable machine-readable `code` the app can branch on (e.g. `otp_expired`),
 * besides the human message. Rendered by AllExceptionsFilter; extra fields (e.g. attemptsLeft) go
 * into the body as they are.
 */
export class AppError extends HttpException {
  constructor(status: HttpStatus, code: string, message: string, extra: Record<string, unknown> = {}) {
    super({ ...extra, code, message }, status);
  }
}
