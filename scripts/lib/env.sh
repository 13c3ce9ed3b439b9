# shellcheck shell=bash
# load_env_defaults FILE: exports each KEY=VALUE of FILE that the environment does not already set,
# so real environment variables always win over files.
load_env_defaults() {
  local file=$1 line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    key=${line%%=*}
    value=${line#*=}
    [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [ -n "${!key+x}" ] && continue
    value=${value%\"}; value=${value#\"}
    export "$key=$value"
  done <"$file"
}
