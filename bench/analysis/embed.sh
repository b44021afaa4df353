#!/usr/bin/env bash
# embed.sh — embed against the project's Gemini emulator at 300 ms latency, beside the
# reference's way (Google's google-genai SDK, one embed_content call per text, one after the
# other, as its analysis script does), in the same run: texts/s, requests per 1,000 texts, and
# embed's CPU and peak RSS. Needs the release build of embed and the venv (google-genai).
# EMBED_TEXTS (5000) texts for embed, EMBED_REFERENCE_TEXTS (200) for the reference (it makes
# 3 calls a second), EMBED_DIMENSIONS (768), EMBED_CONCURRENCY (8).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=${VENV:-$ROOT/.venv}/bin/python
BIN=$ROOT/.build/release/embed
N=${EMBED_TEXTS:-5000}
NREF=${EMBED_REFERENCE_TEXTS:-200}
DIM=${EMBED_DIMENSIONS:-768}
CONC=${EMBED_CONCURRENCY:-8}
TMP=$(mktemp -d)
EMU_PID=""
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

"$PY" emulator/gemini_emulator.py --api-key bench-key --latency-ms 300 > "$TMP/url" 2>/dev/null &
EMU_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/url" ] && break; sleep 0.05; done
URL=$(head -n1 "$TMP/url")
calls() { "$PY" -c "import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1] + '/emulator/stats'))['embed_calls'])" "$URL"; }

# Described records with varied descriptions (seeded), as gemini-describe writes them.
"$PY" - "$N" > "$TMP/described.ndjson" <<'PY'
import json, random, sys
rng = random.Random(7)
things = "car dog cat tree house street beach mountain person bicycle boat flower lamp chair table window sky river bridge horse".split()
moods = "sunny overcast dusk night studio indoor neon foggy golden snowy".split()
colors = "red blue green yellow black white grey orange purple brown".split()
for i in range(int(sys.argv[1])):
    objects = [{"name": rng.choice(things), "attributes": rng.sample(colors, 2)} for _ in range(rng.randint(1, 4))]
    d = {"summary": "", "objects": objects, "scene": {"indoor_outdoor": "outdoor", "environment": rng.sample(things, 2)},
         "style": {"genre": rng.choice(["photo", "render", "painting"]), "lighting": rng.choice(moods), "colors": rng.sample(colors, 3)},
         "camera": {"shot": "wide"}, "text": [], "quality": {"aesthetic": "good", "issues": []}}
    print(json.dumps({"id": f"t{i:06d}", "description": d}))
PY
head -n "$NREF" "$TMP/described.ndjson" > "$TMP/reference.ndjson"
export GEMINI_API_KEY=bench-key GOOGLE_API_KEY=

before=$(calls)
/usr/bin/time -f "%e %U %S %M" -o "$TMP/t-ours" env GOOGLE_GEMINI_BASE_URL="$URL" "$BIN" --dimensions "$DIM" \
  --concurrency "$CONC" --vectors "$TMP/vectors.npy" -o "$TMP/embedded.ndjson" "$TMP/described.ndjson" 2>"$TMP/ours.err"
ours_calls=$(( $(calls) - before ))
ok=$(grep -c '"embedding"' "$TMP/embedded.ndjson" || true)

# The reference: the same compact texts (embed's own, from its output), one call each.
"$PY" -c "import itertools,json,sys; [print(json.dumps(json.loads(l)['embedding_text'])) for l in itertools.islice(open(sys.argv[1]), int(sys.argv[2]))]" \
  "$TMP/embedded.ndjson" "$NREF" > "$TMP/texts.jsonl"
before=$(calls)
/usr/bin/time -f "%e %U %S %M" -o "$TMP/t-ref" "$PY" - "$URL" "$DIM" "$TMP/texts.jsonl" <<'PY'
import json, sys
from google import genai
from google.genai import types
url, dim, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
client = genai.Client(api_key="bench-key", http_options=types.HttpOptions(base_url=url, api_version="v1beta"))
config = types.EmbedContentConfig(task_type="CLUSTERING", output_dimensionality=dim)
for line in open(path):
    client.models.embed_content(model="gemini-embedding-001", contents=json.loads(line), config=config)
PY
ref_calls=$(( $(calls) - before ))

"$PY" - "$N" "$ok" "$NREF" "$ours_calls" "$ref_calls" "$(cat "$TMP/t-ours")" "$(cat "$TMP/t-ref")" "$CONC" "$DIM" <<'PY'
import sys
n, ok, nref, oc, rc = map(int, sys.argv[1:6])
ow, ou, os_, om = map(float, sys.argv[6].split()); rw, ru, rs, rm = map(float, sys.argv[7].split())
conc, dim = sys.argv[8], sys.argv[9]
print(f"embed against the emulator at 300 ms latency, {dim} dimensions")
print(f"{'client':<44} {'texts':>6} {'wall s':>7} {'texts/s':>8} {'req/1000':>9} {'CPU ms/text':>12} {'peak MB':>8}")
print(f"{'embed --concurrency ' + conc + ' (100 texts a call)':<44} {n:6d} {ow:7.2f} {n / ow:8.1f} {1000 * oc / n:9.1f} {1000 * (ou + os_) / n:12.3f} {om / 1024:8.1f}")
print(f"{'reference: google-genai, 1 call per text':<44} {nref:6d} {rw:7.2f} {nref / rw:8.1f} {1000 * rc / nref:9.1f} {1000 * (ru + rs) / nref:12.3f} {rm / 1024:8.1f}")
print(f"records with a vector: {ok}/{n}; {(n / ow) / (nref / rw):.1f}x the reference's texts/s, "
      f"{(rc / nref) / (oc / n):.0f}x fewer requests")
PY
