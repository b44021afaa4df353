#!/usr/bin/env python3
"""sklearn_cluster.py METHOD VECTORS N OUT [K] — the anchors: scikit-learn's MiniBatchKMeans
(the reference's call), KMeans or HDBSCAN on the first N rows of VECTORS (.npy); writes the
labels to OUT (.npy). Parameters as the cluster tool's bench run."""
import sys

import numpy as np
from sklearn.cluster import HDBSCAN, KMeans, MiniBatchKMeans

method, path, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
x = np.asarray(np.load(path, mmap_mode="r")[:n])
k = int(sys.argv[5]) if len(sys.argv) > 5 else 0
if method == "minibatchkmeans":
    labels = MiniBatchKMeans(n_clusters=k, random_state=42, batch_size=2048).fit_predict(x)
elif method == "kmeans":
    labels = KMeans(n_clusters=k, random_state=42, n_init=1).fit_predict(x)
else:
    labels = HDBSCAN(min_cluster_size=15, min_samples=10, copy=False).fit_predict(x)
np.save(out, labels)
