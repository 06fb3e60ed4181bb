#!/usr/bin/env bash
# Sets up and runs the workstation on its embedded demo site with the default model:
# installs missing packages, builds (release preset), writes the demo studies once, and starts
# `fedmrg`. With no display it runs under Xvfb, saves a screenshot and says where.
# Usage: scripts/run.sh [--screenshot FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

screenshot=""
if [ "${1:-}" = "--screenshot" ]; then screenshot=${2:?"--screenshot needs a file"}; fi

bash scripts/bootstrap.sh
# ccache: paths relative to the checkout, so clones in other folders share cached objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
cmake --preset release
cmake --build --preset release -j "$(nproc)" --target fedmrg fedmrg-cli
bin="$root/build/release"

demo="${FEDMRG_DEMO_DIR:-$HOME/.local/share/fedmrg-demo}"
studies="$demo/studies"
if [ ! -f "$studies/.complete" ]; then
  echo "run: writing the demo studies to $studies"
  mkdir -p "$studies"
  # Three studies from each FL-MRG-Synth site: real DICOM files with their sites' differences.
  "$bin/app/cli/fedmrg-cli" synth --out "$studies" --studies-per-site 3 --size 1024 --seed 7
  bash scripts/demo-prior.sh "$studies"  # one patient with two studies: the first study opens with its prior
  touch "$studies/.complete"
fi

args=(--demo-site "$demo/site")
# Only the images: each site folder also holds its reports.jsonl, which is not DICOM.
for images in "$studies"/site-*/images; do args+=(--import "$images"); done
if [ -d "$root/resources/models/default" ]; then args+=(--model "$root/resources/models/default"); fi

if [ -z "$screenshot" ] && { [ -z "${DISPLAY:-}" ] || ! xdpyinfo >/dev/null 2>&1; }; then
  screenshot="$root/build/fedmrg-screenshot.png"
fi
if [ -n "$screenshot" ]; then
  bash scripts/with-display.sh "$bin/app/programs/fedmrg" "${args[@]}" \
    --screenshot "$screenshot" --quit-after-screenshot
  echo "run: no interactive display, so the workstation ran under Xvfb; screenshot saved to $screenshot"
else
  exec "$bin/app/programs/fedmrg" "${args[@]}"
fi
