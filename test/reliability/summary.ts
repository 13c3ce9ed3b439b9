import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where each scenario appends its row; scripts/test-summary.mjs prints them as a table (npm test wipes the folder first). */
export const SCENARIO_FILE = join(fileURLToPath(new URL('../../', import.meta.url)), '.tools/vitest/scenarios.jsonl');

export interface ScenarioCounts {
  sent: number;
  acked: number;
  lost: number;
  duplicated: number;
  /** Anything else worth a column, e.g. "429s: 12" or "reference: test/qr". */
  note?: string;
}

/**
 * Runs one fault or security scenario and records its counts with pass/fail, so the run ends with a
 * table of what was sent, acked, lost and duplicated per scenario. Failures are rethrown.
 */
export async function scenario(name: string, run: (counts: ScenarioCounts) => Promise<void>): Promise<void> {
  const counts: ScenarioCounts = { sent: 0, acked: 0, lost: 0, duplicated: 0 };
  let result = 'fail';
  try {
    await run(counts);
    result = 'pass';
  } finally {
    mkdirSync(join(SCENARIO_FILE, '..'), { recursive: true });
    appendFileSync(SCENARIO_FILE, `${JSON.stringify({ scenario: name, ...counts, result })}\n`);
  }
}
