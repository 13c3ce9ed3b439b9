import twilio from 'twilio';
import type { IdentifierType } from '../../users/index.js';
import { OtpDelivery, type OtpMessage, otpText } from './otp-delivery.js';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** An E.164 sender number, or a Messaging Service SID (MG...). */
  from: string;
}

type TwilioClient = ReturnType<typeof twilio>;
type CreateParams = Parameters<TwilioClient['messages']['create']>[0];

/** The Messages API parameters for one code: pure, so it is unit-tested without a network. */
export function buildTwilioMessage(settings: Pick<TwilioSettings, 'from'>, message: OtpMessage): CreateParams {
  const sender = /^MG[0-9a-fA-F]{32}$/.test(settings.from) ? { messagingServiceSid: settings.from } : { from: settings.from };
  return { to: message.to.value, body: otpText(message), ...sender };
}

/** SMS through Twilio's Messages API. */
export class TwilioOtpDelivery extends OtpDelivery {
  readonly name = 'twilio';
  private readonly client: TwilioClient;

  /** `httpClient` lets tests capture the exact HTTP request instead of sending it. */
  constructor(
    private readonly settings: TwilioSettings,
    httpClient?: NonNullable<Parameters<typeof twilio>[2]>['httpClient'],
  ) {
    super();
    this.client = twilio(settings.accountSid, settings.authToken, { httpClient, autoRetry: true, maxRetries: 2 });
  }

  supports(type: IdentifierType): boolean {
    return type === 'phone';
  }

  async send(message: OtpMessage): Promise<void> {
    await this.client.messages.create(buildTwilioMessage(this.settings, message));
  }
}
