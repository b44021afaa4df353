#!/usr/bin/env python3
"""Writes realistic categorized records for two datasets (REAL photographs, GEN generated
images) to the directory given (default: .), for plotdist's example charts and report.

The category list is the project's categories.csv; the shares mimic what the captioning
pipeline reports on such sets: REAL has more people, streets and documents, GEN more art,
illustration and fantasy-like landscapes. Deterministic (fixed seed). One dataset also has a
few failed records, as a real run does.
"""
import json, os, random, sys

CATEGORIES = {  # category: (weight in REAL, weight in GEN)
    "people": (22, 14), "portrait": (12, 16), "group of people": (9, 4), "children": (4, 2),
    "animals": (6, 7), "pets": (5, 3), "wildlife": (3, 4), "landscape": (7, 12),
    "nature": (8, 10), "beach": (3, 3), "mountains": (2, 4), "cityscape": (5, 7),
    "architecture": (6, 8), "interior": (7, 6), "street": (9, 3), "vehicles": (5, 4),
    "food": (6, 5), "drinks": (2, 1), "plants": (3, 3), "flowers": (2, 4), "sports": (4, 1),
    "events": (4, 1), "art": (2, 12), "illustration": (1, 14), "text or document": (5, 1),
    "screenshot": (3, 0), "product": (4, 5), "fashion": (3, 4), "technology": (3, 3),
    "night scene": (3, 4), "aerial view": (2, 1),
}

def records(name, count, column, failed, rng):
    names, weights = list(CATEGORIES), [w[column] for w in CATEGORIES.values()]
    for i in range(count):
        record = {"id": f"{name.lower()}_{i:05d}", "dataset": name}
        if i < failed:
            record["error"] = {"stage": "gemini-describe", "code": "safety", "message": "blocked by the safety filter", "retryable": False}
        else:
            first = rng.choices(names, weights)[0]
            cats = [first]
            if rng.random() < 0.45:
                second = rng.choices(names, weights)[0]
                if second != first:
                    cats.append(second)
            record["categories"] = cats
        yield record

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    rng = random.Random(20261127)
    for name, count, column, failed in [("REAL", 1200, 0, 7), ("GEN", 1000, 1, 0)]:
        with open(os.path.join(out, f"{name.lower()}.ndjson"), "w") as f:
            for record in records(name, count, column, failed, rng):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")

main()
