#!/usr/bin/env bash
# run.sh — the S3 benchmark in one go: start SeaweedFS on 127.0.0.1, populate the bench bucket
# (2,000 objects of 50 KB–1.5 MB, mean ~400 KB, plus 50,000 tiny keys for listing), time s3fetch
# and s3ls beside s5cmd, rclone, aws s3 cp and boto3 (run-anchors.sh), print the table and our
# ratios, stop the server. Needs `make bench-deps` (the tools in .venv) and a release build.
# Env: BENCH_RUNS (default 5), BENCH_ONLY, BENCH_S3_PORT (18333), BENCH_S3_KEEP=1 keeps the data,
#      BENCH_OUT (download scratch; default /dev/shm/bench-dl when /dev/shm has 2 GB free, else
#      /tmp/bench-dl). Why tmpfs: every run starts by deleting the previous tool's 2,000 files, and
#      on an ext4 without a journal each new inode then scans the recently deleted ones (kernel
#      `recently_deleted`), which costs every tool ~1 s of CPU inside openat that is not its own.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/env.sh"
export BENCH_RUNS=${BENCH_RUNS:-5}
if [ -z "${BENCH_OUT:-}" ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR==2 {print $4}')" -gt 2000000 ]; then
  export BENCH_OUT=/dev/shm/bench-dl
fi
DATA=${BENCH_DATA:-${TMPDIR:-/tmp}/bench-s3-data-$BENCH_S3_PORT}
trap '"$HERE/stop-s3.sh"' EXIT
"$HERE/start-s3.sh" > /dev/null
python3 "$HERE/populate.py" --out "$DATA" --list-count 50000
"$HERE/run-anchors.sh"
