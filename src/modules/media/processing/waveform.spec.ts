import { describe, expect, it } from 'vitest';
import { WAVEFORM_BARS, waveformOf } from './waveform.js';

function pcm(values: number[]): Buffer {
  return Buffer.from(new Int16Array(values).buffer);
}

describe('waveformOf', () => {
  it('gives 64 bars, silence then loud as a step from 0 to 100', () => {
    const half = 8000;
    const tone = Array.from({ length: half }, (_, i) => Math.round(10_000 * Math.sin(i / 3)));
    const bars = waveformOf(pcm([...new Array<number>(half).fill(0), ...tone]));
    expect(bars).toHaveLength(WAVEFORM_BARS);
    expect(bars.slice(0, 31).every((b) => b === 0)).toBe(true);
    expect(bars.slice(33).every((b) => b >= 90)).toBe(true);
  });

  it('is flat for silence and for nothing at all', () => {
    expect(waveformOf(pcm(new Array<number>(1000).fill(0)))).toEqual(new Array<number>(64).fill(0));
    expect(waveformOf(Buffer.alloc(0))).toEqual(new Array<number>(64).fill(0));
  });

  it('stays within 0-100 for a very short note', () => {
    const bars = waveformOf(pcm([1000, -2000, 3000]));
    expect(bars).toHaveLength(64);
    expect(bars.every((b) => b >= 0 && b <= 100)).toBe(true);
  });
});
