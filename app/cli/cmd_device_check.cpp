// fedmrg-cli device-check: can this machine train and draft on the chosen device, and does the device compute what
// the CPU computes? For hospital IT checking a GPU machine before training on it, and for the project's GPU
// checks. Prints LibTorch's build facts, then
//   1. training parity: one model (seeded), the same batch, evaluated on the CPU and on the device: the losses must
//      agree to 1e-3 relative (eval mode: no dropout, so both compute the same function);
//   2. training on the device: --steps steps of base training, then --steps of adapter training (a site's
//      training, base frozen), on a fixed batch must each lower the loss, with samples/s;
//   3. drafting parity (--model DIR): the diagnosis probabilities from the same image on the CPU and on the device
//      must agree to 1e-4 and the greedy draft texts must be equal.
// Exit code 0 when every check passes, 1 when one fails or the device cannot be used.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "app/cli/engine_args.h"
#include "engine/core/json.h"
#include "engine/core/torch_runtime.h"
#include "engine/infer/report_generator.h"
#include "engine/train/trainer.h"

namespace fedmrg::cli {
namespace {

double relativeGap(double a, double b) { return std::fabs(a - b) / std::max(1e-6, std::max(std::fabs(a), std::fabs(b))); }

struct Check {
  std::string name;
  bool passed = false;
  std::string detail;
};

int runDeviceCheck(const Args& a) {
  const engine::TorchInfo info = engine::torchInfo();
  std::printf("LibTorch %s, %d threads, CUDA %s (%d device%s)\n", info.version.c_str(), info.threads,
              info.cudaAvailable ? "available" : "not available", info.cudaDevices, info.cudaDevices == 1 ? "" : "s");
  const engine::ComputeDevice requested = engineargs::device(a, "auto");
  engine::ComputeDevice resolved = engine::ComputeDevice::Cpu;
  try {
    resolved = engine::resolveDevice(requested);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "device-check: %s\n", e.what());
    return 1;
  }
  const std::string device = engine::deviceName(resolved);
  std::printf("checking device: %s\n", device.c_str());
  const int steps = int(a.getInt("steps", 30)), batch = int(a.getInt("batch", 8));
  if (steps < 2 || batch < 1) throw UsageError("--steps must be >= 2 and --batch >= 1");
  std::vector<Check> checks;

  // 1 and 2: training.
  engine::ModelConfig config = engine::ModelConfig::tiny(64);
  if (auto path = a.get("config")) config = engine::ModelConfig::load(*path);
  // One fixed batch: a bos (id 1), 12 prompt and 24 report tokens from ids 2 and up.
  const auto data = bench::randomExamples(config, batch, 12, 24, 7, 2, 1);
  engine::TrainOptions o;
  o.batchSize = batch;
  o.steps = steps;
  o.learningRate = 3e-3;
  o.warmupSteps = 1;
  o.numSites = 2;
  o.progressEvery = steps;
  o.device = engine::ComputeDevice::Cpu;
  engine::Trainer cpuModel(config, 11);
  const engine::TrainLosses onCpu = cpuModel.evaluate(data, o);
  o.device = resolved;
  engine::Trainer devModel(config, 11);
  const engine::TrainLosses onDevice = devModel.evaluate(data, o);
  const double gap = relativeGap(onCpu.total, onDevice.total);
  checks.push_back({"training forward parity (cpu vs " + device + ")", gap <= 1e-3,
                    "loss " + std::to_string(onCpu.total) + " vs " + std::to_string(onDevice.total) +
                        " (relative gap " + std::to_string(gap) + ", limit 1e-3)"});
  auto trainCheck = [&](const std::string& what) {
    const engine::TrainResult r = devModel.train(data, o);
    checks.push_back({what + " on " + device + " lowers the loss", r.last.total < r.first.total,
                      "loss " + std::to_string(r.first.total) + " -> " + std::to_string(r.last.total) + " in " +
                          std::to_string(r.steps) + " steps, " + std::to_string(r.samplesPerSecond) + " samples/s"});
  };
  trainCheck("base training");
  // A site's training: both adapters and the heads, base frozen, mutual boosting when the config enables it.
  o.scope = engine::TrainOptions::Scope::Adapters;
  trainCheck("adapter training");

  // 3: drafting.
  if (auto dir = a.get("model")) {
    engine::ReportGenerator::Options go;
    go.device = engine::ComputeDevice::Cpu;
    engine::ReportGenerator cpuGen(*dir, go);
    go.device = resolved;
    engine::ReportGenerator devGen(*dir, go);
    const engine::ModelConfig& mc = cpuGen.config();
    std::vector<float> image(size_t(mc.vision.channels) * size_t(mc.imageSize) * size_t(mc.imageSize));
    for (size_t i = 0; i < image.size(); ++i) image[i] = float((i * 7919) % 1000) / 1000.0f;
    const engine::GenerationOptions g = cpuGen.defaultOptions();
    const engine::Draft dc = cpuGen.draftFromPixels(image, g);
    const engine::Draft dd = devGen.draftFromPixels(image, g);
    double maxDiff = 0;
    for (size_t i = 0; i < dc.probabilities.size() && i < dd.probabilities.size(); ++i)
      maxDiff = std::max(maxDiff, double(std::fabs(dc.probabilities[i] - dd.probabilities[i])));
    const bool sameSize = dc.probabilities.size() == dd.probabilities.size();
    checks.push_back({"diagnosis parity (cpu vs " + device + ")", sameSize && maxDiff <= 1e-4,
                      "max probability difference " + std::to_string(maxDiff) + " (limit 1e-4)"});
    checks.push_back({"same greedy draft on cpu and " + device, dc.text == dd.text,
                      std::to_string(dc.tokens.size()) + " tokens on cpu in " + std::to_string(dc.seconds) + " s, " +
                          std::to_string(dd.tokens.size()) + " on " + device + " in " + std::to_string(dd.seconds) +
                          " s"});
  }

  bool all = true;
  engine::Json out = engine::Json::object();
  out["libtorch"] = info.version;
  out["device"] = device;
  engine::Json list = engine::Json::array();
  for (const Check& c : checks) {
    std::printf("  [%s] %s: %s\n", c.passed ? "PASS" : "FAIL", c.name.c_str(), c.detail.c_str());
    all = all && c.passed;
    engine::Json j = engine::Json::object();
    j["name"] = c.name;
    j["passed"] = c.passed;
    j["detail"] = c.detail;
    list.push_back(j);
  }
  out["checks"] = list;
  out["passed"] = all;
  if (auto path = a.get("json")) std::ofstream(*path) << out.dump(2) << "\n";
  std::printf("%s\n", all ? "device-check: all checks passed" : "device-check: FAILED");
  return all ? 0 : 1;
}

const CommandRegistration reg(
    {"device-check", "check training and drafting on a device (GPU) against the CPU",
     "[--device auto|cpu|cuda] [--model DIR] [--config cfg.json] [--steps 30] [--batch 8] [--json OUT]",
     {{"device", true, "auto (CUDA when available), cpu or cuda"},
      {"model", true, "model folder: also check drafting parity"},
      {"config", true, "model config file (JSON) for the training checks (default: the tiny test shape)"},
      {"steps", true, "training steps on the device (default 30)"},
      {"batch", true, "samples in the fixed batch (default 8)"},
      {"json", true, "write the results as JSON"}},
     runDeviceCheck});

}  // namespace
}  // namespace fedmrg::cli
