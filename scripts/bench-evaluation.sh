#!/usr/bin/env bash
# Load test of the evaluation's HTTP paths against GET /healthz on the same release server in
# the same run (wrk on loopback, Debian package `wrk`; `ocop demo` on a temporary SQLite file,
# rate limit off): the public certificate check (HTML, JSON, PDF), a page of dossiers over the
# API, and scoring a council of five over the API.
#
#   scripts/bench-evaluation.sh [DURATION] [CONNECTIONS]     (defaults: 10s 32)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
connections="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release -q
dir="$(mktemp -d)"
port=18484
bin=./target/release/ocop
export OCOP_DATABASE_URL="sqlite://$dir/bench.db" OCOP_KEY_FILE="$dir/keys.json" OCOP_LOG=warn
"$bin" demo --listen "127.0.0.1:$port" --rate-limit-per-minute 0 >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
token="$("$bin" token create --email admin@quangninh.ocop.demo)"

# Five council members' best answers on set 12, as `POST /api/v1/criteria-sets/12/score` takes them.
curl -fs "$base/api/v1/criteria-sets/12" | python3 -c '
import json, sys
s = json.load(sys.stdin)
m = {}
for p in s["parts"]:
    for c in p["criteria"]:
        ch = c["choice"]
        if ch["kind"] == "options":
            o = ch["options"]
            m[c["code"]] = max(range(len(o)), key=lambda i: min(o[i]["points"] or 0, c["max_points"]))
        elif ch["kind"] == "cases":
            o = ch["cases"][0]["options"]
            m[c["code"]] = {"case": 0, "option": max(range(len(o)), key=lambda i: o[i]["points"] or 0)}
        else:
            m[c["code"]] = {"points": c["max_points"]}
print(json.dumps({"members": [m] * 5}))' >"$dir/answers.json"
cat >"$dir/score.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$dir/answers.json"); wrk.body = f:read("*a"); f:close()
LUA

echo "ocop $(git rev-parse --short HEAD 2>/dev/null || echo '?') · $(nproc) cores · wrk -t2 -c$connections -d$duration · $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-48s | %10s | %10s | %8s | %8s |\n' "request" "req/s" "vs healthz" "p50" "p99"
printf '|%s|%s|%s|%s|%s|\n' "--------------------------------------------------" "------------" "------------" "----------" "----------"
healthz=""
run() {
  local label="$1"; shift
  local out rps p50 p99 ratio
  out="$(wrk -t2 -c"$connections" -d"$duration" --latency "$@")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  if grep -q "Non-2xx" <<<"$out"; then label="$label (non-2xx!)"; fi
  [ -z "$healthz" ] && healthz="$rps"
  ratio="$(awk -v a="$rps" -v b="$healthz" 'BEGIN {printf "%.0f%%", 100 * a / b}')"
  printf '| %-48s | %10s | %10s | %8s | %8s |\n' "$label" "$rps" "$ratio" "$p50" "$p99"
}
cert="$base/certificates/OCOP-22-$(date +%Y)-00001"   # the demo's recognized dossier, certified today
run "GET /healthz" "$base/healthz"
run "GET /certificates/{number} (HTML)" "$cert"
run "GET /certificates/{number} (JSON)" -H "Accept: application/json" "$cert"
run "GET /certificates/{number}/pdf" "$cert/pdf"
run "GET /api/v1/dossiers (a page, bearer)" -H "Authorization: Bearer $token" "$base/api/v1/dossiers"
run "POST /api/v1/criteria-sets/12/score (5 members)" -s "$dir/score.lua" "$base/api/v1/criteria-sets/12/score"
echo
echo "PDF size: $(curl -fs "$cert/pdf" | wc -c) bytes; check page: $(curl -fs "$cert" | wc -c) bytes of HTML"
