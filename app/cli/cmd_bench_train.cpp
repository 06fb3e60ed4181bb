// fedmrg-cli bench-train: training samples/s of the report model on synthetic inputs (no data set needed).
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "app/cli/cli.h"
#include "app/cli/peak_memory.h"
#include "engine/core/json.h"
#include "engine/train/trainer.h"

namespace fedmrg::cli {
namespace {

int runBenchTrain(const Args& a) {
  engine::ModelConfig c = a.has("tiny") ? engine::ModelConfig::tiny(4000) : engine::ModelConfig{};
  if (auto path = a.get("config")) c = engine::ModelConfig::load(*path);
  const int promptLen = int(a.getInt("prompt-tokens", 40)), reportLen = int(a.getInt("report-tokens", 100));
  if (promptLen < 1 || reportLen < 1) throw UsageError("--prompt-tokens and --report-tokens must be >= 1");
  engine::TrainOptions o;
  o.steps = int(a.getInt("steps", 5));
  o.batchSize = int(a.getInt("batch", 8));
  o.threads = int(a.getInt("threads", 0));
  o.device = a.get("device", "cpu");
  o.warmupSteps = 1;
  o.numSites = 2;
  const std::string scope = a.get("scope", "base");
  if (scope != "base" && scope != "adapters") throw UsageError("--scope is base or adapters");
  o.scope = scope == "base" ? engine::TrainOptions::Scope::Base : engine::TrainOptions::Scope::Adapters;
  if (o.steps < 2 || o.batchSize < 1) throw UsageError("--steps must be >= 2 and --batch >= 1");

  std::mt19937 rng(1);
  std::vector<engine::TrainExample> data(size_t(o.batchSize) * 2);
  for (size_t i = 0; i < data.size(); ++i) {
    engine::TrainExample& e = data[i];
    e.image.resize(size_t(c.vision.channels) * size_t(c.imageSize) * size_t(c.imageSize));
    for (float& v : e.image) v = float(rng() % 1000) / 1000.0f;
    for (auto& s : e.states) s = engine::ObservationState(rng() % 4);
    for (int k = 0; k < promptLen; ++k) e.promptIds.push_back(int(rng() % unsigned(c.decoder.vocabSize)));
    for (int k = 0; k < reportLen; ++k) e.reportIds.push_back(int(rng() % unsigned(c.decoder.vocabSize)));
    e.site = int(i % 2);
  }
  engine::Trainer trainer(c, 0);
  // The first step pays one-time costs (allocator, oneDNN primitives): time the others.
  double firstStepEnd = 0;
  engine::TrainResult r = trainer.train(data, o, [&](const engine::TrainProgress& p) {
    if (p.step == 1) firstStepEnd = p.elapsedSeconds;
    return true;
  });
  const double timed = r.seconds - firstStepEnd;
  const double sps = double(o.steps - 1) * o.batchSize / timed;
  std::printf("bench-train: scope %s, batch %d, %d timed steps, %d threads, rows %d prefix + %d prompt + %d report,"
              " d=%d x %d layers, V=%d\n",
              scope.c_str(), o.batchSize, o.steps - 1, o.threads, c.visualPrefixRows(), promptLen, reportLen,
              c.decoder.dim, c.decoder.nLayers, c.decoder.vocabSize);
  std::printf("  %.2f samples/s (%.1f ms per sample), peak RSS %.0f MB\n", sps, 1000.0 / sps, peakRssKb() / 1024.0);
  if (auto path = a.get("json")) {
    engine::Json j = engine::Json::object();
    j["scope"] = scope;
    j["batch"] = o.batchSize;
    j["samples_per_second"] = sps;
    j["peak_rss_mb"] = peakRssKb() / 1024.0;
    std::ofstream(*path) << j.dump(2) << "\n";
  }
  return 0;
}

const CommandRegistration reg(
    {"bench-train", "training samples/s of the report model on synthetic inputs",
     "[--config cfg.json | --tiny] [--scope base|adapters] [--batch 8] [--steps 5] [--threads 0] [--json OUT]",
     {{"config", true, "model config.json (default: the built-in default model)"},
      {"tiny", false, "the tiny test configuration"},
      {"scope", true, "base (pretrain) or adapters (site training with mutual boosting)"},
      {"batch", true, "samples per step (default 8)"},
      {"steps", true, "steps, the first one untimed (default 5)"},
      {"threads", true, "LibTorch threads (default: every core)"},
      {"device", true, "cpu, cuda or auto (default cpu)"},
      {"prompt-tokens", true, "prompt length (default 40)"},
      {"report-tokens", true, "report length (default 100)"},
      {"json", true, "write the result as JSON"}},
     runBenchTrain});

}  // namespace
}  // namespace fedmrg::cli
