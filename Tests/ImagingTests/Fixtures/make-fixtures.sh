#!/usr/bin/env bash
# make-fixtures.sh — regenerate the small committed test images in this folder from real
# photographs (the resize benchmark corpus, KDE wallpapers from Debian) with independent tools:
# ImageMagick, jpegtran, exiftool, cwebp. The tests never run this; they read its output.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
CORPUS=$ROOT/.build-bench/resize-corpus
"$ROOT/bench/resize/make-corpus.sh" "$CORPUS" >/dev/null
IM=/usr/bin/convert
PNG="-define png:exclude-chunks=date,time"
cd "$HERE"
# The upright reference: an asymmetric photo, 320x192 (whole 16-pixel MCUs, so jpegtran's
# transforms are exact), and the same pixels lossless.
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
$IM "$CORPUS/photo-Autumn.jpg" -resize 320x200^ -gravity center -extent 320x192 $PNG "$TMP/upright.png"
$IM "$TMP/upright.png" -quality 92 -sampling-factor 2x2 upright.jpg
# The lossless source of the PNG, WebP and CMYK variants: the same photo at 160x96.
$IM "$TMP/upright.png" -resize 160x96 $PNG source.png
# Orientation N: the stored pixels are the upright ones transformed by the inverse of what tag N
# asks a viewer to do, so applying the tag gives upright.jpg back.
inverse=( "" "" "-flip horizontal" "-rotate 180" "-flip vertical" "-transpose" "-rotate 270" "-transverse" "-rotate 90" )
for n in 1 2 3 4 5 6 7 8; do
  # shellcheck disable=SC2086
  jpegtran -perfect -copy none ${inverse[$n]} upright.jpg > "orientation-$n.jpg"
  exiftool -q -overwrite_original -n -Orientation=$n "orientation-$n.jpg"
done
jpegtran -progressive -copy none upright.jpg > progressive.jpg
jpegtran -arithmetic -copy none upright.jpg > arithmetic.jpg
jpegtran -grayscale -copy none upright.jpg > gray.jpg
# CMYK as Photoshop and ImageMagick write it (Adobe marker, inverted inks), from source.png.
$IM source.png -colorspace CMYK -quality 95 cmyk.jpg
# PNG variants of the same pixels.
$IM source.png -depth 16 -define png:bit-depth=16 $PNG rgb16.png
$IM source.png -colors 256 $PNG PNG8:palette.png
$IM source.png -interlace PNG $PNG interlaced.png
$IM source.png -colorspace Gray $PNG gray.png
# Alpha rising from 0 at the left edge to 255 at the right; and as a palette with tRNS.
$IM source.png -alpha set -channel A -fx 'i/(w-1)' +channel $PNG alpha.png
$IM alpha.png -colors 255 $PNG PNG8:palette-trns.png
cwebp -quiet -q 90 source.png -o lossy.webp
cwebp -quiet -q 90 -alpha_q 100 alpha.png -o alpha.webp
$IM source.png -resize 100x60 -quality 90 small.jpg
# Recognised but not decodable.
$IM source.png -resize 16x16 unsupported.gif
$IM source.png -resize 16x16 unsupported.bmp
$IM source.png -resize 16x16 -compress none unsupported.tiff
ls -l "$HERE" | awk '{s += $5} END {print "fixtures: " s " bytes"}'
