import { createTransport, type Transporter } from 'nodemailer';
import type { IdentifierType } from '../../users/index.js';
import { OtpDelivery, type OtpMessage, otpText } from './otp-delivery.js';

/** Emailed codes through any SMTP server (SMTP_URL), sender MAIL_FROM. */
export class SmtpOtpDelivery extends OtpDelivery {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    this.transport = createTransport(url);
  }

  supports(type: IdentifierType): boolean {
    return type === 'email';
  }

  async send(message: OtpMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to.value,
      subject: `Your sign-in code: ${message.code}`,
      text: otpText(message),
    });
  }

  close(): void {
    this.transport.close();
  }
}
