export const WAVEFORM_BARS = 64;

/**
 * 64 bars 0-100 from mono 16-bit samples: the RMS of each of 64 equal slices, scaled so the loudest
 * slice is 100 (what WhatsApp and Signal clients draw; Matrix MSC3246 uses the same shape, 0-1024).
 * Silence stays 0; a note shorter than 64 samples repeats samples rather than inventing bars.
 */
export function waveformOf(pcm: Buffer): number[] {
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
  if (samples.length === 0) return new Array<number>(WAVEFORM_BARS).fill(0);
  const rms: number[] = [];
  for (let bar = 0; bar < WAVEFORM_BARS; bar++) {
    const start = Math.floor((bar * samples.length) / WAVEFORM_BARS);
    const end = Math.max(start + 1, Math.floor(((bar + 1) * samples.length) / WAVEFORM_BARS));
    let sum = 0;
    for (let i = start; i < end; i++) sum += samples[Math.min(i, samples.length - 1)] ** 2;
    rms.push(Math.sqrt(sum / (end - start)));
  }
  const loudest = Math.max(...rms);
  // Below about -60 dBFS is noise floor, not speech: draw it flat.
  if (loudest < 32) return new Array<number>(WAVEFORM_BARS).fill(0);
  return rms.map((v) => Math.round((100 * v) / loudest));
}
