#!/usr/bin/env bash
# `npm start`: installs dependencies if needed, starts FerretDB and Redis if they are not running,
# builds, then runs the worker in the background and the api in the foreground (Ctrl-C stops both).
# Configuration: real environment variables win, then .env, then .env.example's local defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/env.sh
load_env_defaults .env
load_env_defaults .env.example
source scripts/lib/services.sh
ensure_services
# The worker transcodes media with ffmpeg and previews PDFs with pdftoppm.
ensure_apt_tools ffmpeg:ffmpeg pdftoppm:poppler-utils || echo "start: ffmpeg/pdftoppm missing: media processing will fail"
nest build
node dist/src/worker.js &
worker=$!
trap 'kill -TERM $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT
echo "start: api on http://127.0.0.1:${PORT:-3000} (Swagger UI /docs, health /health/ready, metrics /metrics, queues /admin/queues)"
node dist/src/main.js
