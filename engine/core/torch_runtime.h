#pragma once
// Process-wide LibTorch settings: thread count (LibTorch defaults to one thread on this kind of
// machine) and the compute device (CUDA when the LibTorch build and a GPU allow it).
#include <string>

namespace fedmrg::engine {

// Sets LibTorch's intra-op threads; 0 means every hardware thread. Returns the count in effect.
int configureTorchThreads(int threads = 0);

struct TorchInfo {
  std::string version;  // e.g. "1.13.1"
  int threads = 1;
  bool cudaAvailable = false;
  int cudaDevices = 0;
};
TorchInfo torchInfo();

// Where the LibTorch part of the work runs. Auto: CUDA when this LibTorch build has a usable GPU, else the CPU.
enum class ComputeDevice { Cpu, Cuda, Auto };
const char* deviceName(ComputeDevice d);  // "cpu", "cuda", "auto" (also LibTorch's names of the first two)
// "cpu", "cuda" or "auto"; false for anything else (the command line names the allowed values).
bool parseDevice(const std::string& text, ComputeDevice* out);
// Resolves Auto to Cpu or Cuda; throws std::runtime_error with the reason when Cuda is asked for and cannot be had.
ComputeDevice resolveDevice(ComputeDevice requested);

// OpenMP threads that spin while waiting fight each other on a 2-core machine (measured: 0.70
// samples/s training with 2 spinning threads against 3.30 with passive waiting). libgomp reads
// OMP_WAIT_POLICY only when it loads, before main(), so a program that wants passive waiting
// re-executes itself once with the variable set. Does nothing when the user set it already.
// Call first thing in main(); returns only when no re-execution happened.
void reexecWithPassiveOpenMp(char** argv);

}  // namespace fedmrg::engine
