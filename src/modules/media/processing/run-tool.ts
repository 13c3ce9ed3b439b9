import { spawn } from 'node:child_process';

export interface ToolOptions {
  /** Aborted on shutdown or cancel: the child is killed at once. */
  signal: AbortSignal;
  /** Hard limit: the child is killed with SIGKILL beyond it. */
  timeoutMs: number;
  /** Most stdout kept (raw PCM for waveforms); beyond it the child is killed. */
  maxStdoutBytes?: number;
}

/** A tool that failed: `reason` is what the media's failureReason says; stderr stays in the logs. */
export class ToolFailure extends Error {
  constructor(
    readonly reason: 'undecodable' | 'timeout' | 'aborted' | 'output_too_large',
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'ToolFailure';
  }
}

const STDERR_TAIL = 4096;

/**
 * Runs ffmpeg/ffprobe/pdftoppm with no shell (arguments never parsed), an abort signal and a hard
 * time limit, both ending in SIGKILL (a wedged decoder ignores SIGTERM). Resolves with stdout.
 */
export function runTool(command: string, args: readonly string[], options: ToolOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(new ToolFailure('aborted', `${command} not started`));
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
      killSignal: 'SIGKILL',
      timeout: options.timeoutMs,
    });
    const started = Date.now();
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let tooLarge = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > (options.maxStdoutBytes ?? 1_048_576)) {
        tooLarge = true;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    child.once('error', (err) => {
      if (options.signal.aborted) reject(new ToolFailure('aborted', `${command} aborted`));
      else reject(err);
    });
    child.once('close', (code, signal) => {
      // Checked first: a tool may exit 0 with its output cut short.
      if (tooLarge) return reject(new ToolFailure('output_too_large', `${command} wrote more than allowed`));
      if (code === 0) return resolve(Buffer.concat(chunks));
      if (options.signal.aborted) return reject(new ToolFailure('aborted', `${command} aborted`));
      if (signal === 'SIGKILL' && Date.now() - started >= options.timeoutMs - 50) {
        return reject(new ToolFailure('timeout', `${command} ran longer than ${options.timeoutMs} ms`));
      }
      reject(new ToolFailure('undecodable', `${command} exited ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}
