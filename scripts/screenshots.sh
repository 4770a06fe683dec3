#!/usr/bin/env bash
# The README's screenshots of the default theme: the sample site's home
# page, a talk, a project page and the search page, on a desktop, on a
# 390 px phone, and in dark mode, written to docs/screenshots/*.png.
# Needs Debian's chromium; re-run after a change to templates/ or static/:
#
#     scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet -- build --output "$out/site" >/dev/null
site="file://$out/site"
dest=docs/screenshots
mkdir -p "$dest"

# name → page (from the site's root, as opened from disk).
pages=(
  "home index.html"
  "talk talks/norwegian-tax-administration-kubernetes/index.html"
  "project projects/istio/index.html"
  "search search/index.html?q=prometheus"
)
# name → window size and extra Chromium arguments.
views=(
  "desktop 1280,860"
  "phone 390,844"
  "dark 1280,860 --force-dark-mode --blink-settings=preferredColorScheme=0"
)

for page in "${pages[@]}"; do
  read -r name path <<<"$page"
  for view in "${views[@]}"; do
    read -r look size extra <<<"$view"
    # shellcheck disable=SC2086 # $extra is a list of arguments.
    chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
      --no-first-run --disable-background-networking --allow-file-access-from-files \
      --user-data-dir="$out/profile" --window-size="$size" --virtual-time-budget=5000 \
      $extra --screenshot="$dest/$name-$look.png" "$site/$path" 2>/dev/null
    echo "$dest/$name-$look.png ($(du -k "$dest/$name-$look.png" | cut -f1) KB)"
  done
done
