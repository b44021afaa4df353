#!/usr/bin/env bash
# run.sh [N] — stream N realistic records (default 1,000,000) through the Records reader and
# writer (records-bench passthrough: parse, add a field, write) and through `jq -c '.x=1'`,
# on the same file; prints records/s, peak RSS and the ratio. Needs jq and GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
BIN=.build/release/records-bench
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
"$BIN" generate "$N" > "$TMP/in.ndjson"
bytes=$(stat -c %s "$TMP/in.ndjson")
echo "input: $N records, $((bytes / N)) bytes each on average, $((bytes / 1000000)) MB"
measure() {  # name command... -> "name seconds peak_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$TMP/time" "$@" < "$TMP/in.ndjson" > "$TMP/out-$name"
  echo "$name $(cat "$TMP/time")"
}
ours=$(measure records-bench "$BIN" passthrough)
jq=$(measure jq jq -c '.x=1')
cmp -s "$TMP/out-records-bench" "$TMP/out-jq" && same="identical output" || same="outputs differ"
python3 - "$N" "$ours" "$jq" "$same" <<'PY'
import sys
n = int(sys.argv[1])
rows = [r.split() for r in sys.argv[2:4]]
print(f"{'tool':<14} {'seconds':>8} {'records/s':>11} {'peak RSS MB':>12}")
for name, sec, kb in rows:
    print(f"{name:<14} {float(sec):8.2f} {n / max(float(sec), 1e-9):11.0f} {int(kb) / 1024:12.1f}")
ours, jq = float(rows[0][1]), float(rows[1][1])
print(f"ratio: records-bench is {jq / max(ours, 1e-9):.2f}x jq's records/s ({sys.argv[4]})")
PY
