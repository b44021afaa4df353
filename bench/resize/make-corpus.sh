#!/usr/bin/env bash
# make-corpus.sh [DIR] — build the resize benchmark corpus from real photographs: KDE's
# photographic wallpapers (Debian package plasma-workspace-wallpapers, LGPL/CC-BY-SA, its copyright
# file is copied along) and the variants found in the wild: camera-sized JPEGs, progressive,
# grayscale, CMYK, EXIF-rotated, PNG with alpha, 16-bit, palette, interlaced, WebP (35 images).
# File names are unique without their extension (the id img-resize gives a plain path).
# Reproducible; needs apt-get (root) the first time. Writes DIR/manifest.tsv.
set -euo pipefail
OUT=$(realpath -m "${1:-.build-bench/resize-corpus}")
[ -f "$OUT/manifest.tsv" ] && { echo "corpus: $OUT (already built)"; exit 0; }
mkdir -p "$OUT"
need=""
for t in jpegtran /usr/bin/convert exiftool cwebp; do command -v $t >/dev/null || need=1; done
if [ -n "$need" ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjpeg-turbo-progs imagemagick libimage-exiftool-perl webp >/dev/null
fi
IM=/usr/bin/convert                     # the real ImageMagick, whatever else is first on PATH
PNG="-define png:exclude-chunks=date,time"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
( cd "$TMP" && { apt-get download -qq plasma-workspace-wallpapers 2>/dev/null \
    || { apt-get update -qq >/dev/null && apt-get download -qq plasma-workspace-wallpapers; }; } \
    && dpkg -x plasma-workspace-wallpapers_*.deb x ) \
  || { echo "make-corpus: could not fetch plasma-workspace-wallpapers with apt-get" >&2; exit 1; }
W="$TMP/x/usr/share/wallpapers"
cp "$TMP"/x/usr/share/doc/plasma-workspace-wallpapers/copyright "$OUT/COPYRIGHT" 2>/dev/null || true
# 12 photographs as shipped (2560x1600, 4 MP).
for p in Autumn BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am; do
  cp "$W/$p/contents/images/2560x1600.jpg" "$OUT/photo-$p.jpg"
done
# Camera-sized (5120x3200, 16 MP): each photo mirrored 2x2, q92 as a camera writes.
for p in Autumn Kite Path EveningGlow FallenLeaf summer_1am; do
  $IM "$OUT/photo-$p.jpg" \( +clone -flop \) +append \( +clone -flip \) -append -quality 92 "$OUT/camera-$p.jpg"
done
# Generator-like renders: 4K PNGs and 1024x1024 / 1536x1024 crops.
for p in Cascade Opal Kokkini; do cp "$W/$p/contents/images/3840x2160.png" "$OUT/render-$p.png"; done
$IM "$W/Opal/contents/images/3840x2160.png" -resize 1536x1024^ -gravity center -extent 1536x1024 $PNG "$OUT/gen-1536x1024.png"
$IM "$W/Cascade/contents/images/3840x2160.png" -resize 1024x1024^ -gravity center -extent 1024x1024 $PNG "$OUT/gen-1024x1024.png"
cwebp -quiet -q 90 "$OUT/gen-1024x1024.png" -o "$OUT/gen-1024x1024-webp.webp"
$IM "$OUT/photo-Kite.jpg" -resize 1024x1024^ -gravity center -extent 1024x1024 -quality 90 "$OUT/gen-1024x1024-photo.jpg"
# Variants found in the wild.
jpegtran -progressive -copy all "$OUT/photo-Path.jpg" > "$OUT/progressive-Path.jpg"
jpegtran -grayscale "$OUT/photo-Grey.jpg" > "$OUT/grayscale-Grey.jpg"
$IM "$OUT/photo-ColorfulCups.jpg" -colorspace CMYK -type ColorSeparation -quality 92 "$OUT/cmyk-ColorfulCups.jpg"
# EXIF orientation 6 and 8: pixels stored turned, the tag says how to turn them back.
jpegtran -rotate 270 "$OUT/photo-BytheWater.jpg" > "$OUT/exif6-BytheWater.jpg"
exiftool -q -overwrite_original -n -Orientation=6 "$OUT/exif6-BytheWater.jpg"
jpegtran -rotate 90 "$OUT/photo-Autumn.jpg" > "$OUT/exif8-Autumn.jpg"
exiftool -q -overwrite_original -n -Orientation=8 "$OUT/exif8-Autumn.jpg"
$IM "$OUT/photo-Kite.jpg" -resize 1600x1000 -alpha set -channel A -fx 'i/w' +channel $PNG "$OUT/alpha-Kite.png"
$IM "$OUT/photo-Path.jpg" -resize 2048x1280 -depth 16 $PNG "$OUT/16bit-Path.png"
$IM "$OUT/photo-DarkestHour.jpg" -resize 1280x800 -colors 256 $PNG "PNG8:$OUT/palette-DarkestHour.png"
$IM "$OUT/photo-EveningGlow.jpg" -resize 1920x1200 -interlace PNG $PNG "$OUT/interlaced-EveningGlow.png"
$IM "$OUT/photo-Kite.jpg" -resize 600x400 -quality 90 "$OUT/small-Kite.jpg"
printf 'file\tformat\twidth\theight\tbytes\n' > "$OUT/manifest.tsv.tmp"
for f in "$OUT"/*.jpg "$OUT"/*.png "$OUT"/*.webp; do
  read -r fmt w h b < <(identify -format "%m %w %h %B\n" "$f[0]" 2>/dev/null)
  printf '%s\t%s\t%s\t%s\t%s\n' "$(basename "$f")" "$fmt" "$w" "$h" "$b" >> "$OUT/manifest.tsv.tmp"
done
mv "$OUT/manifest.tsv.tmp" "$OUT/manifest.tsv"
echo "corpus: $(($(wc -l < "$OUT/manifest.tsv") - 1)) images in $OUT"
