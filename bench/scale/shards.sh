#!/usr/bin/env bash
# shards.sh — what SHARDS=4 buys on this machine: the pipeline's download (s3fetch) and resize
# (img-resize) stages on a local SeaweedFS, and describe (gemini-describe) against the project's
# Gemini emulator with EMULATOR_LATENCY_MS (300) of latency, each run whole (SHARDS=1) and as 4
# shards under make -j (RUNNER=local, merge included); prints each stage's wall time and the
# speed-up as a ratio. Every stage keeps its default settings (s3fetch --concurrency 64,
# img-resize one worker a core, describe --concurrency 16), so the ratio is what sharding adds to
# a tool that is already concurrent inside.
# Env: SCALE_IMAGES (400 drawn images, long side SCALE_MAX_SIDE=1600), TOOLS_BIN (default: the
#      release builds, built here), EMULATOR_LATENCY_MS (300), SCALE_SHARDS (4).
# Called by bench/scale/run.sh (make bench-scale) when present; runs alone too.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${VENV:-$ROOT/.venv}/bin/python
N=${SCALE_IMAGES:-400}
SHARDS=${SCALE_SHARDS:-4}
LATENCY=${EMULATOR_LATENCY_MS:-300}
if [ -z "${TOOLS_BIN:-}" ]; then
  for tool in s3ls s3fetch img-resize gemini-describe merge-shards; do
    scripts/build-tools.sh "$ROOT/.build/bench-scale-build.log" -c release --product "$tool" >/dev/null 2>&1 \
      || { echo "shards.sh: release build of $tool failed (.build/bench-scale-build.log)" >&2; exit 1; }
  done
  TOOLS_BIN=$ROOT/.build/release
fi
TMP=$(mktemp -d)
emulator=""
cleanup() {
  [ -n "$emulator" ] && kill "$emulator" 2>/dev/null && wait "$emulator" 2>/dev/null
  scripts/seaweedfs.sh stop "$TMP/s3" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

"$PY" scripts/demo_sample.py --synthetic "$N" --max-side "${SCALE_MAX_SIDE:-1600}" "$TMP/sample" >/dev/null 2>&1
s3_env=$(scripts/seaweedfs.sh start "$TMP/s3" 2>/dev/null)
eval "$s3_env"
"$PY" scripts/s3-upload.py --bucket scale --prefix data/REAL/ "$TMP/sample"/REAL/* >/dev/null 2>&1
"$PY" emulator/gemini_emulator.py --port 0 --latency-ms "$LATENCY" >"$TMP/emulator.url" 2>"$TMP/emulator.log" &
emulator=$!
for _ in $(seq 1 200); do [ -s "$TMP/emulator.url" ] && break; sleep 0.05; done
url=$(head -n1 "$TMP/emulator.url")
export GEMINI_API_KEY=emulator-key GOOGLE_API_KEY=
unset MAKEFLAGS MFLAGS MAKELEVEL

# stage_time FOLDER TARGET ARGS... — seconds make takes for TARGET (its earlier stages are done).
stage_time() {
  local folder=$1 target=$2; shift 2
  local start end
  start=$(date +%s.%N)
  make -s -f "$ROOT/Makefile" --no-print-directory "$target" DATASET=REAL LIST="$TMP/sample/REAL.csv" BUCKET=scale \
    PREFIX=data/REAL/ S3_ENDPOINT="$AWS_ENDPOINT_URL" WORK="$TMP/$folder/work" DOWNLOADS="$TMP/$folder/downloads" \
    TOOLS_BIN="$TOOLS_BIN" GEMINI_ENDPOINT="$url" AUTO_CONFIRM=1 TOOL_FLAGS=-q "$@" >"$TMP/$folder.log" 2>&1 \
    || { tail -20 "$TMP/$folder.log" >&2; echo "shards.sh: make $target failed" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

declare -A seconds
for run in one many; do
  args=()
  [ "$run" = many ] && args=(SHARDS="$SHARDS" RUNNER=local)
  stage_time "$run" listed "${args[@]}" >/dev/null
  for stage in fetched resized described; do
    seconds[$run-$stage]=$(stage_time "$run" "$stage" "${args[@]}")
  done
  [ "$(wc -l <"$TMP/$run/work/REAL/described.ndjson")" = "$(wc -l <"$TMP/$run/work/REAL/listed.ndjson")" ] \
    || { echo "shards.sh: $run: described has not every listed record" >&2; exit 1; }
done

echo "SHARDS=$SHARDS vs SHARDS=1 (RUNNER=local), $N images, $(nproc) cores; describe against the emulator at $LATENCY ms"
printf '%-34s %10s %10s %9s\n' stage "SHARDS=1 s" "SHARDS=$SHARDS s" speed-up
for stage in fetched resized described; do
  name=$stage
  case $stage in fetched) name="download (s3fetch)";; resized) name="resize (img-resize)";; described) name="describe (gemini-describe)";; esac
  awk -v n="$name" -v a="${seconds[one-$stage]}" -v b="${seconds[many-$stage]}" 'BEGIN { printf "%-34s %10.2f %10.2f %8.2fx\n", n, a, b, a / b }'
done
awk -v a="${seconds[one-fetched]}" -v b="${seconds[one-resized]}" -v c="${seconds[many-fetched]}" -v d="${seconds[many-resized]}" \
  'BEGIN { printf "%-34s %10.2f %10.2f %8.2fx\n", "download + resize", a + b, c + d, (a + b) / (c + d) }'
