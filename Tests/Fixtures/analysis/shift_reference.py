#!/usr/bin/env python3
"""Reference values for plotdist's cluster and keyword shift tables (Tests/ChartsTests/ShiftTableTests.swift).

Computed once, independently of the Swift code, the way the reference tool's older analysis
script computes them: cluster counts with the noise label -1 left out; keyword counts from
scikit-learn's CountVectorizer(stop_words="english") fitted on both sets (term occurrences);
shares smoothed as (count + 0.5) / (total + 0.5 k), log2_lift = log2(share_b / share_a),
log2_lift_counts = log2((n_b + 1) / (n_a + 1)). Also the number of texts of each set holding a
term (the tables' per-image counts). Run: pip install scikit-learn==1.9.1; python3 shift_reference.py
"""
import json
import math

from sklearn.feature_extraction.text import CountVectorizer

REAL_CLUSTERS = [0, 0, 0, 1, 1, 2, -1, -1, 0, 3]
GEN_CLUSTERS = [1, 1, 1, 1, 2, 2, -1, 3, 3, 3, 3, 4]

REAL_TEXTS = [
    "A brown dog runs on the beach; the dog is happy.",
    "Two dogs and a cat sleep on a sofa in the living room",
    "Street at night, cars and neon signs, a man walks",
    "Mountain lake with trees, blue sky and a small boat",
    "Kitchen table with bread, cheese and a cup of coffee",
    "The cat sits on a windowsill in the sun",
]
GEN_TEXTS = [
    "Neon city street at night with flying cars, neon neon signs",
    "A cyberpunk robot in a neon street, glowing eyes",
    "Fantasy castle on a mountain, dragon in the sky",
    "Portrait of a woman, glowing skin, studio lighting, 8k render",
    "A dog wearing sunglasses on the beach, digital art",
]


def lift(count_a, total_a, count_b, total_b, k):
    share_a = (count_a + 0.5) / (total_a + 0.5 * k)
    share_b = (count_b + 0.5) / (total_b + 0.5 * k)
    return math.log2(share_b / share_a)


def lift_counts(count_a, count_b):
    return math.log2((count_b + 1) / (count_a + 1))


def clusters():
    labels = sorted((set(REAL_CLUSTERS) | set(GEN_CLUSTERS)) - {-1})
    count_a = {c: REAL_CLUSTERS.count(c) for c in labels}
    count_b = {c: GEN_CLUSTERS.count(c) for c in labels}
    total_a, total_b = sum(count_a.values()), sum(count_b.values())
    return {str(c): {"REAL": count_a[c], "GEN": count_b[c],
                     "log2_lift": lift(count_a[c], total_a, count_b[c], total_b, len(labels)),
                     "log2_lift_counts": lift_counts(count_a[c], count_b[c])} for c in labels}


def keywords():
    vectorizer = CountVectorizer(stop_words="english")
    matrix = vectorizer.fit_transform(REAL_TEXTS + GEN_TEXTS).toarray()
    real, gen = matrix[:len(REAL_TEXTS)], matrix[len(REAL_TEXTS):]
    occurrences_a, occurrences_b = real.sum(axis=0), gen.sum(axis=0)
    total_a, total_b = int(occurrences_a.sum()), int(occurrences_b.sum())
    terms = vectorizer.get_feature_names_out()
    result = {}
    for index, term in enumerate(terms):
        a, b = int(occurrences_a[index]), int(occurrences_b[index])
        result[str(term)] = {"REAL": int((real[:, index] > 0).sum()), "GEN": int((gen[:, index] > 0).sum()),
                             "REAL_occurrences": a, "GEN_occurrences": b,
                             "log2_lift": lift(a, total_a, b, total_b, len(terms)),
                             "log2_lift_counts": lift_counts(a, b)}
    return {"k": len(terms), "total": {"REAL": total_a, "GEN": total_b}, "terms": result}


if __name__ == "__main__":
    print(json.dumps({"clusters": clusters(), "keywords": keywords()}, indent=1, sort_keys=True))
