// Prints vitest's JSON reports (the suite's, then the sleepers' run beside it; see scripts/test.sh) as one plain line, "N passed, N failed[, N skipped]", so CI shows the
// count whatever the reporter prints. A test file that failed to load counts as one failure. Exits 1
// when no test ran at all.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Matrix rows (issue 17) covered by suites that existed before test/reliability: their result is the
// result of those files in this run ("not run" when a filter left them out).
const REFERENCES = [
  ['OTP: brute force, 20 parallel verifies, reuse, expiry, same answers', ['test/auth/otp.e2e-spec.ts']],
  ['OTP: limits across two processes', ['test/auth/limits-two-processes.e2e-spec.ts']],
  ['QR: 50 concurrent redeems, expired, reused', ['test/qr/qr.e2e-spec.ts']],
  ['JWT: alg none, wrong key, expired, revoked, refresh reuse, socket dropped on logout', ['test/auth/sessions.e2e-spec.ts']],
  ['worker SIGTERM mid-backlog: no stalled job, rest completed', ['test/foundation/processes.e2e-spec.ts']],
];

const reports = [];
for (const file of process.argv.slice(2)) {
  try {
    reports.push(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    console.log('0 passed, 1 failed');
    console.error(`no test report at ${file}: the test run did not complete`);
    process.exit(1);
  }
}
const total = (key) => reports.reduce((n, r) => n + (r[key] ?? 0), 0);
const report = {
  numPassedTests: total('numPassedTests'),
  numFailedTests: total('numFailedTests'),
  numPendingTests: total('numPendingTests'),
  numTodoTests: total('numTodoTests'),
  testResults: reports.flatMap((r) => r.testResults ?? []),
};
const passed = report.numPassedTests ?? 0;
// A file that failed without a failing test (it did not load, or a before/after hook threw) counts once.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
printScenarioTable(join(dirname(process.argv[2]), 'scenarios.jsonl'), report);
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

/**
 * The fault and security scenarios (test/reliability, test/security) append one JSON line each to
 * scenarios.jsonl next to the report: printed as one table of sent / acked / lost / duplicated / result.
 */
function printScenarioTable(file, report) {
  const rows = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  rows.push(...referencedRows(report));
  if (rows.length === 0) return;
  const header = ['scenario', 'sent', 'acked', 'lost', 'duplicated', 'result', 'note'];
  const cells = rows.map((r) => [r.scenario, r.sent, r.acked, r.lost, r.duplicated, r.result, r.note ?? ''].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => v.padEnd(widths[i])).join(' | ');
  console.log(`\nScenarios (${rows.length}, ${rows.filter((r) => r.result === 'fail').length} failed):`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
  console.log('');
}

function referencedRows(report) {
  const files = report.testResults ?? [];
  return REFERENCES.map(([scenario, paths]) => {
    const found = paths.map((p) => files.find((f) => (f.name ?? '').endsWith(p)));
    const result = found.some((f) => !f) ? 'not run' : found.every((f) => f.status === 'passed') ? 'pass' : 'fail';
    return { scenario, sent: '-', acked: '-', lost: '-', duplicated: '-', result, note: `reference: ${paths.join(', ')}` };
  });
}
