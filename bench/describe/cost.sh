#!/usr/bin/env bash
# cost.sh — what 1,000 images cost through describe + categorize + embed, from the tools' own
# summary lines, against the project's Gemini emulator (which reports usageMetadata by the
# documented token rules): online, Batch Mode, a local server (price 0), and the reference
# tool's way — one call per image per stage at the same model. The reference's token use is
# measured, not guessed: the same emulator answers one image per call (categorize
# --per-request 1, embed --per-request 1; describe is one call per image in both tools).
# Prints a Markdown table (README "What 1,000 images cost"). Needs the venv (.venv, Pillow) and
# the tools built (BIN, default .build/debug; the numbers do not depend on the build).
# COST_IMAGES changes the count.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${VENV:-$ROOT/.venv}/bin/python
BIN=${BIN:-$ROOT/.build/debug}
N=${COST_IMAGES:-1000}
TMP=$(mktemp -d)
EMU_PID=""
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

"$PY" emulator/gemini_emulator.py --api-key cost-key --latency-ms 0 --batch-seconds 0.5 > "$TMP/url" 2>/dev/null &
EMU_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/url" ] && break; sleep 0.05; done
URL=$(head -n1 "$TMP/url")
export GEMINI_API_KEY=cost-key GOOGLE_API_KEY= GOOGLE_GEMINI_BASE_URL="$URL"
stat() { "$PY" -c "import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1] + '/emulator/stats'))[sys.argv[2]])" "$URL" "$1"; }

# Real small JPEGs (photos' sizes after img-resize: long side 256–768 px), with noise and
# gradients so they are not trivially small files.
mkdir -p "$TMP/img"
"$PY" - "$TMP/img" "$N" <<'PY'
import random, sys
from PIL import Image, ImageDraw
d, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
for i in range(n):
    w = random.choice([256, 384, 512, 640, 768]); h = int(w * random.choice([0.56, 0.66, 0.75, 1.0]))
    im = Image.new("RGB", (w, h), ((i * 53) % 256, (i * 97) % 256, (i * 31 + 90) % 256))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = random.randrange(w), random.randrange(h)
        draw.ellipse([x, y, x + random.randrange(20, w // 2), y + random.randrange(20, h // 2)],
                     fill=tuple(random.randrange(256) for _ in range(3)))
    im.save(f"{d}/p{i:05d}.jpg", quality=85)
PY
ls "$TMP"/img/*.jpg > "$TMP/images.txt"
cp data/categories.csv "$TMP/categories.csv"

# run NAME TOOL ARGS...: the tool's summary (its last stderr line) into $TMP/NAME.err
run() {
  local name=$1 tool=$2; shift 2
  "$BIN/$tool" "$@" 2> "$TMP/$name.err" > /dev/null
}
B=(--batch --poll-seconds 0.2)
cd "$TMP"
# Online, at the standard price.
run describe gemini-describe -o d.ndjson images.txt
run categorize categorize --categories categories.csv --per-request 20 -o c.ndjson d.ndjson
run embed embed --dimensions 768 -o e.ndjson c.ndjson
# Batch Mode: the same requests in jobs (inline under 20 MB, else an uploaded file).
run describe-batch gemini-describe "${B[@]}" -o db.ndjson images.txt
run categorize-batch categorize "${B[@]}" --categories categories.csv --per-request 20 -o cb.ndjson db.ndjson
run embed-batch embed "${B[@]}" --dimensions 768 -o eb.ndjson cb.ndjson
# A local server: a model with no price here, on a loopback base URL (the emulator stands in
# for the server): the summary says $0; embed --local tfidf needs no server at all.
run describe-local gemini-describe --model gemini-3-flash-preview -o dl.ndjson images.txt
run categorize-local categorize --model gemini-3-flash-preview --categories categories.csv --per-request 20 -o cl.ndjson dl.ndjson
run embed-local embed --local tfidf --dimensions 768 -o el.ndjson cl.ndjson
# The reference's way: one call per description and one per text (describe: as online).
run categorize-one categorize --categories categories.csv --per-request 1 -o c1.ndjson d.ndjson
run embed-one embed --dimensions 768 --per-request 1 -o e1.ndjson c.ndjson
cd "$ROOT"

"$PY" - "$TMP" "$N" <<'PY'
import re, sys
d, n = sys.argv[1], int(sys.argv[2])
def summary(name):
    """(input tokens, output tokens, cost, price source, model calls) from a run's stderr."""
    text = open(f"{d}/{name}.err").read()
    tokens = re.search(r"tokens (\d+) in / (\d+) out", text)
    estimated = re.search(r"about (\d+) input tokens", text)
    cost = re.search(r"cost \$([0-9.]+)", text)
    if not cost:
        sys.exit(f"{name}: no cost in its summary:\n{text[-600:]}")
    source = re.search(r"cost \$[0-9.]+(?: at [^(]*)? \(([^)]*)\)", text)
    tin, tout = (int(tokens.group(1)), int(tokens.group(2))) if tokens else (int(estimated.group(1)) if estimated else 0, 0)
    jobs = [int(x) for x in re.findall(r"batch: created \S+ with (\d+) requests", text)]
    calls = re.search(r"; (\d+) requests, \d+ retried", text) or re.search(r"in (\d+) batchEmbedContents calls", text)
    count = sum(jobs) if jobs else int(calls.group(1)) if calls else 0
    return tin, tout, float(cost.group(1)), source.group(1) if source else "no API (local TF-IDF)", count
rows = [
    ("reference: one call per image per stage", ["describe", "categorize-one", "embed-one"]),
    ("online", ["describe", "categorize", "embed"]),
    ("Batch Mode", ["describe-batch", "categorize-batch", "embed-batch"]),
    ("local server (price 0)", ["describe-local", "categorize-local", "embed-local"]),
]
print(f"| {n:,} images | describe | categorize | embed | total | requests | input / output tokens |")
print("|---|---:|---:|---:|---:|---:|---:|")
for label, names in rows:
    s = [summary(name) for name in names]
    total = sum(x[2] for x in s)
    print(f"| {label} | ${s[0][2]:.4f} | ${s[1][2]:.4f} | ${s[2][2]:.4f} | **${total:.4f}** | "
          f"{sum(x[4] for x in s):,} | {sum(x[0] for x in s):,} / {sum(x[1] for x in s):,} |")
print()
for label, names in rows:
    print(f"- {label}: " + "; ".join(f"{name}: {summary(name)[3]}" for name in names))
PY
for stage in describe categorize embed; do
  echo "$stage --batch: $(grep -o 'batch: \(uploading\|sending\) [^)]*)[^;]*' "$TMP/$stage-batch.err" | head -n1)"
done
echo "emulator: $(stat generate_content) generateContent calls, $(stat batches_created) batch jobs ($(stat batches_inline) inline, $(stat files_uploaded) uploaded files), $(stat embed_calls) embedding calls"
