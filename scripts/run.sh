#!/usr/bin/env bash
# Sets up and runs the workstation on its embedded demo site with the default model:
# installs missing packages, builds (release preset), writes the demo studies once, and starts
# `fedmrg` inside the demo federation (scripts/demo-federation.sh: a local coordinator and two peer
# sites in the background, stopped when the workstation exits). With no display it runs under Xvfb,
# saves screenshots (the main window, and docs/'s of training progress and the federation panel) and
# says where.
# Usage: scripts/run.sh [--screenshot FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

screenshot=""
if [ "${1:-}" = "--screenshot" ]; then screenshot=${2:?"--screenshot needs a file"}; fi

bash scripts/bootstrap.sh
# ccache: paths relative to the checkout, so clones in other folders share cached objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
# FEDMRG_PRESET: another configured preset (ci) reuses that build instead of making a release one.
preset="${FEDMRG_PRESET:-release}"
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$(nproc)" --target fedmrg fedmrg-cli fedmrg-coordinator
bin="$root/build/$preset"

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

model="$root/resources/models/default"
# @FEDERATION@: demo-federation.sh's folder, where the demo site finds its coordinator and certificates.
args=(--demo-site "$demo/site" --model "$model" --demo-federation @FEDERATION@)
# Only the images: each site folder also holds its reports.jsonl, which is not DICOM. From those, a new demo
# site signs a few reference reports (the last sites' first), so that background training starts soon.
for images in "$studies"/site-*/images; do args+=(--import "$images"); done
reports=("$studies"/site-*/reports.jsonl)
for ((i = ${#reports[@]} - 1; i >= 0; i--)); do args+=(--demo-reports "${reports[i]}"); done
federation=(bash scripts/demo-federation.sh --dir "$demo" --bin "$bin" --model "$model" --)

if [ -z "$screenshot" ] && { [ -z "${DISPLAY:-}" ] || ! xdpyinfo >/dev/null 2>&1; }; then
  screenshot="$root/build/fedmrg-screenshot.png"
fi
if [ -n "$screenshot" ]; then
  # Training progress a fifth of the way through a run; the federation panel once the site recorded a round.
  "${federation[@]}" bash scripts/with-display.sh "$bin/app/programs/fedmrg" "${args[@]}" \
    --screenshot "$screenshot" --screenshot-training "$root/docs/workstation-training.png" \
    --screenshot-federation "$root/docs/workstation-federation.png" --quit-after-screenshot
  echo "run: no interactive display, so the workstation ran under Xvfb; screenshot saved to $screenshot"
else
  exec "${federation[@]}" "$bin/app/programs/fedmrg" "${args[@]}"
fi
