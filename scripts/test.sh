#!/usr/bin/env bash
# `npm test`: makes sure FerretDB and Redis run (starting them if not), builds the app (process tests
# run the compiled entries), runs every unit, integration and e2e test, and ends with one plain line
# "N passed, N failed". Extra arguments go to vitest (e.g. a file filter).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_services || exit 1
ensure_ferretdb_binary || exit 1
# Not fatal: only the suites that drive these programs need them (and fail naming what is missing).
ensure_test_tools || echo "services: some test tools are missing; the suites that need them will fail"
rm -rf .tools/vitest && mkdir -p .tools/vitest
nest build || exit 1
# The files that mostly wait (vitest.config.ts, project "sleepers") run in a second vitest process beside
# the rest: on 2 cores one process runs one file at a time, and they would add minutes of sleep.
vitest run --project sleepers --passWithNoTests --reporter=default --reporter=json \
  --outputFile.json=.tools/vitest/report-sleepers.json "$@" >.tools/vitest/sleepers.log 2>&1 &
sleepers=$!
trap 'kill $sleepers 2>/dev/null' EXIT # an interrupted run does not leave the lane running
vitest run --project suite --passWithNoTests --reporter=default --reporter=json --outputFile.json=.tools/vitest/report.json "$@"
status=$?
wait $sleepers || status=1
if ! grep -q 'No test files found' .tools/vitest/sleepers.log; then
  echo "--- the files that mostly wait (project sleepers, run beside the rest):"
  cat .tools/vitest/sleepers.log
fi
node scripts/test-summary.mjs .tools/vitest/report.json .tools/vitest/report-sleepers.json || status=1
exit $status
