/**
 * The input side of every ffmpeg/ffprobe run: the demuxer is forced (never guessed from the content
 * or the name: an HLS playlist or a concat list in a file named `.mp4` would otherwise be followed)
 * and only the `file` and `pipe` protocols exist (no http, no tcp, no crypto/data tricks); `file`
 * then reaches only what the demuxer itself opens, and the forced demuxers open only their input.
 */
export function inputArgs(path: string, demuxer: string): string[] {
  return ['-protocol_whitelist', 'file,pipe', '-f', demuxer, '-i', `file:${path}`];
}

export const FFMPEG_BASE = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
