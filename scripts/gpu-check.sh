#!/usr/bin/env bash
# Builds the engine and fedmrg-cli against a CUDA LibTorch (by default the one inside python3's PyTorch) and runs
# the GPU checks: `fedmrg-cli device-check` (training and drafting parity with the CPU, training on the GPU) and
# `fedmrg-cli bench train` on the GPU and on the CPU. For a machine with an NVIDIA GPU; Debian's libtorch-dev is
# CPU-only, so this is not part of scripts/test.sh. No DCMTK, Qt or gRPC needed.
#   bash scripts/gpu-check.sh [OUTDIR]        (TORCH_PREFIX=... to use another LibTorch)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/gpu-check}
mkdir -p "$out"
log="$out/gpu-check.log"
exec > >(tee "$log") 2>&1
nvidia-smi -L || echo "gpu-check: nvidia-smi not found"
prefix=${TORCH_PREFIX:-$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')}
python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda, "available", torch.cuda.is_available())' || true
build=build/gpu
configure() {
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFEDMRG_ENGINE_ONLY=ON -DFEDMRG_WITH_DCMTK=OFF \
    -DFEDMRG_BUILD_TESTS=OFF -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CUDA_ARCHITECTURES=native "$@"
}
# A newer LibTorch may require C++20: try the project's C++17 first.
if ! { configure && cmake --build "$build" --target fedmrg-cli -j"$(nproc)"; }; then
  echo "gpu-check: C++17 build failed; trying C++20"
  rm -rf "$build"
  configure -DCMAKE_CXX_STANDARD=20 && cmake --build "$build" --target fedmrg-cli -j"$(nproc)" || exit 1
fi
cli="$build/app/cli/fedmrg-cli"
status=0
"$cli" device-check --device cuda --model resources/models/default --json "$out/device-check.json" || status=1
# Training speed of the shipped model's shape and of the larger built-in default shape (docs/model.md).
for dev in cuda cpu; do
  "$cli" bench train --config resources/models/default/config.json --batch 16 --steps 6 --device "$dev" \
    --json "$out/bench-train-shipped-$dev.json" || status=1
  "$cli" bench train --batch 16 --steps 6 --device "$dev" --json "$out/bench-train-builtin-$dev.json" || status=1
done
exit $status
