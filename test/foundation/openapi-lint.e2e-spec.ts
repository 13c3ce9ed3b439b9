import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer: string }>;
}

describe('docs/openapi.json', () => {
  it("passes Redocly's recommended rules with no error", async () => {
    const root = new URL('../../', import.meta.url);
    // --format=json exits 1 on errors; the report is on stdout either way.
    const { stdout } = await run('node_modules/.bin/redocly', ['lint', 'docs/openapi.json', '--config', 'redocly.yaml', '--format=json'], {
      cwd: root,
    }).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
    const line = (p: LintProblem): string => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`;
    // Warnings are advice (e.g. no-ambiguous-paths); errors are what breaks a client generator.
    expect(report.problems.filter((p) => p.severity === 'error').map(line)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });
});
