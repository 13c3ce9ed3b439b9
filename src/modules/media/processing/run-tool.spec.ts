import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool, ToolFailure } from './run-tool.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runTool', () => {
  it('returns stdout of a tool that succeeds', async () => {
    const out = await runTool('sh', ['-c', 'printf hello'], { signal: new AbortController().signal, timeoutMs: 5000 });
    expect(out.toString()).toBe('hello');
  });

  it('kills a tool that runs past its hard limit and says timeout', async () => {
    const started = runTool('sleep', ['30'], { signal: new AbortController().signal, timeoutMs: 300 });
    const err = (await started.catch((e: unknown) => e)) as ToolFailure;
    expect(err).toBeInstanceOf(ToolFailure);
    expect(err.reason).toBe('timeout');
  });

  it('kills a running tool when its signal aborts (shutdown, cancel)', async () => {
    const controller = new AbortController();
    const started = runTool('sleep', ['30'], { signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 100);
    const err = (await started.catch((e: unknown) => e)) as ToolFailure;
    expect(err.reason).toBe('aborted');
  });

  it('reports a failing tool as undecodable with its stderr, and refuses oversized output', async () => {
    const failed = (await runTool('sh', ['-c', 'echo bad input >&2; exit 3'], {
      signal: new AbortController().signal,
      timeoutMs: 5000,
    }).catch((e: unknown) => e)) as ToolFailure;
    expect(failed.reason).toBe('undecodable');
    expect(failed.detail).toContain('bad input');
    const flood = (await runTool('sh', ['-c', 'head -c 100000 /dev/zero'], {
      signal: new AbortController().signal,
      timeoutMs: 5000,
      maxStdoutBytes: 1000,
    }).catch((e: unknown) => e)) as ToolFailure;
    expect(flood.reason).toBe('output_too_large');
  });

  it('leaves no process behind after a timeout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-tool-'));
    try {
      const pidFile = join(dir, 'pid');
      const err = (await runTool('sh', ['-c', `echo $$ > ${pidFile}; exec sleep 30`], {
        signal: new AbortController().signal,
        timeoutMs: 300,
      }).catch((e: unknown) => e)) as ToolFailure;
      expect(err.reason).toBe('timeout');
      const pid = Number(await readFile(pidFile, 'utf8'));
      expect(pid).toBeGreaterThan(0);
      expect(alive(pid)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
