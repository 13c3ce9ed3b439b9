import { join } from 'node:path';
import { FFMPEG_BASE, inputArgs } from './ffmpeg-args.js';
import { probe } from './probe.js';
import { thumbhashOf } from './placeholder.js';
import { runTool, ToolFailure, type ToolOptions } from './run-tool.js';
import { waveformOf } from './waveform.js';

export interface VideoOutput {
  mainPath: string;
  posterPath: string;
  width: number;
  height: number;
  durationMs: number | null;
  placeholder: string;
}

/** H.264/AAC MP4 with the index up front (faststart: plays while downloading), height capped, plus a poster frame. */
export async function processVideo(
  input: string,
  demuxer: string,
  maxHeight: number,
  dir: string,
  tool: ToolOptions,
): Promise<VideoOutput> {
  const probed = await probe(input, demuxer, tool);
  if (!probed.video) throw new ToolFailure('undecodable', 'no video stream');
  const mainPath = join(dir, 'main.mp4');
  const posterPath = join(dir, 'poster.jpg');
  await runTool(
    'ffmpeg',
    [
      ...FFMPEG_BASE,
      ...inputArgs(input, demuxer),
      ...['-map', '0:v:0', '-map', '0:a:0?'],
      // Even dimensions (yuv420p), never upscaled; ffmpeg applies the rotation tag before scaling.
      ...['-vf', `scale=-2:'trunc(min(ih,${maxHeight})/2)*2',format=yuv420p`],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-profile:v', 'high'],
      ...['-c:a', 'aac', '-b:a', '96k', '-ac', '2'],
      ...['-map_metadata', '-1', '-map_chapters', '-1', '-movflags', '+faststart', '-f', 'mp4', `file:${mainPath}`],
    ],
    tool,
  );
  await runTool(
    'ffmpeg',
    [...FFMPEG_BASE, ...inputArgs(mainPath, 'mov'), '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', `file:${posterPath}`],
    tool,
  );
  const out = await probe(mainPath, 'mov', tool);
  if (!out.video) throw new ToolFailure('undecodable', 'transcode produced no video');
  return { mainPath, posterPath, ...out.video, durationMs: out.durationMs, placeholder: await thumbhashOf(posterPath) };
}

export interface AudioOutput {
  mainPath: string;
  contentType: string;
  ext: string;
  durationMs: number | null;
  waveform: number[] | null;
}

// 8 kHz mono 16-bit PCM is 16 kB/s: this bounds a waveform decode to about half an hour.
const MAX_PCM_BYTES = 32 * 1024 * 1024;
const PCM_RATE = 8000;

/** A voice note: Opus in Ogg, mono, ~28 kbit/s (what WhatsApp sends), and its waveform and duration from the decoded samples. */
export async function processVoice(input: string, demuxer: string, dir: string, tool: ToolOptions): Promise<AudioOutput> {
  const mainPath = join(dir, 'main.ogg');
  await runTool(
    'ffmpeg',
    [
      ...FFMPEG_BASE,
      ...inputArgs(input, demuxer),
      ...['-map', '0:a:0', '-vn', '-ac', '1', '-ar', '48000'],
      ...['-c:a', 'libopus', '-b:a', '28k', '-vbr', 'on', '-application', 'voip'],
      ...['-map_metadata', '-1', '-f', 'ogg', `file:${mainPath}`],
    ],
    tool,
  );
  const pcm = await runTool(
    'ffmpeg',
    [...FFMPEG_BASE, ...inputArgs(mainPath, 'ogg'), '-map', '0:a:0', '-ac', '1', '-ar', String(PCM_RATE), '-f', 's16le', 'pipe:1'],
    { ...tool, maxStdoutBytes: MAX_PCM_BYTES },
  );
  if (pcm.length === 0) throw new ToolFailure('undecodable', 'no audio samples');
  return {
    mainPath,
    contentType: 'audio/ogg',
    ext: 'ogg',
    durationMs: Math.round((pcm.length / 2 / PCM_RATE) * 1000),
    waveform: waveformOf(pcm),
  };
}

/** Other audio (music, recordings): AAC in M4A. */
export async function processAudio(input: string, demuxer: string, dir: string, tool: ToolOptions): Promise<AudioOutput> {
  const mainPath = join(dir, 'main.m4a');
  await runTool(
    'ffmpeg',
    [
      ...FFMPEG_BASE,
      ...inputArgs(input, demuxer),
      ...['-map', '0:a:0', '-vn', '-c:a', 'aac', '-b:a', '128k'],
      ...['-map_metadata', '-1', '-movflags', '+faststart', '-f', 'ipod', `file:${mainPath}`],
    ],
    tool,
  );
  const out = await probe(mainPath, 'mov', tool);
  if (!out.hasAudio) throw new ToolFailure('undecodable', 'transcode produced no audio');
  return { mainPath, contentType: 'audio/mp4', ext: 'm4a', durationMs: out.durationMs, waveform: null };
}
