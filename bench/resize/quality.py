#!/usr/bin/env python3
"""quality.py CORPUS DIR... — PSNR (RGB) and SSIM (luma, 11-tap Gaussian, sigma 1.5) of each
directory's <stem>.jpg against the ground truth: Pillow LANCZOS on the full decode of the source,
turned upright (EXIF) and with alpha composited on white, kept lossless in memory.
Prints one line per directory: mean PSNR dB, mean SSIM, images compared, images whose size or
orientation differs from the ground truth (left out of the means), and the worst image."""
import math
import os
import sys

import numpy as np
from PIL import Image, ImageOps

corpus, dirs = sys.argv[1], sys.argv[2:]


def truth(path):
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            im = im.convert("RGBA")
            white = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(white, im)
        im = im.convert("RGB")
        w, h = im.size
        s = min(768 / max(w, h), 1.0)
        if s < 1.0:
            im = im.resize((int(round(w * s)), int(round(h * s))), Image.LANCZOS)
        return np.asarray(im, dtype=np.float64)


def gaussian(a):
    x = np.arange(11) - 5
    w = np.exp(-(x ** 2) / (2 * 1.5 ** 2))
    w /= w.sum()
    out = np.zeros((a.shape[0] - 10, a.shape[1]))
    for k in range(11):
        out += w[k] * a[k:k + out.shape[0], :]
    res = np.zeros((out.shape[0], out.shape[1] - 10))
    for k in range(11):
        res += w[k] * out[:, k:k + res.shape[1]]
    return res


def ssim(a, b):
    ya = a @ [0.299, 0.587, 0.114]
    yb = b @ [0.299, 0.587, 0.114]
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    ma, mb = gaussian(ya), gaussian(yb)
    va = gaussian(ya * ya) - ma * ma
    vb = gaussian(yb * yb) - mb * mb
    cov = gaussian(ya * yb) - ma * mb
    return float(np.mean(((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))))


def psnr(a, b):
    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)


files = sorted(f for f in os.listdir(corpus) if f.lower().endswith((".jpg", ".png", ".webp")))
truths = {os.path.splitext(f)[0]: truth(os.path.join(corpus, f)) for f in files}
scores = {}
for d in dirs:
    scores[d] = {}
    for stem, t in truths.items():
        out = os.path.join(d, stem + ".jpg")
        if not os.path.exists(out):
            continue
        with Image.open(out) as im:
            o = np.asarray(im.convert("RGB"), dtype=np.float64)
        if o.shape == t.shape:
            scores[d][stem] = (psnr(o, t), ssim(o, t))
# Means over the images every tool got right (same size; PSNR >= 20 dB rules out a wrongly
# oriented square or an uncomposited alpha image), so the tools are compared on the same set.
wrong = {d: {s for s in truths if s not in scores[d] or scores[d][s][0] < 20} for d in dirs}
common = [s for s in truths if all(s not in wrong[d] for d in dirs)]
print(f"# ground truth: Pillow LANCZOS on the full decode (upright, alpha over white); {len(common)} of {len(truths)} images in the means")
print("tool\tpsnr_db\tssim\twrong\tworst")
for d in dirs:
    ps = [scores[d][s][0] for s in common]
    ss = [scores[d][s][1] for s in common]
    worst = min((scores[d][s][0], s) for s in common)
    names = ",".join(sorted(wrong[d])) or "-"
    print(f"{os.path.basename(d.rstrip('/'))}\t{np.mean(ps):.2f}\t{np.mean(ss):.4f}\t{names}\t{worst[1]} {worst[0]:.1f}")
