import { describe, expect, it } from 'vitest';
import { inQuietHours, isHhmm, isValidTimeZone } from './quiet-hours.js';

describe('inQuietHours', () => {
  it('is inside a same-day window in the user time zone, end exclusive', () => {
    const q = { start: '09:00', end: '17:00', timeZone: 'Europe/Paris' };
    // 2026-01-15 is winter time: Paris = UTC+1.
    expect(inQuietHours(q, new Date('2026-01-15T08:00:00Z'))).toBe(true); // 09:00 Paris
    expect(inQuietHours(q, new Date('2026-01-15T07:59:00Z'))).toBe(false); // 08:59 Paris
    expect(inQuietHours(q, new Date('2026-01-15T16:00:00Z'))).toBe(false); // 17:00 Paris
  });

  it('crosses midnight when the end is before the start, and follows daylight saving', () => {
    const q = { start: '22:00', end: '07:00', timeZone: 'America/New_York' };
    expect(inQuietHours(q, new Date('2026-07-01T03:00:00Z'))).toBe(true); // 23:00 EDT
    expect(inQuietHours(q, new Date('2026-07-01T10:30:00Z'))).toBe(true); // 06:30 EDT
    expect(inQuietHours(q, new Date('2026-07-01T11:00:00Z'))).toBe(false); // 07:00 EDT
    expect(inQuietHours(q, new Date('2026-01-01T11:30:00Z'))).toBe(true); // 06:30 EST
  });

  it('is never quiet without a window or with an empty one', () => {
    expect(inQuietHours(null, new Date())).toBe(false);
    expect(inQuietHours({ start: '08:00', end: '08:00', timeZone: 'UTC' }, new Date('2026-01-01T08:00:00Z'))).toBe(false);
  });

  it('validates times and zones', () => {
    expect(isHhmm('23:59')).toBe(true);
    expect(isHhmm('24:00')).toBe(false);
    expect(isHhmm('7:00')).toBe(false);
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
