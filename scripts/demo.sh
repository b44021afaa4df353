#!/usr/bin/env bash
# demo.sh — `make demo`: the whole pipeline on sample photographs, with nothing configured.
#   1. set-up (make deps) and a release build of the tools;
#   2. the sample: photographs and rendered wallpapers from Debian's plasma-workspace-wallpapers
#      (fetched with apt-get download once, kept in work/demo-sample/; GPL-2+, see its COPYRIGHT);
#   3. a SeaweedFS S3 server on 127.0.0.1 (telemetry off), the sample uploaded as two prefixes;
#   4. Gemini: the real API when GOOGLE_API_KEY or GEMINI_API_KEY is set, else the project's
#      emulator on 127.0.0.1 (the output says so);
#   5. make compare analyze A=REAL B=GEN (both pipelines, two at once; then the category comparison
#      and the analysis: embed, cluster, shift tables), then where the charts and reports are.
# The servers are stopped at the end, also on failure or Ctrl-C.
# Env: DEMO_DIR (work/demo), DEMO_REPORTS (reports/demo), DEMO_SAMPLE (work/demo-sample),
#      DEMO_SYNTHETIC=N (N drawn images per dataset instead of the photographs: no download;
#      DEMO_SYNTHETIC_MAX_SIDE=PX keeps them small),
#      TOOLS_BIN (use these binaries, no build), EMULATOR_LATENCY_MS (150), DEMO_JOBS (2),
#      DEMO_CLUSTER_FLAGS (--method kmeans: a sample of dozens of images is too small for HDBSCAN's
#      default minimum cluster size of 15).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
DEMO_DIR=${DEMO_DIR:-work/demo}
DEMO_REPORTS=${DEMO_REPORTS:-reports/demo}
DEMO_SAMPLE=${DEMO_SAMPLE:-work/demo-sample${DEMO_SYNTHETIC:+-synthetic-$DEMO_SYNTHETIC}}
BUCKET=demo
S3_ROOT=datalake_training
started=$SECONDS
say() { printf '\n\033[1mdemo: %s\033[0m\n' "$*" >&2; }
[ -t 2 ] || say() { printf '\ndemo: %s\n' "$*" >&2; }

# 1. Set-up and build.
say "set-up (make deps)"
"$ROOT/scripts/deps.sh"
if [ -z "${TOOLS_BIN:-}" ]; then
  say "building the tools (swift build -c release)"
  (cd "$ROOT" && scripts/build-tools.sh "$ROOT/.build/demo-build.log" -c release) || { echo "demo: build failed" >&2; exit 1; }
  TOOLS_BIN=$ROOT/.build/release
fi

