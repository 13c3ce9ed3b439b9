#!/usr/bin/env bash
# Starts (or finds) the MongoDB-compatible server and Redis, then prints where they are.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
ensure_services
echo "MONGODB_URI=$MONGODB_URI"
echo "REDIS_URL=$REDIS_URL"
