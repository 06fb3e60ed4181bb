#pragma once
// What the `fedmrg-cli bench ...` commands share: timing, percentiles, peak memory, the machine's facts, rows of
// figures against their targets, and the measurements that `bench engine` combines (each defined beside its own
// subcommand: cmd_bench_draft.cpp, cmd_bench_train.cpp).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/infer/generation_options.h"
#include "engine/model/model_config.h"
#include "engine/train/trainer.h"

namespace fedmrg::engine {
class ReportGenerator;
}

namespace fedmrg::cli {
class Args;
}

namespace fedmrg::cli::bench {

// The model folder: --model, else the shipped default model found above the executable (a build folder inside
// the checkout, or an installed bin/ beside share/fedmrg/models), in the source tree it was built from, or above
// the current folder. Throws std::runtime_error saying where it looked. Defined in cmd_bench_engine.cpp.
std::string modelFolder(const Args& a);

// A temporary folder removed with its files when the run ends. Defined in cmd_bench_engine.cpp.
struct TempDir {
  std::filesystem::path path;
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// One synthetic study of the first built-in site, `rows` high, rendered and written into `dir` as that site's
// DICOM files are; returns its path. Defined in cmd_bench_engine.cpp.
std::string writeSyntheticStudy(const std::filesystem::path& dir, int rows);

using Clock = std::chrono::steady_clock;
inline double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// q in [0, 1]: the nearest-rank value of the sorted samples (0 for none); median() is percentile(v, 0.5).
double percentile(std::vector<double> v, double q);
double median(std::vector<double> v);

// This process's command line as typed (arguments joined by spaces).
std::string commandLine();

// Peak resident memory of the process so far (VmHWM), in MB of 2^20 bytes.
double peakRssMb();
// Sets the peak back to the current resident size (Linux >= 4.0); false when the kernel refuses.
bool resetPeakRss();

struct Machine {
  int cores = 0;                 // online logical cores
  std::string cpuModel;          // "model name" of /proc/cpuinfo
  bool avx2 = false, fma = false, f16c = false;
  double load1 = -1, load5 = -1, load15 = -1;  // /proc/loadavg; -1 when unreadable
};
Machine machine();
double loadAverage1();  // the 1-minute load average now; -1 when unreadable
engine::Json machineJson(const Machine& m);

// One figure against its target: printed as a row with PASS or MISS, and kept for the JSON.
struct Target {
  enum class Kind { AtLeast, AtMost, None };
  std::string figure;  // "reference decode, fp32"
  double value = 0;
  std::string unit;    // "tokens/s"
  Kind kind = Kind::None;
  double target = 0;
  bool pass() const;
};
class TargetTable {
 public:
  const Target& add(Target t);  // prints the row at once
  void print(const char* title) const;
  engine::Json json() const;
  int misses() const;

 private:
  std::vector<Target> rows_;
};

// Writes j (indented) to path; throws std::runtime_error naming the path when it cannot.
void writeJson(const std::string& path, const engine::Json& j);
// Throws std::runtime_error naming the path when it cannot be created for writing (checked before long runs).
void checkWritable(const std::string& path);

// Draft time from a DICOM file (read + decode + encoder + prompt + decoder): one untimed warm-up draft, then
// `runs` timed ones. Defined in cmd_bench_draft.cpp.
struct DraftTimes {
  double p50 = 0, p95 = 0;  // seconds
  size_t tokens = 0;        // tokens of the last draft
};
DraftTimes measureDraft(const engine::ReportGenerator& gen, const std::string& dicomFile,
                        const engine::GenerationOptions& options, int runs);

// Training samples/s of a model configuration on synthetic inputs (every loss the config enables), the first
// step untimed. Defined in cmd_bench_train.cpp.
struct TrainBenchOptions {
  bool adapters = false;  // scope: false = base (pretrain), true = adapters (site training)
  int batch = 16, steps = 5, threads = 0;
  engine::ComputeDevice device = engine::ComputeDevice::Cpu;
  int promptTokens = 40, reportTokens = 100;
};
struct TrainBench {
  double samplesPerSecond = 0;
  double secondsTimed = 0;
};
TrainBench measureTraining(const engine::ModelConfig& config, const TrainBenchOptions& options);

// n random training examples for benchmarks and device checks: pixels in [0, 1), random states, token ids in
// [minId, vocabulary), sites 0 and 1 alternating; the prompt starts with `bos` when bos >= 0. Deterministic for
// a seed. Defined in cmd_bench_train.cpp.
std::vector<engine::TrainExample> randomExamples(const engine::ModelConfig& config, int n, int promptTokens,
                                                 int reportTokens, unsigned seed, int minId = 0, int bos = -1);

}  // namespace fedmrg::cli::bench
