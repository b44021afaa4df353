#!/usr/bin/env bash
# list-batches.sh BATCH_DIR WORK DOWNLOADS 'NAME|TYPE|S3URL|DOWNLOADS_DIR'... — what `make downloads`
# and `make batches` would do with each to_download/NAME.csv, and how far each has got.
set -euo pipefail
batch_dir=$1 work=$2; shift 3
if [ $# = 0 ]; then echo "no batches: put NAME.csv files (one image file name a line) into $batch_dir/"; exit 0; fi
printf '%-28s %-7s %7s  %-44s %-34s %s\n' BATCH TYPE NAMES 'LISTS FROM' 'DOWNLOADS INTO' DONE
for spec in "$@"; do
  IFS='|' read -r name type url downloads <<<"$spec"
  names=$(grep -cv '^[[:space:]]*$' "$batch_dir/$name.csv" || true)
  # A first line without a dot is a header, not a file name.
  head -n1 "$batch_dir/$name.csv" | grep -q '\.' || names=$((names - 1))
  done_stages=""
  for stage in listed fetched resized described categorized; do
    if [ -f "$work/$name/$stage.ndjson" ]; then done_stages="$done_stages $stage"
    elif [ -f "$work/$name/$stage.ndjson.part" ]; then done_stages="$done_stages ($stage interrupted)"; break
    fi
  done
  printf '%-28s %-7s %7s  %-44s %-34s %s\n' "$name" "$type" "$names" "$url" "$downloads/" "${done_stages:- -}"
done
echo
echo "make downloads: list and download them all; make batches: the whole pipeline for each (make -j N runs N at once)"