# 2. The sample.
sample_note="KDE wallpapers from Debian's plasma-workspace-wallpapers, GPL-2+: see COPYRIGHT.plasma-workspace-wallpapers"
[ -n "${DEMO_SYNTHETIC:-}" ] && sample_note="drawn test images (DEMO_SYNTHETIC=$DEMO_SYNTHETIC)"
if [ ! -f "$DEMO_SAMPLE/REAL.csv" ] || [ ! -f "$DEMO_SAMPLE/GEN.csv" ]; then
  rm -rf "$DEMO_SAMPLE"; mkdir -p "$DEMO_SAMPLE"
  if [ -n "${DEMO_SYNTHETIC:-}" ]; then
    "$VENV/bin/python" "$ROOT/scripts/demo_sample.py" --synthetic "$DEMO_SYNTHETIC" \
      ${DEMO_SYNTHETIC_MAX_SIDE:+--max-side "$DEMO_SYNTHETIC_MAX_SIDE"} "$DEMO_SAMPLE"
  else
    say "fetching sample photographs (Debian package plasma-workspace-wallpapers, ~90 MB, once)"
    deb=$(mktemp -d); trap 'rm -rf "$deb"' EXIT
    ( cd "$deb" && { apt-get download -qq plasma-workspace-wallpapers 2>/dev/null \
        || { [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null && apt-get download -qq plasma-workspace-wallpapers; }; } \
      && dpkg -x plasma-workspace-wallpapers_*.deb x ) \
      || { echo "demo: could not fetch plasma-workspace-wallpapers with apt-get download (try: sudo apt-get update)" >&2; exit 1; }
    "$VENV/bin/python" "$ROOT/scripts/demo_sample.py" --wallpapers "$deb/x" "$DEMO_SAMPLE"
    rm -rf "$deb"; trap - EXIT
  fi
fi

# 3. Servers, stopped on every exit.
state=$(mktemp -d "${TMPDIR:-/tmp}/imagekit-demo.XXXXXX")
emulator_pid=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  "$ROOT/scripts/seaweedfs.sh" stop "$state/s3" || true
  rm -rf "$state"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
say "starting SeaweedFS on 127.0.0.1 (telemetry off)"
# Assigned first: `eval "$(…)"` would hide a failed start behind eval's own exit status.
s3_env=$("$ROOT/scripts/seaweedfs.sh" start "$state/s3")
eval "$s3_env"
"$VENV/bin/python" "$ROOT/scripts/s3-upload.py" --bucket "$BUCKET" --prefix "$S3_ROOT/REAL/" "$DEMO_SAMPLE"/REAL/*
"$VENV/bin/python" "$ROOT/scripts/s3-upload.py" --bucket "$BUCKET" --prefix "$S3_ROOT/GEN/" "$DEMO_SAMPLE"/GEN/*

gemini_args=()
if [ -n "${GOOGLE_API_KEY:-}${GEMINI_API_KEY:-}" ]; then
  source_note="descriptions and categories come from the REAL Gemini API (a key is set in the environment)"
  say "$source_note"
else
  # The emulator's key is its built-in local test key, not a secret.
  mkfifo "$state/emulator.out"
  "$VENV/bin/python" "$ROOT/emulator/gemini_emulator.py" --port 0 --latency-ms "${EMULATOR_LATENCY_MS:-150}" \
    >"$state/emulator.out" 2>"$state/emulator.log" &
  emulator_pid=$!
  read -r -t 30 url <"$state/emulator.out" || { cat "$state/emulator.log" >&2; echo "demo: the Gemini emulator did not start" >&2; exit 1; }
  export GEMINI_API_KEY=emulator-key
  unset GOOGLE_API_KEY
  export GOOGLE_GEMINI_BASE_URL=$url
  gemini_args=(GEMINI_ENDPOINT="$url")
  source_note="descriptions and categories come from the Gemini EMULATOR ($url), not from Gemini: set GEMINI_API_KEY to use the real API"
  say "$source_note"
fi

# 4. Both pipelines (two at once), then the comparison.
rm -rf "$DEMO_DIR" "$DEMO_REPORTS"
# Our own make, not a sub-make of the one that ran us (its -j and jobserver do not carry over).
unset MAKEFLAGS MFLAGS MAKELEVEL
say "running the pipeline for REAL and GEN, then compare and analyze"
make -f "$ROOT/Makefile" --no-print-directory -j "${DEMO_JOBS:-2}" -O compare analyze A=REAL B=GEN \
  CLUSTER_FLAGS="${DEMO_CLUSTER_FLAGS:---method kmeans}" \
  WORK="$DEMO_DIR" DOWNLOADS="$DEMO_DIR/downloads" REPORTS="$DEMO_REPORTS" TOOLS_BIN="$TOOLS_BIN" \
  BUCKET="$BUCKET" S3_ROOT="$S3_ROOT" S3_ENDPOINT="$AWS_ENDPOINT_URL" AWS_PROFILE_NAME= \
  LIST_REAL="$DEMO_SAMPLE/REAL.csv" LIST_GEN="$DEMO_SAMPLE/GEN.csv" AUTO_CONFIRM=1 "${gemini_args[@]}"
for d in REAL GEN; do "$ROOT/scripts/stage-summary.sh" "$d" "$DEMO_DIR/$d"; done

out="$DEMO_REPORTS/REAL_vs_GEN"
say "done in $((SECONDS - started)) s — $source_note"
cat >&2 <<TEXT
  charts:      $out/single-REAL.png  $out/counts.png  $out/percent.png
  statistics:  $out/statistics.md  (also statistics.csv, statistics.ndjson)
  report:      $out/html/index.html   (open it in a browser; no server needed)
  analysis:    $out/analysis/html/index.html   (clusters, keywords and attributes that set GEN apart)
               $out/analysis/shift.md  $out/analysis/clusters.ndjson
  records:     $DEMO_DIR/REAL/categorized.ndjson  $DEMO_DIR/GEN/categorized.ndjson
  images:      $DEMO_SAMPLE/  ($sample_note)
TEXT
