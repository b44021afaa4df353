#!/usr/bin/env bash
# run-anchors.sh — time S3 downloaders ("anchors") on the bench server: same prefix, each into a
# fresh empty dir, BENCH_RUNS rounds (tools interleaved), then the median of each tool.
# Needs: start-s3.sh running, populate.py done (add --list-count for the listing rows).
# Env:  BENCH_PREFIX       download prefix (datalake_training/)
#       BENCH_LIST_PREFIX  listing-only prefix (datalake_listing/; empty = skip listing rows)
#       BENCH_OUT          scratch dir (/tmp/bench-dl): downloads, logs, results.tsv
#       BENCH_RUNS         rounds (3)       BENCH_ONLY  run only these tool names (space-separated)
#       BENCH_SERVER_CPUS, BENCH_CLIENT_CPUS  taskset CPU lists (e.g. 0 and 1) to keep the server
#                          and the tool on separate cores; default: both share every core
#       EXTRA_NAME, EXTRA_CMD  one more downloader, run as `bash -c "$EXTRA_CMD"` with
#         $DEST (empty dir to fill), $BUCKET, $PREFIX, $KEYS (stored keys, one a line),
#         $RECORDS (s3ls NDJSON of the same objects), $HERE and the AWS_* variables exported, e.g.
#         EXTRA_NAME=s3fetch EXTRA_CMD='s3fetch --dir "$DEST" < "$RECORDS" > /dev/null'
# Output columns: wall = elapsed s; obj/s; MB/s (10^6 B); cpu = the tool's user+sys s (children
# included); srv_cpu = SeaweedFS user+sys s; reqs = S3 requests the server counted (HEAD counts
# as GET there; needs curl and BENCH_METRICS_PORT); host% = busy share of all cores in the run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/env.sh"
export HERE BUCKET=$BENCH_BUCKET PREFIX=${BENCH_PREFIX:-datalake_training/}
export LPREFIX=${BENCH_LIST_PREFIX-datalake_listing/}
OUT=${BENCH_OUT:-${TMPDIR:-/tmp}/bench-dl}; RUNS=${BENCH_RUNS:-3}
TIME=/usr/bin/time; [ -x $TIME ] || { echo "run-anchors: install 'time' (apt-get install time)" >&2; exit 1; }
weed_pid=$(cat "$BENCH_S3_STATE/weed.pid" 2>/dev/null) || { echo "run-anchors: no server; run start-s3.sh" >&2; exit 1; }
PIN=; [ -z "${BENCH_CLIENT_CPUS:-}" ] || PIN="taskset -c $BENCH_CLIENT_CPUS"
if [ -n "${BENCH_SERVER_CPUS:-}" ]; then   # pin every weed thread; undo on exit
  taskset -a -p -c "$BENCH_SERVER_CPUS" "$weed_pid" >/dev/null
  trap 'taskset -a -p -c "0-$(($(nproc) - 1))" "$weed_pid" >/dev/null' EXIT
fi
mkdir -p "$OUT"; RES=$OUT/results.tsv; : > "$RES"

# rclone remote "bench:" from the environment only (empty config file: never the user's).
: > "$OUT/rclone.conf"
export RCLONE_CONFIG=$OUT/rclone.conf RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other \
  RCLONE_CONFIG_BENCH_ENDPOINT=$AWS_ENDPOINT_URL RCLONE_CONFIG_BENCH_REGION=$AWS_REGION \
  RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY

# What every downloader must produce: the objects under PREFIX, from a fresh listing.
export KEYS=$OUT/keys.txt RECORDS=$OUT/records.ndjson
python3 "$HERE/boto3_fetch.py" list "$BUCKET" "$PREFIX" --records > "$RECORDS"
sed 's/.*"key": "\([^"]*\)".*/\1/' "$RECORDS" > "$KEYS"
EXP_N=$(wc -l < "$RECORDS"); EXP_B=$(sed 's/.*"size": \([0-9]*\).*/\1/' "$RECORDS" | awk '{s+=$1} END{print s+0}')
EXP_LS=0; [ -z "$LPREFIX" ] || EXP_LS=$(python3 "$HERE/boto3_fetch.py" list "$BUCKET" "$LPREFIX" | wc -l)
echo "run-anchors: $EXP_N objects, $EXP_B bytes under s3://$BUCKET/$PREFIX; $EXP_LS under $LPREFIX; $RUNS runs" >&2

