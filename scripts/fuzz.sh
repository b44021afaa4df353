#!/usr/bin/env bash
# fuzz.sh — fuzz the image decoders: builds the imaging-fuzz target with libFuzzer and
# AddressSanitizer (--sanitize=fuzzer, in .build-fuzz) and runs it for FUZZ_SECONDS (default 600)
# from every image corpus the project can reach: the committed seeds Tests/Fuzz/corpus (real
# images of every variant, a few KB each), the committed regressions Tests/Fuzz/regressions,
# Pillow's Tests/images (its sdist, fetched once with pip into .build-fuzz/pillow, never
# committed) and the working corpus of earlier runs. Memory limits sit well under img-resize's
# default --max-memory (512M): FUZZ_RSS_MB (default 512) for the process and FUZZ_MALLOC_MB
# (default 256) for any one allocation, so an input that makes a decoder believe a length field
# is an out-of-memory failure here, not a slow success. A crash, OOM or timeout leaves its input
# in .build-fuzz/artifacts and fails the script; replay it with
# `swift build --product imaging-fuzz && .build/debug/imaging-fuzz FILE`, fix it, and commit the
# input under Tests/Fuzz/regressions (RegressionReplayTests replays every file there).
# FUZZ_MERGE=1 merges new coverage back into the committed corpus (inputs up to 8 KB).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
SEEDS=Tests/Fuzz/corpus
REGRESSIONS=Tests/Fuzz/regressions
PILLOW=.build-fuzz/pillow
WORK=.build-fuzz/corpus
RSS_MB=${FUZZ_RSS_MB:-512}
MALLOC_MB=${FUZZ_MALLOC_MB:-256}
ARTIFACTS=.build-fuzz/artifacts
LOG=.build-fuzz/fuzz.log
# SwiftPM's --sanitize=fuzzer only links libFuzzer: Swift code gets no coverage instrumentation
# unless asked for, in the form today's libFuzzer reads (inline counters and a PC table).
swift build -c release --product imaging-fuzz --sanitize=fuzzer --sanitize=address \
  --scratch-path .build-fuzz -Xswiftc -DFUZZING \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
BIN=.build-fuzz/release/imaging-fuzz
mkdir -p "$WORK" "$ARTIFACTS"

# Pillow's test images (odd chunks, XMP, ICC, EXIF variants our own corpus lacks), from the sdist.
if [ ! -d "$PILLOW/images" ]; then
  # pip prepares an sdist's metadata before saving it; Pillow's needs setuptools and pybind11,
  # which a small venv of their wheels provides (without it pip builds cmake from source).
  tools=.build-fuzz/pip-tools
  if [ ! -x "$tools/bin/python" ]; then
    python3 -m venv "$tools"
    "$tools/bin/python" -m pip install -q --disable-pip-version-check "setuptools>=77" pybind11 >&2
  fi
  download=$(mktemp -d)
  "$tools/bin/python" -m pip download -q --disable-pip-version-check --no-binary :all: --no-deps \
    --no-build-isolation pillow -d "$download" >&2
  tar -xzf "$download"/pillow-*.tar.gz -C "$download"
  mkdir -p "$PILLOW/images"
  # Only what the decoders take or sniff, and small enough to matter within -max_len.
  find "$download"/pillow-*/Tests/images -type f -size -1024k \
    \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.webp' -o -iname '*.apng' \
       -o -iname '*.mpo' -o -iname '*.xmp' -o -iname '*.gif' -o -iname '*.tif' -o -iname '*.bmp' \) \
    -exec cp {} "$PILLOW/images/" \;
  rm -rf "$download"
fi
mkdir -p "$REGRESSIONS"
echo "fuzz: running imaging-fuzz for $FUZZ_SECONDS s, rss ≤ $RSS_MB MB, malloc ≤ $MALLOC_MB MB," \
  "seeds: $(ls "$SEEDS" | wc -l) own, $(ls "$REGRESSIONS" | wc -l) regressions, $(ls "$PILLOW/images" | wc -l) Pillow (log: $LOG)" >&2
status=0
"$BIN" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=20 -rss_limit_mb="$RSS_MB" \
  -malloc_limit_mb="$MALLOC_MB" -print_final_stats=1 -artifact_prefix="$ARTIFACTS/" \
  "$WORK" "$SEEDS" "$REGRESSIONS" "$PILLOW/images" > "$LOG" 2>&1 || status=$?
grep -E "^stat::|Done [0-9]+ runs|ERROR|SUMMARY|out-of-memory|timeout" "$LOG" >&2 || true
if [ "$status" != 0 ]; then
  echo "fuzz: FAILED (status $status); crash/OOM/timeout inputs in $ARTIFACTS (commit each fixed one under $REGRESSIONS)" >&2
  exit 1
fi
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
  merged=$(mktemp -d)
  "$BIN" -merge=1 -max_len=8192 "$merged" "$SEEDS" "$WORK" >/dev/null 2>&1
  rm -f "$SEEDS"/*; cp "$merged"/* "$SEEDS"/; rm -rf "$merged"
  echo "fuzz: corpus merged: $(ls "$SEEDS" | wc -l) files, $(du -sk "$SEEDS" | cut -f1) KB" >&2
fi
echo "fuzz: no crash in $FUZZ_SECONDS s" >&2
