#!/usr/bin/env bash
# confirm-download.sh NAME LISTED DIR PART — before a dataset's download: show the found/missing
# summary of its s3ls records and ask to go on (AUTO_CONFIRM=1 skips the question; so does
# resuming an interrupted download, PART existing). The question goes to the controlling terminal
# (/dev/tty), so it is asked whenever a person can answer, also with stdout piped into tee or grep.
# Exit 0: download; 1: the answer was no; 3: no terminal to ask and no AUTO_CONFIRM=1 (the one-line
# message is printed here unless CONFIRM_QUIET=1, for run-batches.sh, which prints one for all).
set -euo pipefail
name=$1 listed=$2 dir=$3 part=$4
python3 - "$name" "$listed" "$dir" <<'PY' >&2
import json, sys
name, listed, folder = sys.argv[1:4]
found = missing = ambiguous = other = size = 0
missing_names = []
with open(listed, encoding="utf-8", errors="replace") as f:
    for line in f:
        try:
            record = json.loads(line)
        except ValueError:
            other += 1
            continue
        error = record.get("error")
        if error:
            if error.get("code") == "not_found":
                missing += 1
                if len(missing_names) < 10:
                    missing_names.append(record.get("name") or record.get("id") or "?")
            else:
                other += 1
            continue
        found += 1
        size += record.get("size") or 0
        ambiguous += 1 if record.get("alternatives") else 0
print(f"\n{name}: {found + missing + other} listed, {found} found, {missing} missing, {ambiguous} ambiguous"
      + (f", {other} other errors" if other else "") + f"; {size / 1e6:,.1f} MB to download into {folder}/")
if missing_names:
    print("  missing: " + ", ".join(missing_names) + (" …" if missing > len(missing_names) else ""))
PY
[ "${AUTO_CONFIRM:-0}" = 1 ] && exit 0
[ -e "$part" ] && { echo "  (resuming the interrupted download)" >&2; exit 0; }
# Ask only when a person can answer: a controlling terminal exists.
if ! { : </dev/tty; } 2>/dev/null; then
  [ "${CONFIRM_QUIET:-0}" = 1 ] || echo "$name: no terminal to ask before downloading: set AUTO_CONFIRM=1 to download without asking" >&2
  exit 3
fi
while true; do
  printf 'Do you want to continue with the download of %s? (y/n): ' "$name" >/dev/tty
  IFS= read -r answer </dev/tty || answer=n
  case $answer in
    y|Y|yes|YES|Yes) exit 0 ;;
    n|N|no|NO|No) echo "$name: not downloaded (answered n)" >&2; exit 1 ;;
  esac
done
