#!/usr/bin/env bash
# run.sh — gemini-describe against the project's Gemini emulator with 300 ms latency:
#  (a) 2,000 images, no limit, --concurrency 64: requests/s vs the ideal 64/0.3 s, client CPU
#      per request; and the reference approach (a pool of 10 threads, one blocking call each);
#  (b) 1,000 images, emulator enforcing 600 RPM, tool given --rpm 600: achieved rate and 429s.
#  (c) categorize: 10,000 descriptions at --per-request 20 against one call per description —
#      requests, input tokens and wall time.
# Needs the release builds and the venv (.venv, with Pillow). BENCH_IMAGES / BENCH_RPM_IMAGES /
# BENCH_DESCRIPTIONS change the counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${VENV:-$ROOT/.venv}/bin/python
BIN=$ROOT/.build/release/gemini-describe
CAT=$ROOT/.build/release/categorize
ND=${BENCH_DESCRIPTIONS:-10000}
N=${BENCH_IMAGES:-2000}
NRPM=${BENCH_RPM_IMAGES:-1000}
TMP=$(mktemp -d)
EMU_PID=""
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

start_emulator() {  # args... -> sets URL, EMU_PID
  "$PY" emulator/gemini_emulator.py --api-key bench-key "$@" > "$TMP/url" 2>/dev/null &
  EMU_PID=$!
  for _ in $(seq 1 100); do [ -s "$TMP/url" ] && break; sleep 0.05; done
  URL=$(head -n1 "$TMP/url")
}
stop_emulator() { kill "$EMU_PID" 2>/dev/null; wait "$EMU_PID" 2>/dev/null || true; EMU_PID=""; : > "$TMP/url"; }
stat() { "$PY" -c "import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1] + '/emulator/stats'))[sys.argv[2]])" "$URL" "$1"; }

