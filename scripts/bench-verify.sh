#!/usr/bin/env bash
# Load test of stamp verification against GET /healthz on the same server in the same run
# (wrk on loopback, Debian package `wrk`), on SQLite:
#  1. /healthz; the verify JSON API and the consumer page over 500 genuine codes of the demo;
#  2. the same JSON API over 1,000 codes from the middle of a 10,000,000-stamp batch issued
#     afterwards (latency should not depend on how many stamps exist);
#  3. the count of recorded scans against the count of answered requests.
#
#   scripts/bench-verify.sh [DURATION] [CONNECTIONS]     (defaults: 10s 32)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
connections="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }

cargo build --release -q
dir="$(mktemp -d)"
port=18383
bin=./target/release/ocop
export OCOP_DATABASE_URL="sqlite://$dir/bench.db" OCOP_KEY_FILE="$dir/keys.json" OCOP_LOG=warn
"$bin" demo --listen "127.0.0.1:$port" --rate-limit-per-minute 0 >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
token="$("$bin" token create --email admin@quangninh.ocop.demo)"
api() { curl -fsS -H "Authorization: Bearer $token" -H 'content-type: application/json' "$@"; }

# 500 genuine codes: the demo's first batch, lot L-2026-10.
api "$base/api/v1/stamp-batches/1/export?format=csv&from=1&to=500" | tail -n +2 | cut -d, -f2 >"$dir/codes-demo.txt"

echo "ocop $(git rev-parse --short HEAD 2>/dev/null || echo '?') · $(nproc) cores · wrk -t2 -c$connections -d$duration · $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-52s | %10s | %8s | %8s | %8s |\n' "request" "req/s" "vs healthz" "p50" "p99"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------------------------" "------------" "----------" "----------" "----------"
answered=0
healthz=""
run() {
  local label="$1" counts="$2"; shift 2
  local out rps p50 p99 n ratio
  out="$(wrk -t2 -c"$connections" -d"$duration" --latency "$@")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  if grep -q "Non-2xx" <<<"$out"; then label="$label (non-2xx!)"; fi
  [ "$counts" = scans ] && answered=$((answered + n))
  [ -z "$healthz" ] && healthz="$rps"
  ratio="$(awk -v a="$rps" -v b="$healthz" 'BEGIN {printf "%.0f%%", 100 * a / b}')"
  printf '| %-52s | %10s | %10s | %8s | %8s |\n' "$label" "$rps" "$ratio" "$p50" "$p99"
}
run "GET /healthz" - "$base/healthz"
CODES="$dir/codes-demo.txt" PREFIX=/api/v1/verify/ run "GET /api/v1/verify/{code} (JSON), 2,000 stamps issued" scans -s scripts/verify.lua "$base"
CODES="$dir/codes-demo.txt" PREFIX=/S/ run "GET /S/{code} (HTML page), 2,000 stamps issued" scans -s scripts/verify.lua "$base"

# Ten million more stamps; a lot of 1,000 activated in the middle of them.
batch="$(api -X POST "$base/api/v1/stamp-batches" -d '{"product_id":1,"count":10000000}' | jq .id)"
first="$(api "$base/api/v1/stamp-batches/$batch" | jq .first_serial)"
lot="$(api -X POST "$base/api/v1/lots" -d '{"product_id":1,"code":"BENCH-10M","produced_on":"2026-11-20","expires_on":"2027-11-20","quantity":1000}' | jq .id)"
mid=$((first + 5000000))
api -X POST "$base/api/v1/stamp-batches/$batch/activations" -d "{\"from_serial\":$mid,\"to_serial\":$((mid + 999)),\"lot_id\":$lot}" >/dev/null
api "$base/api/v1/stamp-batches/$batch/export?format=csv&from=$mid&to=$((mid + 999))" | tail -n +2 | cut -d, -f2 >"$dir/codes-10m.txt"
CODES="$dir/codes-10m.txt" PREFIX=/api/v1/verify/ run "GET /api/v1/verify/{code} (JSON), 10,002,000 issued" scans -s scripts/verify.lua "$base"

sleep 1
recorded="$(sqlite3 "$dir/bench.db" 'SELECT COUNT(*) FROM stamp_scans')"
echo
echo "answered verification requests (wrk): $answered · scans recorded: $recorded"
echo "(wrk stops with up to $connections requests in flight: those are recorded but not counted as answered)"
