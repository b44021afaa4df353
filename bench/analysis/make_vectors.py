#!/usr/bin/env python3
"""make_vectors.py DIR N D — seeded benchmark vectors in DIR: vectors.npy (N x D float32, the
vectors-file format embed writes, readable by numpy.load), vectors.npy.ids (one JSON id a line),
records.ndjson (one embedded record a line, datasets A and B alternating, pointing at its row)
and truth.npy (the blob of each row, -1 for noise). 50 Gaussian blobs of different sizes and
spreads around unit-scale random centers, plus 2% uniform noise."""
import json
import os
import sys

import numpy as np

out, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(15)
blobs = 50
noise = n // 50
weights = rng.dirichlet(np.full(blobs, 2.0))
sizes = np.floor(weights * (n - noise)).astype(int)
sizes[0] += n - noise - sizes.sum()
centers = rng.normal(0.0, 1.0, size=(blobs, d)).astype(np.float32)
spreads = rng.uniform(0.02, 0.06, size=blobs)
vectors = np.empty((n, d), dtype=np.float32)
truth = np.empty(n, dtype=np.int32)
row = 0
for b in range(blobs):
    vectors[row:row + sizes[b]] = centers[b] + rng.normal(0.0, spreads[b], size=(sizes[b], d))
    truth[row:row + sizes[b]] = b
    row += sizes[b]
vectors[row:] = rng.uniform(-3.0, 3.0, size=(noise, d))
truth[row:] = -1
order = rng.permutation(n)
vectors, truth = vectors[order], truth[order]
np.save(os.path.join(out, "vectors.npy"), vectors)
np.save(os.path.join(out, "truth.npy"), truth)
with open(os.path.join(out, "vectors.npy.ids"), "w") as ids, open(os.path.join(out, "records.ndjson"), "w") as records:
    for i in range(n):
        ids.write(json.dumps("v%d" % i) + "\n")
        records.write(json.dumps({"id": "v%d" % i, "dataset": "AB"[i % 2],
                                  "embedding": {"file": "vectors.npy", "row": i, "dimensions": d}}) + "\n")
