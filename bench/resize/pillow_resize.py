#!/usr/bin/env python3
"""pillow_resize.py MODE OUTDIR FILE... — the Pillow anchors: shrink so the long side is <= 768 px,
JPEG q90. MODE reference: what the reference tool does (full decode, convert("RGB"), LANCZOS).
MODE draft: the same after Image.draft(), so JPEGs decode at a reduced DCT scale first."""
import os
import sys
from PIL import Image

mode, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for path in sys.argv[3:]:
    with Image.open(path) as im:
        if mode == "draft" and im.format == "JPEG":
            im.draft("RGB", (768, 768))
        im = im.convert("RGB")
        w, h = im.size
        s = min(768 / max(w, h), 1.0)
        if s < 1.0:
            im = im.resize((int(round(w * s)), int(round(h * s))), Image.LANCZOS)
        im.save(os.path.join(out, os.path.splitext(os.path.basename(path))[0] + ".jpg"), "JPEG", quality=90)
