#!/usr/bin/env bash
# fuzz.sh — fuzz the image decoders: builds the imaging-fuzz target with libFuzzer and
# AddressSanitizer (--sanitize=fuzzer, in .build-fuzz) and runs it for FUZZ_SECONDS (default 600)
# from the committed seed corpus Tests/Fuzz/corpus (real images of every variant, a few KB each)
# plus the working corpus of earlier runs. A crash leaves its input in .build-fuzz/artifacts and
# fails the script; replay it with `swift build --product imaging-fuzz && .build/debug/imaging-fuzz FILE`.
# FUZZ_MERGE=1 merges new coverage back into the committed corpus (inputs up to 8 KB).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
SEEDS=Tests/Fuzz/corpus
WORK=.build-fuzz/corpus
ARTIFACTS=.build-fuzz/artifacts
LOG=.build-fuzz/fuzz.log
# SwiftPM's --sanitize=fuzzer only links libFuzzer: Swift code gets no coverage instrumentation
# unless asked for, in the form today's libFuzzer reads (inline counters and a PC table).
swift build -c release --product imaging-fuzz --sanitize=fuzzer --sanitize=address \
  --scratch-path .build-fuzz -Xswiftc -DFUZZING \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
BIN=.build-fuzz/release/imaging-fuzz
mkdir -p "$WORK" "$ARTIFACTS"
echo "fuzz: running imaging-fuzz for $FUZZ_SECONDS s (log: $LOG)" >&2
status=0
"$BIN" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$ARTIFACTS/" "$WORK" "$SEEDS" > "$LOG" 2>&1 || status=$?
grep -E "^stat::|Done [0-9]+ runs|ERROR|SUMMARY" "$LOG" >&2 || true
if [ "$status" != 0 ]; then
  echo "fuzz: FAILED (status $status); crash inputs in $ARTIFACTS" >&2
  exit 1
fi
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
  merged=$(mktemp -d)
  "$BIN" -merge=1 -max_len=8192 "$merged" "$SEEDS" "$WORK" >/dev/null 2>&1
  rm -f "$SEEDS"/*; cp "$merged"/* "$SEEDS"/; rm -rf "$merged"
  echo "fuzz: corpus merged: $(ls "$SEEDS" | wc -l) files, $(du -sk "$SEEDS" | cut -f1) KB" >&2
fi
echo "fuzz: no crash in $FUZZ_SECONDS s" >&2
