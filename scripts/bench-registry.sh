#!/usr/bin/env bash
# Listing and searching the register at size: loads N synthetic products (default 100,000) into
# a fresh SQLite file and a fresh PostgreSQL database, then measures GET /api/v1/products with wrk
# (Debian package `wrk`) on loopback against each, in one run.
#
#   scripts/bench-registry.sh [PRODUCTS] [DURATION] [CONNECTIONS...]   (defaults: 100000 10s "1 8")
#
# With one connection p50 is the latency of a request on an idle server; with eight, requests
# queue for the two cores that the server shares with wrk.
#
# PostgreSQL: OCOP_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres) names
# a server where the script may create and drop a database; set it to "skip" to measure SQLite only.
set -euo pipefail
cd "$(dirname "$0")/.."
products="${1:-100000}"
duration="${2:-10s}"
connections="${3:-1 8}"
pg_server="${OCOP_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release -q
bin=./target/release/ocop
dir="$(mktemp -d)"
pid=""
pg_db="ocop_bench_$$"
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ "$pg_server" != skip ] && psql "$pg_server" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
export OCOP_KEY_FILE="$dir/keys.json" OCOP_DATA_DIR="$dir/data" OCOP_LOG=warn
port=18282

measure() {
  local backend="$1" url="$2"
  export OCOP_DATABASE_URL="$url"
  local started=$SECONDS
  "$bin" bench-data --products "$products" --organizations 2000 >/dev/null 2>"$dir/load.log"
  echo "$backend: loaded $products products in $((SECONDS - started)) s" >&2
  echo "bench-admin-password" | "$bin" user add --email bench@ocop.test --name Bench --role central --password-stdin >/dev/null
  local token; token="$("$bin" token create --email bench@ocop.test)"
  "$bin" serve --listen "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  for path in "/api/v1/products?q=ca+phe" "/api/v1/products?q=nuoc+mam+dac+biet" "/api/v1/products?q=che+xanh&commune=06946" "/api/v1/products?limit=50" "/api/v1/organizations?q=mien+dong"; do
    local total; total="$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')"
    for conns in $connections; do
      local out; out="$(wrk -t1 -c"$conns" -d"$duration" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path")"
      printf '| %-10s | %-44s | %7s | %5s | %9s | %8s | %8s |\n' "$backend" "$path" "$total" "$conns" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")"
      if grep -q "Non-2xx" <<<"$out"; then echo "  (non-2xx answers!)"; fi
    done
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

echo "ocop $(git rev-parse --short HEAD 2>/dev/null || echo '?') · $(nproc) cores · $products products · wrk -t1 -d$duration · $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-10s | %-44s | %7s | %5s | %9s | %8s | %8s |\n' backend request matches conns "req/s" p50 p99
printf '|%s|%s|%s|%s|%s|%s|%s|\n' ------------ ---------------------------------------------- --------- ------- ----------- ---------- ----------
measure sqlite "sqlite://$dir/bench.db"
if [ "$pg_server" != skip ]; then
  psql "$pg_server" -qc "CREATE DATABASE $pg_db" >/dev/null
  measure postgres "${pg_server%/*}/$pg_db"
fi
