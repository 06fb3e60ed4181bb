#!/usr/bin/env bash
# Sets up and runs every test: installs missing packages, configures with the ci preset,
# builds, and runs CTest under a display (Xvfb when there is none).
# Usage: scripts/test.sh [extra ctest arguments, e.g. -L engine or -R tst_json]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh
# ccache: paths relative to the checkout, so clones in other folders share cached objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
preset=${FEDMRG_PRESET:-ci}
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$(nproc)"
bash scripts/with-display.sh ctest --preset "$preset" --timeout 900 "$@"
