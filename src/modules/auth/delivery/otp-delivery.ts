import type { Identifier, IdentifierType } from '../../users/index.js';

/** The message a person receives: the code and how long it stays valid. */
export interface OtpMessage {
  to: Identifier;
  code: string;
  ttlMinutes: number;
}

/** One way of getting a code to a person (OTP_DELIVERY lists which are enabled, in order of preference). */
export abstract class OtpDelivery {
  abstract readonly name: string;
  abstract supports(type: IdentifierType): boolean;
  abstract send(message: OtpMessage): Promise<void>;
}

export const otpText = (m: OtpMessage): string =>
  `Your sign-in code is ${m.code}. It expires in ${m.ttlMinutes} minutes. Never share it with anyone.`;
