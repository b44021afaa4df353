#!/usr/bin/env python3
"""Writes realistic categorized records for two datasets (REAL photographs, GEN generated
images) to the directory given (default: .), for plotdist's example charts and report.

The category list is the project's categories.csv; the shares mimic what the captioning
pipeline reports on such sets: REAL has more people, streets and documents, GEN more art,
illustration and fantasy-like landscapes. Deterministic (fixed seed). One dataset also has a
few failed records, as a real run does.

With --images, also draws a small PNG per image (a colour per category, a disc placed by the
id; needs numpy) and records its path, so the HTML report has thumbnails to show.
"""
import colorsys, json, os, random, struct, sys, zlib

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

def png(path, pixels):
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))

def draw(path, categories, seed):
    import numpy as np
    height, width = 240, 320
    hue = list(CATEGORIES).index(categories[0]) / len(CATEGORIES)
    top = np.array(colorsys.hsv_to_rgb(hue, 0.55, 0.95)) * 255
    bottom = np.array(colorsys.hsv_to_rgb(hue, 0.9, 0.45)) * 255
    t = np.linspace(0, 1, height)[:, None, None]
    pixels = np.broadcast_to(top * (1 - t) + bottom * t, (height, width, 3)).copy()
    rng = random.Random(seed)
    cy, cx, r = rng.randrange(60, 180), rng.randrange(60, 260), rng.randrange(25, 55)
    yy, xx = np.mgrid[0:height, 0:width]
    disc_hue = list(CATEGORIES).index(categories[-1]) / len(CATEGORIES)
    pixels[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] = np.array(colorsys.hsv_to_rgb((disc_hue + 0.5) % 1, 0.4, 1.0)) * 255
    png(path, pixels.astype(np.uint8))

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
    arguments = [a for a in sys.argv[1:] if a != "--images"]
    out = arguments[0] if arguments else "."
    with_images = "--images" in sys.argv
    rng = random.Random(20261127)
    for name, count, column, failed in [("REAL", 1200, 0, 7), ("GEN", 1000, 1, 0)]:
        if with_images:
            os.makedirs(os.path.join(out, "images", name), exist_ok=True)
        with open(os.path.join(out, f"{name.lower()}.ndjson"), "w") as f:
            for record in records(name, count, column, failed, rng):
                if with_images and "categories" in record:
                    record["path"] = os.path.join(out, "images", name, record["id"] + ".png")
                    draw(record["path"], record["categories"], record["id"])
                f.write(json.dumps(record, ensure_ascii=False) + "\n")

main()
