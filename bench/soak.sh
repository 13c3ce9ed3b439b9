#!/usr/bin/env bash
# `npm run soak [-- --minutes=30 --sockets=200 --rate=20]`: FerretDB and Redis up (started if not), the api
# and worker compiled into .tools/bench-dist, then bench/soak.mjs. Long: not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
ensure_services >/dev/null
[ "${BENCH_SKIP_BUILD:-}" = 1 ] || nest build --path bench/tsconfig.build.json >/dev/null
node bench/soak.mjs "$@"
