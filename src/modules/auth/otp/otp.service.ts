import { HttpStatus, Injectable } from '@nestjs/common';
import { AppError } from '@app/common';
import { AppConfig } from '../../../config/index.js';
import { type Identifier, normaliseIdentifier } from '../../users/index.js';
import { OtpSender } from '../delivery/otp-sender.js';
import { newOtpCode, otpHasher, sameHash } from './otp-code.js';
import { OtpRateLimiter } from './otp-rate-limiter.js';
import { type OtpPurpose, OtpStore } from './otp-store.js';

/** A 429 whose Retry-After header the controller sets. */
export class OtpRateLimited extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(HttpStatus.TOO_MANY_REQUESTS, code, message, { retryAfterSeconds });
  }
}

export function parseIdentifier(raw: string, country?: string): Identifier {
  const result = normaliseIdentifier(raw, country);
  if (!result.ok) {
    throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_identifier', `identifier: ${result.reason}`, {
      fields: { identifier: [result.reason] },
    });
  }
  return result.identifier;
}

const LIMIT_MESSAGES = {
  cooldown: ['otp_cooldown', 'A code was sent moments ago; wait before asking for another'],
  identifier: ['otp_rate_limited', 'Too many codes requested for this identifier; try again later'],
  ip: ['otp_rate_limited', 'Too many codes requested from this network; try again later'],
} as const;

/**
 * Request and verify one-time codes. Requesting never looks the identifier up, so the answer (body
 * and work done) is the same whether or not an account exists.
 */
@Injectable()
export class OtpService {
  private readonly hash: (identifier: string, code: string) => string;

  constructor(
    private readonly store: OtpStore,
    private readonly limiter: OtpRateLimiter,
    private readonly sender: OtpSender,
    private readonly config: AppConfig,
  ) {
    this.hash = otpHasher(config.jwtSecret);
  }

  async request(
    purpose: OtpPurpose,
    identifier: Identifier,
    ip: string,
  ): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
    const delivery = this.sender.deliveryFor(identifier.type);
    if (!delivery) {
      throw new AppError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'otp_channel_unavailable',
        `Codes cannot be sent to ${identifier.type === 'phone' ? 'phone numbers' : 'email addresses'} on this server; use ${identifier.type === 'phone' ? 'an email address' : 'a phone number'}`,
      );
    }
    const limit = await this.limiter.acquire(identifier.value, ip);
    if (!limit.ok) {
      const [code, message] = LIMIT_MESSAGES[limit.reason];
      throw new OtpRateLimited(code, message, Math.ceil(limit.retryAfterMs / 1000));
    }
    const { ttlSeconds, resendCooldownSeconds } = this.config.auth.otp;
    const code = newOtpCode();
    await this.store.put(purpose, identifier.value, this.hash(identifier.value, code), ttlSeconds);
    this.sender.sendInBackground(delivery, { to: identifier, code, ttlMinutes: Math.round(ttlSeconds / 60) });
    return { expiresInSeconds: ttlSeconds, resendAfterSeconds: resendCooldownSeconds };
  }

  /** Succeeds once per code; throws 401 with a code saying why otherwise. */
  async verify(purpose: OtpPurpose, identifier: Identifier, code: string): Promise<void> {
    const max = this.config.auth.otp.maxAttempts;
    const attempt = await this.store.reserveAttempt(purpose, identifier.value, max);
    switch (attempt.state) {
      case 'missing':
        throw refused('otp_not_found', 'No code was requested for this identifier (or it is long gone); request one');
      case 'used':
        throw refused('otp_used', 'This code was already used; request a new one');
      case 'burned':
      case 'exhausted':
        throw refused('otp_burned', 'Too many wrong codes; this code no longer works, request a new one');
      case 'live':
        break;
    }
    if (attempt.expiresAt <= Date.now()) throw refused('otp_expired', 'This code has expired; request a new one');
    const matches = sameHash(attempt.hash, this.hash(identifier.value, code));
    if (matches && (await this.store.consume(purpose, identifier.value, attempt.hash))) return;
    if (matches) throw refused('otp_used', 'This code was already used; request a new one');
    const attemptsLeft = Math.max(0, max - attempt.attempts);
    if (attemptsLeft === 0) await this.store.burn(purpose, identifier.value, attempt.hash);
    throw refused(
      'otp_invalid',
      attemptsLeft > 0 ? `Wrong code; ${attemptsLeft} attempt(s) left` : 'Wrong code; no attempts left, request a new code',
      { attemptsLeft },
    );
  }
}

const refused = (code: string, message: string, extra: Record<string, unknown> = {}): AppError =>
  new AppError(HttpStatus.UNAUTHORIZED, code, message, extra);
