#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
export LOG_LEVEL=error
load_env_defaults .env.example
source scripts/lib/services.sh
ensure_services >/dev/null
nest build
node dist/scripts/write-openapi.js
