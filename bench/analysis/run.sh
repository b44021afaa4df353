#!/usr/bin/env bash
# run.sh — cluster (release build) against scikit-learn in one run, on seeded blobs of
# N × D float32 vectors (make_vectors.py): our k-means (mini-batch, k = round(√N)) against
# MiniBatchKMeans (the reference's call) and KMeans, at N; our HDBSCAN (min_cluster_size 15,
# min_samples 10) against scikit-learn's HDBSCAN at HDBSCAN_N rows (scikit-learn's HDBSCAN has
# no fast path in 768 dimensions: its k-d tree degenerates to O(n²) scalar distances). Prints wall
# time, CPU seconds, peak RSS, the ratio to scikit-learn, and the adjusted Rand index of our
# labels against scikit-learn's and against the blobs.
# Needs: make bench-deps (numpy, scikit-learn in $VENV, GNU time).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-100000}
D=${D:-768}
HDBSCAN_N=${HDBSCAN_N:-20000}
PY=${PY:-${VENV:-$PWD/.venv}/bin/python}
BIN=$PWD/.build/release/cluster
HERE=$PWD/bench/analysis
DATA=${DATA:-.build-bench/analysis-$N-$D}
[ -s "$DATA/records.ndjson" ] || "$PY" "$HERE/make_vectors.py" "$DATA" "$N" "$D"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
K=$("$PY" -c "print(min(max(round($N ** 0.5), 2), 1000))")
head -n "$HDBSCAN_N" "$DATA/records.ndjson" > "$DATA/records-$HDBSCAN_N.ndjson"

measure() {  # NAME COMMAND...: wall, peak RSS, CPU into $TMP/times
  local name=$1; shift
  /usr/bin/time -f "$name %e %M %U %S" -a -o "$TMP/times" "$@" 2>"$TMP/$name.stderr" \
    || { echo "run: $name failed:" >&2; tail -5 "$TMP/$name.stderr" >&2; exit 1; }
}
labels() {  # records on stdin -> cluster labels as .npy
  "$PY" -c 'import json, sys, numpy as np; np.save(sys.argv[1], np.array([json.loads(l)["cluster"] for l in sys.stdin], dtype=np.int64))' "$1"
}
(cd "$DATA" && measure cluster-kmeans "$BIN" -q --method kmeans --k "$K" -o "$TMP/kmeans.ndjson" records.ndjson)
labels "$TMP/ours-kmeans.npy" < "$TMP/kmeans.ndjson"
measure sklearn-minibatchkmeans "$PY" "$HERE/sklearn_cluster.py" minibatchkmeans "$DATA/vectors.npy" "$N" "$TMP/sk-minibatch.npy" "$K"
measure sklearn-kmeans "$PY" "$HERE/sklearn_cluster.py" kmeans "$DATA/vectors.npy" "$N" "$TMP/sk-kmeans.npy" "$K"
(cd "$DATA" && measure cluster-hdbscan "$BIN" -q --method hdbscan --min-cluster-size 15 --min-samples 10 -o "$TMP/hdbscan.ndjson" "records-$HDBSCAN_N.ndjson")
labels "$TMP/ours-hdbscan.npy" < "$TMP/hdbscan.ndjson"
measure sklearn-hdbscan "$PY" "$HERE/sklearn_cluster.py" hdbscan "$DATA/vectors.npy" "$HDBSCAN_N" "$TMP/sk-hdbscan.npy"

echo "vectors: $N x $D float32 (seeded blobs, 2% noise); k-means k = $K at n = $N; HDBSCAN at n = $HDBSCAN_N; $(nproc) cores"
echo "machine load when done: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$TMP" "$DATA/truth.npy" "$N" "$HDBSCAN_N" <<'PY'
import sys
import numpy as np
from sklearn.metrics import adjusted_rand_score as ari
tmp, truth, n, hn = sys.argv[1], np.load(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = {}
for line in open(tmp + "/times"):
    name, wall, kb, user, system = line.split()
    rows[name] = (float(wall), int(kb) / 1024, float(user) + float(system))
L = lambda name: np.load("%s/%s.npy" % (tmp, name))
print(f"{'run':<26} {'n':>7} {'wall_s':>8} {'cpu_s':>8} {'peak_MB':>8} {'sklearn/ours':>12} {'ARI vs sklearn':>14} {'ARI vs blobs':>12}")
def show(name, count, ours, anchor, theirs):
    wall, rss, cpu = rows[name]
    ratio = f"{rows[anchor][0] / wall:.2f}x" if anchor and name != anchor else ""
    a = f"{ari(L(ours), L(theirs)):.4f}" if theirs else ""
    b = f"{ari(L(ours), truth[:count]):.4f}"
    print(f"{name:<26} {count:>7} {wall:>8.2f} {cpu:>8.2f} {rss:>8.0f} {ratio:>12} {a:>14} {b:>12}")
show("cluster-kmeans", n, "ours-kmeans", "sklearn-minibatchkmeans", "sk-minibatch")
show("sklearn-minibatchkmeans", n, "sk-minibatch", None, None)
show("sklearn-kmeans", n, "sk-kmeans", None, None)
print(f"{'  cluster-kmeans vs KMeans':<26} {'':>7} {'':>8} {'':>8} {'':>8} {rows['sklearn-kmeans'][0] / rows['cluster-kmeans'][0]:>11.2f}x {ari(L('ours-kmeans'), L('sk-kmeans')):>14.4f}")
show("cluster-hdbscan", hn, "ours-hdbscan", "sklearn-hdbscan", "sk-hdbscan")
show("sklearn-hdbscan", hn, "sk-hdbscan", None, None)
PY
