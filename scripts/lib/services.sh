# shellcheck shell=bash
# Sourced by scripts/dev.sh, scripts/test.sh and scripts/services.sh. `ensure_services` makes sure a
# MongoDB-compatible server and Redis answer, starting them when they do not, and exports MONGODB_URI
# and REDIS_URL pointing at them. Idempotent: a second call with everything up takes well under a second.

FERRETDB_VERSION=v1.24.2
FERRETDB_MODULE=github.com/FerretDB/FerretDB
ROOT_DIR=${ROOT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOOLS_DIR="$ROOT_DIR/.tools"
FERRETDB_DIR="$TOOLS_DIR/ferretdb"
FERRETDB_PATCH="$ROOT_DIR/tools/ferretdb/ferretdb-1.24.2.patch"

fail() {
  echo "services: $*" >&2
  return 1
}

ping_uri() { # ping_uri mongo|redis URI -> exit 0 when the server answers
  node "$ROOT_DIR/scripts/ping.mjs" "$1" "$2" >/dev/null 2>&1
}

ferretdb_binary() {
  local sum
  sum=$(sha256sum "$FERRETDB_PATCH" | cut -c1-12)
  echo "$FERRETDB_DIR/ferretdb-$FERRETDB_VERSION-$sum"
}

build_ferretdb() {
  local bin=$1 src dir
  command -v go >/dev/null || fail "Go is needed to build FerretDB (install Go 1.22+, or set MONGODB_URI to a running MongoDB)" || return 1
  echo "services: building FerretDB $FERRETDB_VERSION with tools/ferretdb patch (first time only, ~1-2 min)"
  dir=$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})') ||
    fail "could not download $FERRETDB_MODULE@$FERRETDB_VERSION from the Go module proxy" || return 1
  src="$FERRETDB_DIR/src"
  rm -rf "$src" && mkdir -p "$FERRETDB_DIR" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  # The module zip lacks the generated version file and the binary panics at start without it.
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  # Its own repository, so `git apply` does not resolve paths against an enclosing checkout.
  (cd "$src" && git init -q && git apply --verbose "$FERRETDB_PATCH" >/dev/null 2>&1) &&
    grep -q lockWrite "$src/internal/handler/msg_update.go" || fail "the FerretDB patch did not apply" || return 1
  (cd "$src" && go build -o "$bin.tmp" ./cmd/ferretdb) || fail "go build of FerretDB failed (see above)" || return 1
  mv "$bin.tmp" "$bin"
}

# The binary of the current patch, built when missing, also when another FerretDB already answers on
# the port: the fault suites (test/reliability/own-services.ts) start FerretDBs of their own from it.
ensure_ferretdb_binary() {
  local bin
  bin=$(ferretdb_binary)
  [ -x "$bin" ] || build_ferretdb "$bin"
}

postgres_available() {
  command -v psql >/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1
}

