import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs ffmpeg with `args` writing `out.<ext>` in a temporary folder; returns the bytes. */
export async function ffmpegFixture(args: string[], ext: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'media-fixture-'));
  try {
    const out = join(dir, `out.${ext}`);
    await run('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args, out]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An H.264/AAC MP4 of `seconds` of test pattern and a 440 Hz tone at width x height. */
export function testVideo(seconds = 2, width = 640, height = 480): Promise<Buffer> {
  return ffmpegFixture(
    [
      ...['-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=25:duration=${seconds}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
    ],
    'mp4',
  );
}

/** A WAV voice note: `silence` seconds of silence then `tone` seconds of 440 Hz, 48 kHz mono. */
export function silenceThenTone(silence = 1, tone = 1): Promise<Buffer> {
  return ffmpegFixture(
    [
      ...['-f', 'lavfi', '-i', `anullsrc=r=48000:cl=mono:d=${silence}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${tone}`],
      ...['-filter_complex', '[0:a][1:a]concat=n=2:v=0:a=1', '-ac', '1', '-c:a', 'pcm_s16le'],
    ],
    'wav',
  );
}

/** An MP3 of a 660 Hz tone. */
export function mp3Tone(seconds = 1.5): Promise<Buffer> {
  return ffmpegFixture(['-f', 'lavfi', '-i', `sine=frequency=660:duration=${seconds}`, '-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3');
}

/** A minimal hand-written PDF with `pages` pages (correct xref offsets, so poppler reads it strictly). */
export function handwrittenPdf(pages = 2): Buffer {
  const objects: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => `${3 + i * 2} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  for (let i = 0; i < pages; i++) {
    const content = `BT /F1 24 Tf 72 700 Td (Page ${i + 1}) Tj ET`;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${4 + i * 2} 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>`,
    );
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** An HLS playlist (text) that would make an unrestricted ffmpeg read `target` from the local disk. */
export function hlsPlaylistFor(target: string): Buffer {
  return Buffer.from(`#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile://${target}\n#EXT-X-ENDLIST\n`);
}
