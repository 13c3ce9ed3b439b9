import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IdentifierType } from '../../users/index.js';
import { OtpDelivery, type OtpMessage } from './otp-delivery.js';
import { mask, OtpSender } from './otp-sender.js';

class FlakyDelivery extends OtpDelivery {
  readonly name = 'flaky';
  sent: OtpMessage[] = [];
  constructor(private failures: number) {
    super();
  }
  supports(type: IdentifierType): boolean {
    return type === 'email';
  }
  send(message: OtpMessage): Promise<void> {
    if (this.failures-- > 0) return Promise.reject(new Error(`SMTP 451 while sending ${message.code} to ${message.to.value}`));
    this.sent.push(message);
    return Promise.resolve();
  }
}

const message: OtpMessage = { to: { type: 'email', value: 'ada@example.com' }, code: '042917', ttlMinutes: 5 };

describe('OtpSender', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('picks the first delivery that reaches the channel, or none', () => {
    const sender = new OtpSender([new FlakyDelivery(0)]);
    expect(sender.deliveryFor('email')?.name).toBe('flaky');
    expect(sender.deliveryFor('phone')).toBeNull();
  });

  it('retries failed sends and never logs the code', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    vi.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => void lines.push(JSON.stringify(args)));
    vi.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void lines.push(JSON.stringify(args)));
    const delivery = new FlakyDelivery(2);
    const sender = new OtpSender([delivery]);
    sender.sendInBackground(delivery, message);
    await vi.runAllTimersAsync();
    await sender.onApplicationShutdown();
    expect(delivery.sent).toHaveLength(1);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('042917');
      expect(line).not.toContain('ada@example.com');
    }
  });

  it('gives up after three attempts with an error log', async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const delivery = new FlakyDelivery(10);
    const sender = new OtpSender([delivery]);
    sender.sendInBackground(delivery, message);
    await vi.runAllTimersAsync();
    expect(delivery.sent).toHaveLength(0);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it('masks recipients in logs', () => {
    expect(mask('ada@example.com')).toBe('a***@example.com');
    expect(mask('+447400123456')).toBe('+447***56');
  });
});
