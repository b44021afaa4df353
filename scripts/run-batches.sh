#!/usr/bin/env bash
# run-batches.sh GOAL 'NAME|TYPE|S3URL|DOWNLOADS_DIR'... — `make downloads` (GOAL fetched) and
# `make batches` (GOAL categorized) for the to_download/NAME.csv batches, as the reference tool
# runs them: choose the batches (BATCHES=a,b without a question; else on a terminal the numbered
# list and `1,3`, `1-3`, `all`, `q`), list them all (make -j N lists N at once), show each one's
# found/missing summary and ask to download it (`n` skips that batch, the others go on), then run
# the confirmed ones to GOAL. The questions go to the controlling terminal (/dev/tty), so they are
# asked even when stdout is piped; with no terminal and no AUTO_CONFIRM=1 nothing is downloaded.
# Environment: MAKE, MAKEFILE, WORK, DOWNLOADS, BATCH_DIR, BATCHES, AUTO_CONFIRM (from the Makefile).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
goal=$1; shift
make_cmd=(${MAKE:-make} -f "$MAKEFILE" --no-print-directory)
auto=${AUTO_CONFIRM:-0}

if [ $# = 0 ]; then
  echo "batches: no batches: put NAME.csv files (one image file name a line) into $BATCH_DIR/" >&2
  exit 0
fi
names=() types=() urls=() folders=()
for spec in "$@"; do
  IFS='|' read -r name type url folder <<<"$spec"
  names+=("$name") types+=("$type") urls+=("$url") folders+=("$folder")
done
count=${#names[@]}

# A controlling terminal exists when /dev/tty opens (stdin and stdout may be files or pipes).
has_tty() { { : </dev/tty; } 2>/dev/null; }

# selection ANSWER — the batch numbers (1-based, in order, once each) of `1,3`, `1-3`, `all`;
# fails on anything else.
selection() {
  local answer=${1// /} part from to i picked=()
  [ -n "$answer" ] || return 1
  [ "$answer" = all ] && { seq 1 "$count"; return 0; }
  IFS=',' read -ra parts <<<"$answer"
  for part in "${parts[@]}"; do
    if [[ $part =~ ^([0-9]+)-([0-9]+)$ ]]; then from=${BASH_REMATCH[1]} to=${BASH_REMATCH[2]}
    elif [[ $part =~ ^[0-9]+$ ]]; then from=$part to=$part
    else return 1
    fi
    ((from >= 1 && to <= count && from <= to)) || return 1
    for ((i = from; i <= to; i++)); do picked[i]=1; done
  done
  for i in "${!picked[@]}"; do echo "$i"; done
}

chosen=()
if [ -n "${BATCHES:-}" ]; then
  for wanted in ${BATCHES//,/ }; do
    found=""
    for ((i = 0; i < count; i++)); do [ "${names[i]}" = "$wanted" ] && found=1; done
    [ -n "$found" ] || { echo "batches: BATCHES names '$wanted', which is not a batch in $BATCH_DIR/ (there: ${names[*]})" >&2; exit 2; }
    chosen+=("$wanted")
  done
elif [ "$auto" = 1 ] || [ "$count" = 1 ] || ! has_tty; then
  chosen=("${names[@]}")
else
  {
    echo
    echo "Batches in $BATCH_DIR/:"
    for ((i = 0; i < count; i++)); do
      printf '%3d. %s.csv → %s → %s → %s/\n' $((i + 1)) "${names[i]}" "${types[i]}" "${urls[i]}" "${folders[i]}"
    done
    echo "Which to run? Numbers (1,3), ranges (1-3), all, or q to quit."
  } >/dev/tty
  while true; do
    printf 'Your selection: ' >/dev/tty
    IFS= read -r answer </dev/tty || answer=q
    [ "$answer" = q ] && { echo "batches: none chosen" >&2; exit 0; }
    if picks=$(selection "$answer"); then
      for i in $picks; do chosen+=("${names[i - 1]}"); done
      break
    fi
    echo "Please answer with numbers from 1 to $count (1,3 or 1-3), all, or q." >/dev/tty
  done
fi

# 1. List the chosen batches that are not listed yet (make -j N: N at once).
# `make -q TARGET` exits 0 when TARGET is up to date.
pending() { local stage=$1 name; for name in "${chosen[@]}"; do "${make_cmd[@]}" -q "$WORK/$name/$stage.ndjson" 2>/dev/null || echo "$WORK/$name/$stage.ndjson"; done; }
mapfile -t targets < <(pending listed)
[ ${#targets[@]} = 0 ] || "${make_cmd[@]}" "${targets[@]}"

# 2. Each batch not downloaded yet: its summary and the question.
go=() skipped=() unasked=()
for name in "${chosen[@]}"; do
  folder=""
  for ((i = 0; i < count; i++)); do [ "${names[i]}" = "$name" ] && folder=${folders[i]}; done
  if "${make_cmd[@]}" -q "$WORK/$name/fetched.ndjson" 2>/dev/null; then go+=("$name"); continue; fi
  status=0
  AUTO_CONFIRM=$auto CONFIRM_QUIET=1 "$here/confirm-download.sh" "$name" "$WORK/$name/listed.ndjson" "$folder" "$WORK/$name/fetched.ndjson.part" || status=$?
  case $status in
    0) go+=("$name") ;;
    1) skipped+=("$name") ;;
    3) unasked+=("$name") ;;
    *) exit "$status" ;;
  esac
done
if [ ${#unasked[@]} -gt 0 ]; then
  echo "batches: no terminal to ask before downloading ${unasked[*]}: set AUTO_CONFIRM=1 to download without asking" >&2
  exit 2
fi

# 3. The confirmed batches to GOAL (the question is answered: AUTO_CONFIRM=1 for the stages).
if [ ${#go[@]} -gt 0 ]; then
  chosen=("${go[@]}")
  mapfile -t targets < <(pending "$goal")
  [ ${#targets[@]} = 0 ] || "${make_cmd[@]}" AUTO_CONFIRM=1 "${targets[@]}"
  if [ "$goal" = categorized ]; then
    for name in "${go[@]}"; do "$here/stage-summary.sh" "$name" "$WORK/$name"; done
  fi
fi
for name in ${skipped[@]+"${skipped[@]}"}; do echo "$name: skipped (answered n)" >&2; done
exit 0
