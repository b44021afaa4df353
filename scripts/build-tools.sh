#!/usr/bin/env bash
# build-tools.sh LOG ARGS... — `swift build ARGS` (SWIFT overrides the command) with its whole
# output in LOG and its progress ([120/441] Compiling …) on stderr instead of minutes of silence:
# one line redrawn on a terminal, else each progress line. On failure, the log's last 40 lines.
# The wrappers in bin-wrappers/ and the demo build through this.
set -o pipefail
log=$1; shift
mkdir -p "$(dirname "$log")"
if [ -t 2 ]; then
  ${SWIFT:-swift} build "$@" 2>&1 | tee "$log" | while IFS= read -r line; do
    case $line in \[*/*\]*) printf '\r\033[K%s' "${line:0:$((${COLUMNS:-100} - 1))}" >&2 ;; esac
  done
  status=${PIPESTATUS[0]}
  printf '\r\033[K' >&2
else
  ${SWIFT:-swift} build "$@" 2>&1 | tee "$log" | grep --line-buffered -E '^\[[0-9]+/[0-9]+\]' >&2
  status=${PIPESTATUS[0]}
fi
if [ "$status" != 0 ]; then
  tail -n 40 "$log" >&2
  echo "build failed (full log: $log)" >&2
fi
exit "$status"