mkdir -p "$TMP/img"
"$PY" - "$TMP/img" "$N" <<'PY'
import sys
from PIL import Image
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    Image.new("RGB", (96 + i % 50, 64 + i % 30), ((i * 53) % 256, (i * 97) % 256, (i * 31 + 90) % 256)).save(f"{d}/b{i:05d}.jpg", quality=90)
PY
ls "$TMP"/img/*.jpg > "$TMP/all.txt"
head -n "$NRPM" "$TMP/all.txt" > "$TMP/rpm.txt"
export GEMINI_API_KEY=bench-key GOOGLE_API_KEY=

echo "(a) $N images, emulator latency 300 ms, no rate limit"
start_emulator --latency-ms 300
/usr/bin/time -f "%e %U %S" -o "$TMP/t-ours" env GOOGLE_GEMINI_BASE_URL="$URL" "$BIN" --concurrency 64 -q "$TMP/all.txt" > "$TMP/ours.ndjson" 2>"$TMP/ours.err"
ok=$(grep -c '"description"' "$TMP/ours.ndjson" || true)
/usr/bin/time -f "%e %U %S" -o "$TMP/t-ref" "$PY" bench/describe/reference_pool.py "$URL" bench-key 10 "$TMP/all.txt" > /dev/null
stop_emulator
"$PY" - "$N" "$ok" "$(cat "$TMP/t-ours")" "$(cat "$TMP/t-ref")" <<'PY'
import sys
n, ok = int(sys.argv[1]), int(sys.argv[2])
ow, ou, os_ = map(float, sys.argv[3].split()); rw, ru, rs = map(float, sys.argv[4].split())
ideal = 64 / 0.3
print(f"{'client':<34} {'wall s':>7} {'req/s':>7} {'CPU ms/req':>11}")
print(f"{'gemini-describe --concurrency 64':<34} {ow:7.2f} {n / ow:7.1f} {1000 * (ou + os_) / n:11.2f}")
print(f"{'reference: 10-thread pool (Python)':<34} {rw:7.2f} {n / rw:7.1f} {1000 * (ru + rs) / n:11.2f}")
print(f"answers: {ok}/{n}; {100 * n / ow / ideal:.1f}% of the ideal {ideal:.0f} req/s (goal >= 90%); "
      f"{(n / ow) / (n / rw):.1f}x the reference's throughput")
PY

echo
echo "(b) $NRPM images, emulator enforcing 600 RPM, tool --rpm 600"
start_emulator --latency-ms 300 --rpm 600
/usr/bin/time -f "%e %U %S" -o "$TMP/t-rpm" env GOOGLE_GEMINI_BASE_URL="$URL" "$BIN" --concurrency 64 --rpm 600 -q "$TMP/rpm.txt" > "$TMP/rpm.ndjson" 2>"$TMP/rpm.err"
limited=$(stat rate_limited); calls=$(stat generate_content)
stop_emulator
"$PY" - "$NRPM" "$(cat "$TMP/t-rpm")" "$limited" "$calls" "$(grep -c '"description"' "$TMP/rpm.ndjson" || true)" <<'PY'
import sys
n = int(sys.argv[1]); wall = float(sys.argv[2].split()[0]); limited, calls, ok = map(int, sys.argv[3:6])
rate = n / wall * 60
print(f"achieved {rate:.0f} RPM over {wall:.1f} s = {100 * rate / 600:.1f}% of the limit (goal >= 95%); "
      f"429 answers: {limited} of {calls} requests = {100 * limited / max(calls, 1):.2f}% (goal < 1%); answers {ok}/{n}")
PY

echo
echo "(c) categorize: $ND descriptions, emulator latency 300 ms, --concurrency 64"
"$PY" - "$ND" > "$TMP/described.ndjson" <<'PY'
import json, random, sys
random.seed(1)
subjects = ["a dog on a sofa", "a plate of food", "a busy street at night", "waves on a beach", "a red car",
            "a mountain lake", "a child playing", "an office interior", "a bowl of flowers", "a city skyline"]
for i in range(int(sys.argv[1])):
    s = random.choice(subjects)
    print(json.dumps({"id": f"c{i:05d}", "summary": f"A photograph of {s}, seen from the side (#{i})"}))
PY
printf 'Category\npeople\nportrait\ngroup of people\nchildren\nanimals\npets\nlandscape\nnature\nbeach\nmountains\ncityscape\narchitecture\ninterior\nstreet\nvehicles\nfood\ndrinks\nflowers\nnight scene\n' > "$TMP/categories.csv"
start_emulator --latency-ms 300
for k in 20 1; do
  /usr/bin/time -f "%e" -o "$TMP/t-cat$k" env GOOGLE_GEMINI_BASE_URL="$URL" "$CAT" --categories "$TMP/categories.csv" \
    --per-request $k --concurrency 64 -q "$TMP/described.ndjson" > "$TMP/cat$k.ndjson" 2> "$TMP/cat$k.err"
  grep -o 'tokens [0-9]* in' "$TMP/cat$k.err" | awk '{print $2}' > "$TMP/tok$k"
  grep -o '[0-9]* requests' "$TMP/cat$k.err" | awk '{print $1}' > "$TMP/req$k"
done
stop_emulator
"$PY" - "$ND" "$TMP" <<'PY'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
read = lambda name: open(f"{d}/{name}").read().split()[0]
print(f"{'categorize':<22} {'requests':>9} {'input tokens':>13} {'wall s':>8}")
rows = {}
for k in ("20", "1"):
    rows[k] = (int(read(f"req{k}")), int(read(f"tok{k}")), float(read(f"t-cat{k}")))
    print(f"{'--per-request ' + k:<22} {rows[k][0]:9d} {rows[k][1]:13d} {rows[k][2]:8.1f}")
b, o = rows["20"], rows["1"]
print(f"--per-request 20: {o[0] / b[0]:.1f}x fewer requests, {100 * (1 - b[1] / o[1]):.0f}% fewer input tokens, {o[2] / b[2]:.1f}x faster")
PY
