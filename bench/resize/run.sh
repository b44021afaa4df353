#!/usr/bin/env bash
# run.sh — img-resize against its anchors on the real-photo corpus (make-corpus.sh), in one run:
# vipsthumbnail --size 768 (all files in one process, and once per file), the reference tool's
# Pillow code, and Pillow with draft(). Each on one core (taskset) and, where it can use them, on
# all cores; ROUNDS interleaved rounds (default 3), median wall time. Prints images/s, ms per
# megapixel, CPU seconds (user + system: steadier than wall time on a shared machine), peak RSS,
# the ratio to the fastest anchor, then PSNR/SSIM of every output against Pillow LANCZOS on the
# full decode, and img-resize's peak RSS on a 50 MP photo.
# Needs: make bench-deps (vipsthumbnail, Pillow, numpy in $VENV, GNU time, ImageMagick, jpegtran).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
CORPUS=${CORPUS:-.build-bench/resize-corpus}
PY=${PY:-${VENV:-$PWD/.venv}/bin/python}
BIN=$PWD/.build/release/img-resize
CORES=$(nproc)
HERE=$PWD/bench/resize
bench/resize/make-corpus.sh "$CORPUS"
IN=$(mktemp -d); TMP=$(mktemp -d); trap 'rm -rf "$IN" "$TMP"' EXIT
cp "$CORPUS"/*.jpg "$CORPUS"/*.png "$CORPUS"/*.webp "$IN"/
N=$(ls "$IN" | wc -l)
MP=$("$PY" -c 'import sys; from PIL import Image
print(round(sum(Image.open(f).size[0] * Image.open(f).size[1] for f in sys.argv[1:]) / 1e6, 1))' "$IN"/*)
PER_PROCESS=$(( (N + CORES - 1) / CORES ))
export IN BIN PY HERE CORES PER_PROCESS
declare -A CMDS=(
  [img-resize@1]='taskset -c 0 "$BIN" -q --jobs 1 --out-dir "$OUT" "$IN"'
  [img-resize@all]='"$BIN" -q --jobs "$CORES" --out-dir "$OUT" "$IN"'
  [vipsthumbnail@1]='VIPS_CONCURRENCY=1 taskset -c 0 vipsthumbnail "$IN"/* --size 768 -o "$OUT/%s.jpg[Q=90]"'
  [vipsthumbnail@all]='vipsthumbnail "$IN"/* --size 768 -o "$OUT/%s.jpg[Q=90]"'
  [vipsthumbnail-per-file@1]='for f in "$IN"/*; do VIPS_CONCURRENCY=1 taskset -c 0 vipsthumbnail "$f" --size 768 -o "$OUT/%s.jpg[Q=90]"; done'
  [pillow-reference@1]='taskset -c 0 "$PY" "$HERE/pillow_resize.py" reference "$OUT" "$IN"/*'
  [pillow-draft@1]='taskset -c 0 "$PY" "$HERE/pillow_resize.py" draft "$OUT" "$IN"/*'
  [pillow-draft@all]='ls "$IN"/* | xargs -P "$CORES" -n "$PER_PROCESS" "$PY" "$HERE/pillow_resize.py" draft "$OUT"'
)
for round in $(seq 1 "$ROUNDS"); do
  for tool in "${!CMDS[@]}"; do
    OUT="$TMP/out/$tool"; rm -rf "$OUT"; mkdir -p "$OUT"; export OUT
    /usr/bin/time -f "$tool %e %M %U %S" -a -o "$TMP/times" bash -c "${CMDS[$tool]}" >/dev/null 2>"$TMP/stderr" \
      || { echo "run: $tool failed:" >&2; tail -5 "$TMP/stderr" >&2; exit 1; }
  done
done
echo "corpus: $N images, $MP megapixels; $CORES cores; $ROUNDS rounds, median wall time"
echo "machine load when done: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$TMP/times" "$N" "$MP" <<'PY'
import collections, statistics as st, sys
n, mp = int(sys.argv[2]), float(sys.argv[3])
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, kb, user, system = line.split()
    runs[name].append((float(wall), int(kb), float(user) + float(system)))
rows = {k: (st.median(r[0] for r in v), max(r[1] for r in v) / 1024, st.median(r[2] for r in v)) for k, v in runs.items()}
best = {}
for k, (wall, _, _) in rows.items():
    tool, cores = k.split("@")
    if tool != "img-resize":
        best[cores] = min(best.get(cores, 1e9), wall)
print(f"{'tool':<24} {'cores':>5} {'wall_s':>7} {'images/s':>9} {'ms/MP':>7} {'cpu_s':>6} {'peak_MB':>8} {'vs fastest anchor':>18}")
for k, (wall, rss, cpu) in sorted(rows.items(), key=lambda kv: (kv[0].split('@')[1], kv[1][0])):
    tool, cores = k.split("@")
    ratio = f"{best[cores] / wall:.2f}x" if cores in best else "-"
    print(f"{tool:<24} {cores:>5} {wall:7.2f} {n / wall:9.1f} {1000 * wall / mp:7.1f} {cpu:6.2f} {rss:8.1f} {ratio:>18}")
one, every = rows.get("img-resize@1"), rows.get("img-resize@all")
if one and every:
    print(f"img-resize scaling 1 -> all cores: {one[0] / every[0]:.2f}x")
PY
echo
"$PY" "$HERE/quality.py" "$IN" "$TMP/out/img-resize@1" "$TMP/out/pillow-reference@1" "$TMP/out/pillow-draft@1" "$TMP/out/vipsthumbnail@1"
echo
# Memory per worker on a 50 MP camera-sized photo (baseline and progressive).
BIG=$(dirname "$CORPUS")/resize-50mp
if [ ! -f "$BIG/photo-50mp-progressive.jpg" ]; then
  mkdir -p "$BIG"
  /usr/bin/convert "$CORPUS/photo-Path.jpg" -resize 8660x5774! -quality 92 "$BIG/photo-50mp.jpg"
  jpegtran -progressive "$BIG/photo-50mp.jpg" > "$BIG/photo-50mp-progressive.jpg"
fi
for f in "$BIG"/photo-50mp.jpg "$BIG"/photo-50mp-progressive.jpg; do
  /usr/bin/time -f "%e %M" -o "$TMP/big" "$BIN" -q --jobs 1 --out-dir "$TMP/big-out" "$f" >/dev/null
  read -r wall kb < "$TMP/big"
  echo "50 MP input $(basename "$f"): img-resize --jobs 1 peak RSS $((kb / 1024)) MB, $wall s"
done