start_ferretdb() {
  local port=$1 bin backend args
  bin=$(ferretdb_binary)
  [ -x "$bin" ] || build_ferretdb "$bin" || return 1
  backend=${FERRETDB_BACKEND:-postgresql}
  if [ "$backend" = postgresql ] && ! postgres_available; then
    echo "services: PostgreSQL on 127.0.0.1:5432 does not answer; FerretDB falls back to its SQLite backend"
    backend=sqlite
  fi
  args=(--listen-addr="127.0.0.1:$port" --debug-addr="127.0.0.1:$((port + 10000))" --telemetry=disable
    --log-level=WARN --state-dir="$FERRETDB_DIR")
  if [ "$backend" = postgresql ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname='ferretdb'" | grep -q 1 ||
      psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database ferretdb' >/dev/null
    args+=(--handler=postgresql --postgresql-url="postgres://postgres@127.0.0.1:5432/ferretdb")
  else
    mkdir -p "$FERRETDB_DIR/data"
    args+=(--handler=sqlite --sqlite-url="file:$FERRETDB_DIR/data/")
  fi
  echo "services: starting FerretDB $FERRETDB_VERSION ($backend backend) on 127.0.0.1:$port"
  setsid nohup "$bin" "${args[@]}" >>"$FERRETDB_DIR/ferretdb.log" 2>&1 </dev/null &
  echo $! >"$FERRETDB_DIR/ferretdb.pid"
}

ensure_mongo() {
  local port=${FERRETDB_PORT:-27017} db
  if [ -n "${MONGODB_URI:-}" ] && ping_uri mongo "$MONGODB_URI"; then
    echo "services: MongoDB-compatible server answers at MONGODB_URI"
    return 0
  fi
  db=$(node -e 'const u=process.argv[1]; try { const p=new URL(u).pathname.slice(1); console.log(p||"messaging") } catch { console.log("messaging") }' "${MONGODB_URI:-}")
  export MONGODB_URI="mongodb://127.0.0.1:$port/$db"
  ping_uri mongo "$MONGODB_URI" && { echo "services: FerretDB already answers on 127.0.0.1:$port"; return 0; }
  start_ferretdb "$port" || return 1
  for _ in $(seq 1 60); do
    ping_uri mongo "$MONGODB_URI" && return 0
    sleep 0.5
  done
  tail -n 20 "$FERRETDB_DIR/ferretdb.log" >&2
  fail "FerretDB did not answer ping on 127.0.0.1:$port within 30 s (log above: $FERRETDB_DIR/ferretdb.log)"
}

ensure_redis() {
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
  if ping_uri redis "$REDIS_URL"; then
    echo "services: Redis answers at REDIS_URL"
    return 0
  fi
  local port
  port=$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$REDIS_URL")
  if ! command -v redis-server >/dev/null; then
    echo "services: installing Debian's redis-server"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; } ||
      fail "redis-server is missing and could not be installed (run as root: apt-get install redis-server)" || return 1
  fi
  echo "services: starting redis-server on 127.0.0.1:$port"
  mkdir -p "$TOOLS_DIR/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$TOOLS_DIR/redis" --logfile "$TOOLS_DIR/redis/redis.log" ||
    fail "redis-server did not start (see $TOOLS_DIR/redis/redis.log)" || return 1
  for _ in $(seq 1 20); do
    ping_uri redis "$REDIS_URL" && return 0
    sleep 0.25
  done
  fail "Redis did not answer on 127.0.0.1:$port (see $TOOLS_DIR/redis/redis.log)"
}

ensure_node_modules() {
  # node@24 (a devDependency) puts Node 24 first on PATH for npm scripts. Installed when missing or
  # when the lockfile's content changed since the last install (a hash, not file times: a checkout or
  # merge gives the lockfile a fresh mtime without changing it).
  local want have stamp="$ROOT_DIR/node_modules/.lockfile-sha256"
  want=$(sha256sum "$ROOT_DIR/package-lock.json" | cut -c1-64)
  have=$(cat "$stamp" 2>/dev/null || true)
  if [ ! -x "$ROOT_DIR/node_modules/.bin/node" ] || [ "$want" != "$have" ]; then
    echo "services: installing npm dependencies (npm ci)"
    (cd "$ROOT_DIR" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed" || return 1
    echo "$want" >"$stamp"
  fi
  export PATH="$ROOT_DIR/node_modules/.bin:$PATH"
  node "$ROOT_DIR/scripts/check-node.mjs"
}

ensure_services() {
  ensure_node_modules && ensure_mongo && ensure_redis
}

# ensure_apt_tools <binary>:<debian package> ...: installs, in one apt-get run, the packages of the binaries
# not on PATH (as root, or through passwordless sudo). Idempotent and fast: nothing runs when all are there.
ensure_apt_tools() {
  local spec bin pkg sudo="" missing=()
  for spec in "$@"; do
    bin=${spec%%:*}
    pkg=${spec#*:}
    command -v "$bin" >/dev/null 2>&1 && continue
    [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || fail "missing ${missing[*]}; install them as root: apt-get install ${missing[*]}" || return 1
    sudo="sudo -n"
  fi
  echo "services: installing Debian packages ${missing[*]}"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
    fail "could not install ${missing[*]} (run as root: apt-get install ${missing[*]})"
}

# The external programs the tests drive: media processing (ffmpeg, pdftoppm), the WebRTC call tests'
# browser (chromium) and TURN server (coturn's turnserver).
ensure_test_tools() {
  ensure_apt_tools ffmpeg:ffmpeg pdftoppm:poppler-utils chromium:chromium turnserver:coturn
}