# The anchors: `anchor NAME KIND CMD`. KIND dl: CMD fills $DEST; KIND ls: CMD prints one line
# per object. Add a tool by adding a line.
NAMES=(); KINDS=(); CMDS=()
anchor() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]] || return 0
           NAMES+=("$1"); KINDS+=("$2"); CMDS+=("$3"); }
anchor s5cmd       dl '"$S5CMD" cp "s3://$BUCKET/$PREFIX*" "$DEST/"'
anchor s5cmd-w64   dl '"$S5CMD" --numworkers 64 cp "s3://$BUCKET/$PREFIX*" "$DEST/"'
# s5cmd fed the key list (no listing): the closest anchor for a downloader that reads keys.
anchor s5cmd-keys  dl 'sed "s|.*|cp s3://$BUCKET/& $DEST/&|" "$KEYS" | "$S5CMD" run'
anchor rclone-t32  dl 'rclone copy "bench:$BUCKET/$PREFIX" "$DEST" --transfers 32'
anchor aws-cli     dl 'aws s3 cp --recursive --only-show-errors "s3://$BUCKET/$PREFIX" "$DEST"'
anchor boto3-seq   dl 'python3 "$HERE/boto3_fetch.py" download "$BUCKET" "$PREFIX" "$DEST"'
anchor boto3-t16   dl 'python3 "$HERE/boto3_fetch.py" download "$BUCKET" "$PREFIX" "$DEST" --workers 16'
[ -z "${EXTRA_CMD:-}" ] || anchor "${EXTRA_NAME:-extra}" dl "$EXTRA_CMD"
# This project's tools (release build): s3fetch reads the s3ls records of the prefix (size and
# ETag from the listing: one GET per object, no HEAD); s3ls --all lists the listing prefix.
BIN=${BENCH_BIN:-$HERE/../../.build/release}
if [ -x "$BIN/s3fetch" ]; then
  export BIN
  anchor s3fetch   dl '"$BIN/s3fetch" --yes -q --log-file /dev/null --dir "$DEST" "$RECORDS" > /dev/null'
fi
if [ -n "$LPREFIX" ]; then
  anchor ls-s5cmd  ls '"$S5CMD" ls "s3://$BUCKET/$LPREFIX*"'
  anchor ls-boto3  ls 'python3 "$HERE/boto3_fetch.py" list "$BUCKET" "$LPREFIX"'
  [ ! -x "$BIN/s3ls" ] || anchor ls-s3ls ls '"$BIN/s3ls" --all -q "s3://$BUCKET/$LPREFIX"'
fi

s3_reqs()    { curl -s "http://127.0.0.1:$BENCH_METRICS_PORT/metrics" 2>/dev/null |
               awk '/^SeaweedFS_s3_request_total/ { s += $NF } END { print s + 0 }'; }
