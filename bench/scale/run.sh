#!/usr/bin/env bash
# run.sh — `make bench-scale`: memory at scale on one machine.
#  1. s3ls matching SCALE_NAMES names (default 10,000,000) against a listing of as many keys,
#     served by fake_listing.py (ListObjectsV2 pages made up on the fly, the real client path):
#     peak RSS, CPU, wall time, names/s. SCALE_NAMES=0 skips it; STAGE_SIZES= skips step 3.
#  2. s3ls against the real SeaweedFS (bench/s3/start-s3.sh) with SCALE_REAL objects (default
#     100,000; populating is the slow part, see README; SCALE_REAL=1000000 to measure that size,
#     0 to skip). The objects stay in the server's state dir, so a rerun only lists.
#  3. Every stage's peak RSS at STAGE_SIZES records (default "100000 1000000"), as MB per
#     million records: s3fetch, img-resize, gemini-describe, categorize and embed read s3ls's
#     not_found error records (they pass them on without work, through the same reader,
#     resume journal and writer); s3ls, plotdist and img-resize-real (records whose files are
#     missing: each id is claimed, so the duplicate-id index shows) read real ones.
#     STAGE_TOOLS="plotdist img-resize-real" measures only those.
#  4. bench/scale/shards.sh (the SHARDS=4 speed-up) when it is there; SCALE_SHARDS=0 skips it.
# Release binaries from BIN (default .build/release). Results go to BENCH_OUT (default
# $TMPDIR/bench-scale); the tables print at the end.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${BIN:-$ROOT/.build/release}
SCALE_NAMES=${SCALE_NAMES:-10000000}
SCALE_REAL=${SCALE_REAL:-100000}
STAGE_SIZES=${STAGE_SIZES-100000 1000000}
STAGE_TOOLS=${STAGE_TOOLS:-s3ls s3fetch img-resize gemini-describe categorize embed plotdist img-resize-real}
SCALE_SHARDS=${SCALE_SHARDS:-1}
OUT=${BENCH_OUT:-${TMPDIR:-/tmp}/bench-scale}
PYTHON=${PYTHON:-$(command -v "${VENV:-$ROOT/.venv}/bin/python" || command -v python3)}
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: > "$RESULTS"

# A fake listing of $1 keys (a .png beside every 1,000th); sets LISTING_PID and the AWS_* variables.
start_listing() {
    rm -f "$OUT/listing.port" "$OUT/listing.in"
    mkfifo "$OUT/listing.in"
    "$PYTHON" "$HERE/fake_listing.py" "$1" --ambiguous 1000 < "$OUT/listing.in" > "$OUT/listing.port" &
    LISTING_PID=$!
    exec {LISTING_HOLD}> "$OUT/listing.in"   # the server runs until this closes
    for _ in $(seq 300); do [ -s "$OUT/listing.port" ] && break; sleep 0.1; done
    export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1
    export AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$OUT/listing.port") AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
    unset AWS_SESSION_TOKEN AWS_PROFILE
}
stop_listing() {
    exec {LISTING_HOLD}>&-
    wait "$LISTING_PID" 2>/dev/null || true
    rm -f "$OUT/listing.in"
}

# $1 names img_%08d.jpg in key order: every 100th listed as .png (found by its stem), every
# 1,000th replaced by a missing name.
make_names() {
    "$PYTHON" - "$1" "$2" <<'EOF'
import sys
count, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    for i in range(count):
        if i % 1000 == 999: out.write(f"missing_{i:08d}.jpg\n")
        elif i % 100 == 1: out.write(f"img_{i:08d}.png\n")
        else: out.write(f"img_{i:08d}.jpg\n")
EOF
}

# measure LABEL RECORDS STDIN COMMAND...: runs it alone under measure.py; appends a result line.
measure() {
    local label=$1 records=$2 stdin=$3
    shift 3
    local line
    line=$("$PYTHON" "$HERE/measure.py" "$stdin" "$OUT/$label.out" "$OUT/$label.err" -- "$@")
    read -r status peak user sys wall <<<"$line"
    if [ "$status" != 0 ]; then echo "$label: exit $status; see $OUT/$label.err" >&2; tail -3 "$OUT/$label.err" >&2; fi
    echo "$label $records $peak $user $sys $wall $status" | tee -a "$RESULTS"
}

