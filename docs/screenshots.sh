#!/bin/sh
# Regenerate the screenshots of `nianbao render` linked from the README.
# Needs poppler-utils (pdftoppm), imagemagick (convert) and chromium with a CJK font
# for the HTML page (Debian: apt-get install poppler-utils imagemagick chromium fonts-noto-cjk).
set -eu
cd "$(dirname "$0")/.."
report=rules/national/examples/base-2021.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
nianbao render "$report" -o "$work/report.pdf"
nianbao render "$report" -o "$work/report.html"
# PDF: pages 2-4 (tables 2, 3 and 4) side by side, as printed
pdftoppm -r 80 -f 2 -l 4 -png "$work/report.pdf" "$work/page"
convert "$work"/page-*.png -bordercolor '#999' -border 1 +append docs/render-pdf-tables.png
# HTML: the page at a desktop width, and table 3 on a phone (it scrolls sideways in its box)
for size in 1000,2450 390,4200; do
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --hide-scrollbars --window-size="$size" --screenshot="$work/html-${size%%,*}.png" \
    "file://$work/report.html" 2>/dev/null
done
cp "$work/html-1000.png" docs/render-html.png
# the phone screen that holds the end of table 2 and table 3 (it scrolls sideways in its box)
convert "$work/html-390.png" -crop 390x844+0+1180 +repage docs/render-html-phone.png
