#!/usr/bin/env bash
# Issuing and exporting stamps at size, with the release binary as an operator runs it:
#  - `ocop stamps issue` of 1,000 and of 10,000,000 stamps (one row each: the times should match);
#  - `ocop stamps export --format csv --with-pin` of 100,000 and 1,000,000 stamps: wall time and
#    peak memory (flat memory means the 1,000,000 export peaks no higher than the 100,000 one);
#  - `ocop stamps export --format pdf` of 10,000 labels at 5x13 with PINs: wall time and size.
#
#   scripts/bench-stamps.sh          (SQLite in a temporary directory; needs /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
cargo build --release -q
bin="$PWD/target/release/ocop"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export OCOP_DATABASE_URL="sqlite://$dir/ocop.db" OCOP_KEY_FILE="$dir/keys.json" OCOP_LOG=warn
"$bin" bench-data --products 10 --organizations 2 >/dev/null 2>&1

timed() { # label, command...: prints "label: wall s, peak KB"
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err"
  read -r wall kb <"$dir/time"
  printf '%-44s %6.2f s wall  %8d KB peak\n' "$label" "$wall" "$kb"
}

timed "issue 1,000 stamps" "$bin" stamps issue --product 1 --count 1000
timed "issue 10,000,000 stamps" "$bin" stamps issue --product 1 --count 10000000
b100k=$("$bin" stamps issue --product 1 --count 100000 | sed 's/.*"batch_id":\([0-9]*\).*/\1/')
b1m=$("$bin" stamps issue --product 1 --count 1000000 | sed 's/.*"batch_id":\([0-9]*\).*/\1/')
b10k=$("$bin" stamps issue --product 2 --count 10000 | sed 's/.*"batch_id":\([0-9]*\).*/\1/')
timed "export CSV with PINs, 100,000 stamps" "$bin" stamps export "$b100k" --format csv --with-pin --output s100k.csv
timed "export CSV with PINs, 1,000,000 stamps" "$bin" stamps export "$b1m" --format csv --with-pin --output s1m.csv
echo "  rows: $(($(wc -l <s1m.csv) - 1)), bytes: $(stat -c %s s1m.csv)"
timed "export PDF 5x13 with PINs, 10,000 labels" "$bin" stamps export "$b10k" --format pdf --layout 5x13 --with-pin --output s10k.pdf
echo "  bytes: $(stat -c %s s10k.pdf)"
timed "export PDF 4x10, 10,000 labels" "$bin" stamps export "$b10k" --format pdf --output s10k-4x10.pdf
echo "  bytes: $(stat -c %s s10k-4x10.pdf)"