if [ "$SCALE_NAMES" -gt 0 ]; then
echo "== s3ls: $SCALE_NAMES names against a fake listing of $SCALE_NAMES keys"
make_names "$SCALE_NAMES" "$OUT/names.txt"
start_listing "$SCALE_NAMES"
# To stdout (a file): with -o, the resume journal also remembers every id it writes (a 16-byte
# hash an id in a HashSet128, 18–27 bytes with its free slots: 180–270 MB at ten million),
# which is the resume index, not the matching.
measure s3ls-scale "$SCALE_NAMES" "$OUT/names.txt" "$BIN/s3ls" -q s3://bench/set/
stop_listing
tail -1 "$OUT/s3ls-scale.err"
rm -f "$OUT/s3ls-scale.out" "$OUT/names.txt"
fi

if [ "$SCALE_REAL" -gt 0 ]; then
    echo "== s3ls: $SCALE_REAL names against SeaweedFS holding $SCALE_REAL objects"
    (
        # shellcheck source=../s3/env.sh
        . "$ROOT/bench/s3/env.sh"
        "$ROOT/bench/s3/start-s3.sh" >/dev/null
        "$PYTHON" - "$SCALE_REAL" <<'EOF'
# 100-byte objects set/img_%08d.jpg, put by 32 threads with boto3 (only the missing ones).
import concurrent.futures, os, sys, time
import boto3
count, bucket = int(sys.argv[1]), "scale"
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
try: s3.create_bucket(Bucket=bucket)
except s3.exceptions.ClientError: pass
have = sum(page.get("KeyCount", 0) for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="set/"))
start = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(32) as pool:
    list(pool.map(lambda i: s3.put_object(Bucket=bucket, Key=f"set/img_{i:08d}.jpg", Body=b"x" * 100), range(have, count)))
took = time.monotonic() - start
print(f"populated {count - have} objects in {took:.0f} s ({(count - have) / max(took, 1e-9):.0f}/s; {have} were there)", flush=True)
EOF
        make_names "$SCALE_REAL" "$OUT/names-real.txt"
        measure s3ls-seaweedfs "$SCALE_REAL" "$OUT/names-real.txt" "$BIN/s3ls" -q s3://scale/set/
        "$ROOT/bench/s3/stop-s3.sh" >/dev/null
    )
fi

# Records for the stages: N s3ls not_found error records, N categorized records for plotdist,
# and N records whose files are missing for img-resize.
make_records() {
    "$PYTHON" - "$1" "$OUT/errors-$1.ndjson" "$OUT/categorized-$1.ndjson" "$OUT/paths-$1.ndjson" <<'EOF'
import sys
count, errors, categorized, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cats = [f"category {c}" for c in range(40)]
with open(errors, "w") as e, open(categorized, "w") as c, open(paths, "w") as p:
    for i in range(count):
        p.write(f'{{"id":"img_{i:08d}","name":"img_{i:08d}.jpg","path":"/nonexistent/img_{i:08d}.jpg"}}\n')
        e.write(f'{{"id":"img_{i:08d}","name":"img_{i:08d}.jpg","error":{{"stage":"s3ls","code":"not_found",'
                f'"message":"no object named img_{i:08d}.jpg under s3://lake/set/","retryable":false}}}}\n')
        c.write(f'{{"id":"img_{i:08d}","name":"img_{i:08d}.jpg","categories":["{cats[i % 40]}","{cats[(i * 7) % 40]}"]}}\n')
EOF
}

