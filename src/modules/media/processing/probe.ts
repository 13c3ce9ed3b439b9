import { inputArgs } from './ffmpeg-args.js';
import { runTool, ToolFailure, type ToolOptions } from './run-tool.js';

export interface ProbeResult {
  durationMs: number | null;
  video: { width: number; height: number } | null;
  hasAudio: boolean;
}

interface FfprobeJson {
  format?: { duration?: string };
  streams?: { codec_type?: string; width?: number; height?: number }[];
}

/** Streams and duration, as ffprobe reads them with the same input restrictions as ffmpeg. */
export async function probe(path: string, demuxer: string, options: ToolOptions): Promise<ProbeResult> {
  const out = await runTool(
    'ffprobe',
    [
      '-hide_banner',
      '-v',
      'error',
      ...inputArgs(path, demuxer),
      '-show_entries',
      'format=duration:stream=codec_type,width,height',
      '-of',
      'json',
    ],
    options,
  );
  let json: FfprobeJson;
  try {
    json = JSON.parse(out.toString()) as FfprobeJson;
  } catch {
    throw new ToolFailure('undecodable', 'ffprobe printed no JSON');
  }
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && s.width && s.height);
  const duration = Number(json.format?.duration);
  return {
    durationMs: Number.isFinite(duration) && duration > 0 ? Math.round(duration * 1000) : null,
    video: video ? { width: video.width!, height: video.height! } : null,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}
