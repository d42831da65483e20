#!/usr/bin/env bash
# Renders the application icon (resources/icons/framescope.svg) to the PNG sizes of the hicolor theme that
# `cmake --install` puts in share/icons/hicolor/NxN/apps/. Run it after changing the SVG (needs rsvg-convert,
# Debian's librsvg2-bin); the PNGs are committed so that a build needs no SVG renderer.
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256 512; do
    rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio ../framescope.svg -o "framescope-$size.png"
done
