#!/usr/bin/env bash
# `npm run bench [-- --rates=250,500 --seconds=10 --pairs=20]`: FerretDB and Redis up (started if not),
# the api compiled into .tools/bench-dist (not dist/, which test runs use at the same time), then bench/run.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_services >/dev/null
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || nest build --path bench/tsconfig.build.json >/dev/null
node bench/run.mjs "$@"
