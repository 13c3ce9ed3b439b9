// Prints vitest's JSON report as one plain line, "N passed, N failed[, N skipped]", so CI shows the
// count whatever the reporter prints. A test file that failed to load counts as one failure. Exits 1
// when no test ran at all.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let report;
try {
  report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error('no test report was written: the test run did not complete');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A file that failed without a failing test (it did not load, or a before/after hook threw) counts once.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// Written by test/support/openapi/validate-responses.setup.ts, one line per test file.
const checks = join(dirname(process.argv[2]), 'openapi-responses.jsonl');
if (existsSync(checks)) {
  const lines = readFileSync(checks, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const sum = (key) => lines.reduce((total, line) => total + (line[key] ?? 0), 0);
  console.log(`${sum('checked')} HTTP responses checked against docs/openapi.json, ${sum('drifted')} did not match`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(passed + failed === 0 ? 1 : 0);
