#!/usr/bin/env python3
"""demo_sample.py — the demo's two datasets, as files ready to upload and name lists to match.

  demo_sample.py --wallpapers DIR OUT     from Debian's plasma-workspace-wallpapers (unpacked in DIR):
                                          REAL = 12 photographs and a square crop of each (JPEG),
                                          GEN  = 12 rendered 4K/5K wallpapers, each cropped as image
                                                 generators emit them (1024x1024 PNG, 1536x1024 WebP)
  demo_sample.py --synthetic N [--max-side PX] OUT
                                          N drawn images per dataset from a fixed seed (for tests;
                                          no download), 480 to 1600 px wide, or at most PX

Writes OUT/REAL/*, OUT/GEN/*, and the name lists OUT/REAL.csv and OUT/GEN.csv in the reference
format (header `image_name`, one file name a line). The GEN list names every image `.jpg`, as the
reference lists do, while the stored files are .png/.webp: s3ls matches across extensions. Each
list also names one image that is not stored, which ends as a not_found record.
"""
import argparse
import os
import random
import shutil
import sys

from PIL import Image, ImageDraw

PHOTOS = ["Autumn", "BytheWater", "ColdRipple", "ColorfulCups", "DarkestHour", "EveningGlow",
          "FallenLeaf", "Grey", "Kite", "OneStandsOut", "Path", "summer_1am"]
RENDERS = ["Altai", "Canopee", "Cascade", "Cluster", "Elarun", "FlyingKonqui", "IceCold", "Kay",
           "Kokkini", "MilkyWay", "Opal", "Patak"]


def largest(folder):
    """The biggest image a wallpaper package ships (by pixel count from the file name)."""
    names = [n for n in os.listdir(folder) if "x" in n and n.split(".")[0].replace("x", "").isdigit()]
    return os.path.join(folder, max(names, key=lambda n: int(n.split("x")[0]) * int(n.split("x")[1].split(".")[0])))


def crop(image, width, height, anchor=0.5):
    """Scale to cover width x height, then cut the window at `anchor` (0 left/top .. 1 right/bottom)."""
    scale = max(width / image.width, height / image.height)
    scaled = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    left = round((scaled.width - width) * anchor)
    top = round((scaled.height - height) * 0.5)
    return scaled.crop((left, top, left + width, top + height))


def from_wallpapers(root, out):
    wallpapers = os.path.join(root, "usr/share/wallpapers")
    real, gen = [], []
    for name in PHOTOS:
        path = os.path.join(wallpapers, name, "contents/images/2560x1600.jpg")
        stem = name.lower()
        shutil.copyfile(path, os.path.join(out, "REAL", f"photo_{stem}.jpg"))
        with Image.open(path) as image:
            crop(image.convert("RGB"), 1600, 1600, anchor=0.25).save(
                os.path.join(out, "REAL", f"photo_{stem}_square.jpg"), quality=92)
        real += [f"photo_{stem}.jpg", f"photo_{stem}_square.jpg"]
    for name in RENDERS:
        stem = name.lower()
        with Image.open(largest(os.path.join(wallpapers, name, "contents/images"))) as image:
            image.draft("RGB", (2048, 2048))
            rgb = image.convert("RGB")
            crop(rgb, 1024, 1024).save(os.path.join(out, "GEN", f"render_{stem}_1024_gen.png"), optimize=False)
            crop(rgb, 1536, 1024, anchor=0.8).save(os.path.join(out, "GEN", f"render_{stem}_1536_gen.webp"), quality=90)
        gen += [f"render_{stem}_1024_gen.jpg", f"render_{stem}_1536_gen.jpg"]
    copyright_file = os.path.join(root, "usr/share/doc/plasma-workspace-wallpapers/copyright")
    if os.path.exists(copyright_file):
        shutil.copyfile(copyright_file, os.path.join(out, "COPYRIGHT.plasma-workspace-wallpapers"))
    return real, gen


def synthetic(count, out, max_side):
    """Drawn scenes from a fixed seed: sky/ground gradients and shapes, sizes and formats varied."""
    rng = random.Random(20261127)
    real, gen = [], []
    for dataset, names in (("REAL", real), ("GEN", gen)):
        for i in range(count):
            width, height = rng.choice([(1280, 853), (1024, 1024), (1600, 1000), (900, 1200), (640, 480)])
            if max_side and max(width, height) > max_side:
                scale = max_side / max(width, height)
                width, height = max(16, round(width * scale)), max(16, round(height * scale))
            top = tuple(rng.randrange(256) for _ in range(3))
            bottom = tuple(rng.randrange(256) for _ in range(3))
            image = Image.new("RGB", (width, height))
            draw = ImageDraw.Draw(image)
            for y in range(height):
                t = y / (height - 1)
                draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
            for _ in range(rng.randrange(2, 8)):
                x0, y0 = rng.randrange(width), rng.randrange(height)
                box = [x0, y0, x0 + rng.randrange(20, width // 2), y0 + rng.randrange(20, height // 2)]
                colour = tuple(rng.randrange(256) for _ in range(3))
                (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
            if dataset == "REAL":
                stem, ext = f"photo_{i:03d}", "jpg"
                image.save(os.path.join(out, dataset, f"{stem}.{ext}"), quality=90)
            else:
                stem, ext = f"render_{i:03d}_gen", rng.choice(["png", "webp"])
                image.save(os.path.join(out, dataset, f"{stem}.{ext}"), **({"quality": 90} if ext == "webp" else {}))
            names.append(f"{stem}.jpg")
    return real, gen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--wallpapers", metavar="DIR")
    source.add_argument("--synthetic", type=int, metavar="N")
    parser.add_argument("--max-side", type=int, default=0, metavar="PX")
    parser.add_argument("out")
    args = parser.parse_args()
    for dataset in ("REAL", "GEN"):
        os.makedirs(os.path.join(args.out, dataset), exist_ok=True)
    real, gen = from_wallpapers(args.wallpapers, args.out) if args.wallpapers else synthetic(args.synthetic, args.out, args.max_side)
    for dataset, names, missing in (("REAL", real, "photo_not_in_the_bucket.jpg"), ("GEN", gen, "render_not_in_the_bucket_gen.jpg")):
        with open(os.path.join(args.out, f"{dataset}.csv"), "w") as f:
            f.write("image_name\n" + "".join(n + "\n" for n in names) + missing + "\n")
    print(f"demo sample: {len(real)} REAL and {len(gen)} GEN images in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
