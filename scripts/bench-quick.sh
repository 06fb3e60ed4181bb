#!/usr/bin/env bash
# Runs the `quick` FL-MRG benchmark (bench/quick.json: every method, 4 seen sites + the held-out one,
# 2 seeds) the way docs/results/quick/ was made: installs missing packages, builds fedmrg-cli, and
# starts every method from the same untrained adapters.
#   scripts/bench-quick.sh [OUT_DIR] [extra bench fl arguments]     (default OUT_DIR: results)
# Why not the shipped default model: it is itself a FedMRG result (trained adapters and heads), which
# would hand every method FedMRG's head start. The benchmark's base is that model's "part A" from
# commit 9f89e3d (the base weights with untrained adapters), taken from the git history into
# build/bench-base/, so this needs a git clone. An interrupted run resumes where it stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-results}"
shift || true

bash scripts/bootstrap.sh
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
preset=${FEDMRG_PRESET:-ci}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" --target fedmrg-cli

base_commit=9f89e3d
base=build/bench-base
if [ ! -f "$base/resources/models/default/model.safetensors" ]; then
  git cat-file -e "$base_commit^{commit}" 2>/dev/null || {
    echo "bench-quick: commit $base_commit (the untrained base model) is not in this checkout; use a full git clone" >&2
    exit 1
  }
  rm -rf "$base" && mkdir -p "$base"
  git archive "$base_commit" resources/models/default | tar -x -C "$base"
fi
time "build/$preset/app/cli/fedmrg-cli" bench fl --config bench/quick.json \
  --model "$base/resources/models/default" --out "$out" "$@"
