#include "engine/core/torch_runtime.h"

#include <torch/torch.h>

#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace fedmrg::engine {

int configureTorchThreads(int threads) {
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  return torch::get_num_threads();
}

TorchInfo torchInfo() {
  TorchInfo info;
  info.version = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                 std::to_string(TORCH_VERSION_PATCH);
  info.threads = torch::get_num_threads();
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDevices = info.cudaAvailable ? int(torch::cuda::device_count()) : 0;
  return info;
}

const char* deviceName(ComputeDevice d) {
  switch (d) {
    case ComputeDevice::Cpu: return "cpu";
    case ComputeDevice::Cuda: return "cuda";
    case ComputeDevice::Auto: return "auto";
  }
  return "cpu";
}

bool parseDevice(const std::string& text, ComputeDevice* out) {
  for (ComputeDevice d : {ComputeDevice::Cpu, ComputeDevice::Cuda, ComputeDevice::Auto})
    if (text == deviceName(d)) {
      *out = d;
      return true;
    }
  return false;
}

ComputeDevice resolveDevice(ComputeDevice requested) {
  if (requested == ComputeDevice::Cpu) return ComputeDevice::Cpu;
  const bool cuda = torch::cuda::is_available();
  if (requested == ComputeDevice::Auto) return cuda ? ComputeDevice::Cuda : ComputeDevice::Cpu;
  if (!cuda) throw std::runtime_error("device 'cuda' was requested, but this LibTorch build has no usable CUDA GPU");
  return ComputeDevice::Cuda;
}

void reexecWithPassiveOpenMp(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY")) return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  execv("/proc/self/exe", argv);
  // execv failed (no /proc): carry on with the default policy, which is only slower.
}

}  // namespace fedmrg::engine