wanted() { [[ " $STAGE_TOOLS " == *" $1 "* ]]; }
export GOOGLE_API_KEY=bench-not-used GEMINI_API_KEY=bench-not-used
for n in $STAGE_SIZES; do
    echo "== stages at $n records"
    make_records "$n"
    if wanted s3ls; then
        make_names "$n" "$OUT/names-$n.txt"
        start_listing "$n"
        measure "s3ls@$n" "$n" "$OUT/names-$n.txt" "$BIN/s3ls" -q s3://bench/set/
        stop_listing
    fi
    errors=$OUT/errors-$n.ndjson
    if wanted s3fetch; then rm -f "$OUT/stage.ndjson"; measure "s3fetch@$n" "$n" "$errors" "$BIN/s3fetch" -q --yes --dir "$OUT/downloads" -o "$OUT/stage.ndjson"; fi
    if wanted img-resize; then rm -f "$OUT/stage.ndjson"; measure "img-resize@$n" "$n" "$errors" "$BIN/img-resize" -q --out-dir "$OUT/resized" -o "$OUT/stage.ndjson"; fi
    if wanted gemini-describe; then rm -f "$OUT/stage.ndjson"; measure "gemini-describe@$n" "$n" "$errors" "$BIN/gemini-describe" -q --base-url http://127.0.0.1:9 --no-model-check -o "$OUT/stage.ndjson"; fi
    if wanted categorize; then rm -f "$OUT/stage.ndjson"; measure "categorize@$n" "$n" "$errors" "$BIN/categorize" -q --base-url http://127.0.0.1:9 --no-model-check --categories "$HERE/categories.txt" -o "$OUT/stage.ndjson"; fi
    if wanted embed; then rm -f "$OUT/stage.ndjson"; measure "embed@$n" "$n" "$errors" "$BIN/embed" -q --base-url http://127.0.0.1:9 --no-model-check -o "$OUT/stage.ndjson"; fi
    if wanted plotdist; then rm -f "$OUT/stage.ndjson"; measure "plotdist@$n" "$n" /dev/null "$BIN/plotdist" -q "REAL=$OUT/categorized-$n.ndjson" -o "$OUT/chart.png"; fi
    if wanted img-resize-real; then rm -f "$OUT/stage.ndjson"; measure "img-resize-real@$n" "$n" "$OUT/paths-$n.ndjson" "$BIN/img-resize" -q --out-dir "$OUT/resized" -o "$OUT/stage.ndjson"; fi
    rm -f "$OUT/stage.ndjson"
done

# The table: MB per million records = peak RSS / (records / 1e6); the growth between the two
# sizes is what the records cost (the rest is the program itself).
"$PYTHON" - "$RESULTS" <<'EOF'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
print()
for label, records, peak, user, sys_, wall, status in rows:
    if label.startswith("s3ls-"):
        n = int(records)
        print(f"{label}: {n:,} names, peak {float(peak):.0f} MB, {float(user):.1f} s user, {float(wall):.1f} s wall, "
              f"{n / float(wall):,.0f} names/s" + ("" if status == "0" else f" (exit {status})"))
stages = {}
for label, records, peak, *_ in rows:
    if "@" in label:
        tool, n = label.split("@")
        stages.setdefault(tool, {})[int(n)] = float(peak)
if stages:
    sizes = sorted({n for s in stages.values() for n in s})
    print()
    print("| tool | " + " | ".join(f"peak MB at {n:,}" for n in sizes) + " | MB per million records (growth) |")
    print("| --- |" + " ---: |" * (len(sizes) + 1))
    for tool, peaks in stages.items():
        cells = [f"{peaks[n]:.0f}" if n in peaks else "" for n in sizes]
        lo, hi = min(peaks), max(peaks)
        growth = (peaks[hi] - peaks[lo]) / ((hi - lo) / 1e6) if hi > lo else float("nan")
        print(f"| {tool} | " + " | ".join(cells) + f" | {growth:.1f} |")
EOF

if [ "$SCALE_SHARDS" != 0 ] && [ -x "$HERE/shards.sh" ]; then
    echo "== SHARDS=4 speed-up (bench/scale/shards.sh)"
    "$HERE/shards.sh"
fi
