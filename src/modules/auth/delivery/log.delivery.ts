import { Logger } from '@nestjs/common';
import type { IdentifierType } from '../../users/index.js';
import { OtpDelivery, type OtpMessage } from './otp-delivery.js';

/**
 * Development: the code is printed in the log. Anywhere else the log only says a code was generated
 * (so a production deployment left on `log` boots, warns, and cannot sign anyone in until smtp/twilio is set).
 */
export class LogOtpDelivery extends OtpDelivery {
  readonly name = 'log';
  private readonly logger = new Logger('OtpDelivery');

  constructor(private readonly showCode: boolean) {
    super();
    if (!showCode) this.logger.warn('OTP_DELIVERY=log outside development: codes are not shown anywhere; configure smtp or twilio');
  }

  supports(): boolean {
    return true;
  }

  send({ to, code }: OtpMessage): Promise<void> {
    const type: IdentifierType = to.type;
    // The code goes into the message text (not a field, which pino would redact) in development only.
    this.logger.warn(
      this.showCode ? `sign-in code for ${to.value} (${type}): ${code}` : `sign-in code for ${to.value} (${type}) generated`,
    );
    return Promise.resolve();
  }
}
