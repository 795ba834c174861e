#!/usr/bin/env bash
# Load test of the foundation's HTTP paths with wrk (Debian package `wrk`), all against one
# release server in one run, so the figures can be compared side by side.
#
#   scripts/bench-http.sh [DURATION] [CONNECTIONS]     (defaults: 10s 32)
#
# Loopback only; the run is bounded by DURATION per path. The server runs `ocop demo` on a
# temporary SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
connections="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release -q
dir="$(mktemp -d)"
port=18181
bin=./target/release/ocop
export OCOP_DATABASE_URL="sqlite://$dir/bench.db" OCOP_KEY_FILE="$dir/keys.json" OCOP_LOG=warn
"$bin" demo --listen "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
token="$("$bin" token create --email admin@quangninh.ocop.demo)"

echo "ocop $(git rev-parse --short HEAD 2>/dev/null || echo '?') · $(nproc) cores · wrk -t2 -c$connections -d$duration · $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-36s | %10s | %8s | %8s |\n' "request" "req/s" "p50" "p99"
printf '|%s|%s|%s|%s|\n' "--------------------------------------" "------------" "----------" "----------"
run() {
  local label="$1"; shift
  local out
  out="$(wrk -t2 -c"$connections" -d"$duration" --latency "$@")"
  local rps p50 p99
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  if grep -q "Non-2xx" <<<"$out"; then label="$label (non-2xx!)"; fi
  printf '| %-36s | %10s | %8s | %8s |\n' "$label" "$rps" "$p50" "$p99"
}
base="http://127.0.0.1:$port"
run "GET /healthz" "$base/healthz"
run "GET /api/v1/localities?parent=22" "$base/api/v1/localities?parent=22"
run "GET /api/v1/me (bearer token)" -H "Authorization: Bearer $token" "$base/api/v1/me"
run "GET /sign-in (HTML)" "$base/sign-in"
