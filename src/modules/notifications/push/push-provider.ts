import type { PushDeviceRecord, PushPlatform } from '../schemas/push-device.schema.js';
import type { PushContent } from './push-content.js';

/**
 * What a push service answered, in the terms the fan-out acts on: `gone` prunes that device (and only
 * it), `retry` is tried again with backoff (Retry-After honoured), `rejected` is dropped (not pruned).
 */
export type PushOutcome =
  | { status: 'delivered' }
  | { status: 'gone'; reason: string }
  | { status: 'retry'; reason: string; retryAfterMs: number | null }
  | { status: 'rejected'; reason: string };

export abstract class PushProvider {
  abstract readonly platforms: readonly PushPlatform[];
  /** False when its keys are unset: its devices are refused at registration and skipped in fan-out. */
  abstract readonly enabled: boolean;
  abstract send(device: PushDeviceRecord, content: PushContent): Promise<PushOutcome>;
}

/** Retry-After as seconds or an HTTP date (RFC 9110), in ms; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** 429 and 5xx are the push service's trouble, never the device's: retried, never pruned. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
