import { describe, expect, it } from 'vitest';
import { originAllowed } from './redis-io.adapter.js';

describe('originAllowed', () => {
  it('lets native clients (no Origin) and listed origins in, and refuses other web pages', () => {
    expect(originAllowed(undefined, ['https://app.example'])).toBe(true);
    expect(originAllowed('https://app.example', ['https://app.example'])).toBe(true);
    expect(originAllowed('https://evil.example', ['https://app.example'])).toBe(false);
    expect(originAllowed('https://evil.example', true)).toBe(true);
  });
});