srv_ticks()  { awk '{print $14 + $15}' "/proc/$weed_pid/stat"; }          # weed utime+stime
host_ticks() { awk '/^cpu /{b=$2+$3+$4+$7+$8+$9; print b, b+$5+$6}' /proc/stat; }  # busy total
measure() {  # measure RUN NAME KIND CMD -> one TSV line
  local run=$1 name=$2 kind=$3 cmd=$4 dest=$OUT/dl/$2 st=ok n b s0 s1 t0 t1 hb0 ht0 hb1 ht1 q0 q1
  rm -rf "$OUT/dl"; mkdir -p "$dest"; sync          # fresh dir; no writeback left over
  q0=$(s3_reqs); s0=$(srv_ticks); read -r hb0 ht0 < <(host_ticks); t0=$(date +%s%N)
  DEST=$dest $TIME -f "%U %S" -o "$OUT/cpu.txt" $PIN bash -c "$cmd" >"$OUT/$name.out" 2>"$OUT/$name.err" || st=FAIL
  t1=$(date +%s%N); s1=$(srv_ticks); read -r hb1 ht1 < <(host_ticks); q1=$(s3_reqs)
  if [ "$kind" = dl ]; then
    n=$(find "$dest" -type f | wc -l); b=$(find "$dest" -type f -printf '%s\n' | awk '{s+=$1} END{print s+0}')
    [ "$n" = "$EXP_N" ] && [ "$b" = "$EXP_B" ] || st=${st/ok/WRONG}
  else
    n=$(wc -l < "$OUT/$name.out"); b=0; [ "$n" = "$EXP_LS" ] || st=${st/ok/WRONG}
  fi
  awk -v r="$run" -v name="$name" -v n="$n" -v b="$b" -v ns=$((t1 - t0)) -v st="$st" \
      -v srv=$((s1 - s0)) -v tck="$(getconf CLK_TCK)" -v hb=$((hb1 - hb0)) -v ht=$((ht1 - ht0)) -v q=$((q1 - q0)) \
      -v cpu="$(tail -n1 "$OUT/cpu.txt")" 'BEGIN { split(cpu, c, " "); w = ns / 1e9;
      printf "%s\t%s\t%d\t%d\t%.2f\t%.0f\t%.1f\t%.2f\t%.2f\t%d\t%.0f\t%s\n", r, name, n, b, w, n / w,
             b / 1e6 / w, c[1] + c[2], srv / tck, q, ht ? 100 * hb / ht : 0, st }' | tee -a "$RES"
}

printf 'run\ttool\tobjects\tbytes\twall_s\tobj/s\tMB/s\tcpu_s\tsrv_cpu_s\treqs\thost%%\tstatus\n'
for run in $(seq 1 "$RUNS"); do
  for i in "${!NAMES[@]}"; do measure "$run" "${NAMES[$i]}" "${KINDS[$i]}" "${CMDS[$i]}"; done
done
rm -rf "$OUT/dl"

# Medians per tool, and each download tool's wall time relative to the fastest one.
python3 -I - "$RES" <<'PY'
import sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
tools = list(dict.fromkeys(r[1] for r in rows))
med = {t: [st.median(float(r[i]) for r in rows if r[1] == t) for i in range(2, 11)] for t in tools}
best = min((med[t][2] for t in tools if not t.startswith("ls-")), default=0)
print(f"\nmedian of {max(int(r[0]) for r in rows)} runs")
print("| tool | objects | bytes | wall s | obj/s | MB/s | cpu s | server cpu s | S3 reqs | host busy % | vs fastest | runs ok |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for t in tools:
    n, b, w, ops, mbs, cpu, srv, reqs, host = med[t]
    ok = sum(r[11] == "ok" for r in rows if r[1] == t); runs = sum(r[1] == t for r in rows)
    rel = "-" if t.startswith("ls-") or not best else f"{w / best:.1f}x"
    print(f"| {t} | {n:.0f} | {b:.0f} | {w:.2f} | {ops:.0f} | {mbs:.1f} | {cpu:.2f} | {srv:.2f} | {reqs:.0f} | {host:.0f} | {rel} | {ok}/{runs} |")
def ratio(ours, anchor, i):
    return med[ours][i] / med[anchor][i] if ours in med and anchor in med and med[anchor][i] else None
print()
for label, ours, anchor, i, goal in [("s3fetch obj/s vs s5cmd", "s3fetch", "s5cmd", 3, ">= 1.00"),
                                     ("s3fetch client CPU vs s5cmd", "s3fetch", "s5cmd", 5, "<= 0.80"),
                                     ("s3fetch obj/s vs boto3 sequential", "s3fetch", "boto3-seq", 3, "(reference tool)"),
                                     ("s3ls keys/s vs s5cmd ls", "ls-s3ls", "ls-s5cmd", 3, ">= 1.00")]:
    r = ratio(ours, anchor, i)
    if r is not None:
        print(f"ratio: {label}: {r:.2f}x  (goal {goal})")
PY
