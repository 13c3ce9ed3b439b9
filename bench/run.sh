#!/usr/bin/env bash
# `npm run bench [-- --quick] [-- --scenarios=throughput,latency,idle,storm,reads]` (see bench/run.mjs).
# Makes sure Redis and PostgreSQL-backed FerretDB answer, then, unless BENCH_MONGODB_URI is given:
# starts a FerretDB of its own (the binary of the CURRENT tools/ferretdb patch, built when missing,
# on a free port, PostgreSQL backend, its own database, pinned to the server CPU) so the bench measures
# this checkout's datastore, not whatever binary already listens on 27017. BENCH_PG_POOL caps its
# PostgreSQL connections (pool_max_conns); measured 2026-12-01: with 10, a 10-update bulkWrite hangs on
# pool Acquire in the per-document-lock build, so the default leaves FerretDB's own pool size. Builds Centrifugo v6.9.1 into
# .tools/centrifugo when missing and compiles the api into .tools/bench-dist (not dist/, which test runs
# use at the same time).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
# Never installs packages itself (node_modules may be shared between checkouts): it only checks them.
[ -x node_modules/.bin/node ] || fail "node_modules is missing or incomplete: run npm ci first"
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/check-node.mjs
ensure_redis >/dev/null

CENTRIFUGO_VERSION=v6.9.1
if [ ! -x .tools/centrifugo/centrifugo ]; then
  echo "bench: building Centrifugo $CENTRIFUGO_VERSION into .tools/centrifugo (first time only)" >&2
  mkdir -p .tools/centrifugo
  GOBIN="$PWD/.tools/centrifugo" go install "github.com/centrifugal/centrifugo/v6@$CENTRIFUGO_VERSION"
fi

ferret_pid=""
ferret_db=""
cleanup() {
  [ -n "$ferret_pid" ] && kill "$ferret_pid" 2>/dev/null && wait "$ferret_pid" 2>/dev/null
  [ -n "$ferret_db" ] && psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $ferret_db" >/dev/null 2>&1
  return 0
}
trap cleanup EXIT
trap 'exit 143' INT TERM

if [ -n "${BENCH_MONGODB_URI:-}" ]; then
  export MONGODB_URI=$BENCH_MONGODB_URI
elif postgres_available; then
  bin=$(ferretdb_binary)
  [ -x "$bin" ] || build_ferretdb "$bin" >&2
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  ferret_db="ferretdb_bench_$$"
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $ferret_db" >/dev/null
  state=$(mktemp -d)
  pin=""
  command -v taskset >/dev/null && pin="taskset -c 1"
  $pin "$bin" --listen-addr="127.0.0.1:$port" --debug-addr="127.0.0.1:0" --telemetry=disable --log-level=ERROR \
    --state-dir="$state" --handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:5432/$ferret_db${BENCH_PG_POOL:+?pool_max_conns=$BENCH_PG_POOL}" \
    >"$state/ferretdb.log" 2>&1 &
  ferret_pid=$!
  export MONGODB_URI="mongodb://127.0.0.1:$port/bench"
  for _ in $(seq 1 60); do ping_uri mongo "$MONGODB_URI" && break; sleep 0.5; done
  ping_uri mongo "$MONGODB_URI" || { tail -20 "$state/ferretdb.log" >&2; fail "own FerretDB did not start"; }
  echo "bench: FerretDB $(basename "$bin") (PostgreSQL database $ferret_db) on 127.0.0.1:$port" >&2
  export BENCH_DATASTORE="FerretDB $(basename "$bin"), PostgreSQL backend"
else
  ensure_mongo >/dev/null
fi

[ "${BENCH_SKIP_BUILD:-}" = 1 ] || nest build --path bench/tsconfig.build.json >/dev/null
node bench/run.mjs "$@"
