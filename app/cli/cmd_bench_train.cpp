// fedmrg-cli bench train (alias bench-train): training samples/s of the report model on synthetic inputs (no data
// set needed).
#include <cstdio>
#include <random>
#include <string>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "app/cli/engine_args.h"
#include "engine/core/json.h"
#include "engine/train/trainer.h"

namespace fedmrg::cli {

namespace bench {

std::vector<engine::TrainExample> randomExamples(const engine::ModelConfig& c, int n, int promptTokens,
                                                 int reportTokens, unsigned seed, int minId, int bos) {
  std::mt19937 rng(seed);
  const unsigned span = unsigned(c.decoder.vocabSize - minId);
  std::vector<engine::TrainExample> data(static_cast<size_t>(n));
  for (size_t i = 0; i < data.size(); ++i) {
    engine::TrainExample& e = data[i];
    e.image.resize(size_t(c.vision.channels) * size_t(c.imageSize) * size_t(c.imageSize));
    for (float& v : e.image) v = float(rng() % 1000) / 1000.0f;
    for (auto& s : e.states) s = engine::ObservationState(rng() % 4);
    if (bos >= 0) e.promptIds.push_back(bos);
    for (int k = 0; k < promptTokens; ++k) e.promptIds.push_back(minId + int(rng() % span));
    for (int k = 0; k < reportTokens; ++k) e.reportIds.push_back(minId + int(rng() % span));
    e.site = int(i % 2);
  }
  return data;
}

TrainBench measureTraining(const engine::ModelConfig& c, const TrainBenchOptions& b) {
  engine::TrainOptions o;
  o.steps = b.steps;
  o.batchSize = b.batch;
  o.threads = b.threads;
  o.device = b.device;
  o.warmupSteps = 1;
  o.numSites = 2;
  o.scope = b.adapters ? engine::TrainOptions::Scope::Adapters : engine::TrainOptions::Scope::Base;
  const std::vector<engine::TrainExample> data = randomExamples(c, o.batchSize * 2, b.promptTokens, b.reportTokens, 1);
  engine::Trainer trainer(c, 0);
  // The first step pays one-time costs (allocator, oneDNN primitives): time the others.
  double firstStepEnd = 0;
  const engine::TrainResult r = trainer.train(data, o, [&](const engine::TrainProgress& p) {
    if (p.step == 1) firstStepEnd = p.elapsedSeconds;
    return true;
  });
  TrainBench out;
  out.secondsTimed = r.seconds - firstStepEnd;
  out.samplesPerSecond = double(o.steps - 1) * o.batchSize / out.secondsTimed;
  return out;
}

}  // namespace bench

namespace {

int runBenchTrain(const Args& a) {
  engine::ModelConfig c = a.has("tiny") ? engine::ModelConfig::tiny(4000) : engine::ModelConfig{};
  if (auto path = a.get("config")) c = engine::ModelConfig::load(*path);
  bench::TrainBenchOptions o;
  o.promptTokens = int(a.getInt("prompt-tokens", 40));
  o.reportTokens = int(a.getInt("report-tokens", 100));
  if (o.promptTokens < 1 || o.reportTokens < 1) throw UsageError("--prompt-tokens and --report-tokens must be >= 1");
  o.steps = int(a.getInt("steps", 5));
  o.batch = int(a.getInt("batch", 8));
  o.threads = int(a.getInt("threads", 0));
  o.device = engineargs::device(a, "cpu");
  const std::string scope = a.get("scope", "base");
  if (scope != "base" && scope != "adapters") throw UsageError("--scope is base or adapters");
  o.adapters = scope == "adapters";
  if (o.steps < 2 || o.batch < 1) throw UsageError("--steps must be >= 2 and --batch >= 1");

  const bench::TrainBench r = bench::measureTraining(c, o);
  std::printf("bench train: scope %s, batch %d, %d timed steps, %d threads, rows %d prefix + %d prompt + %d report,"
              " d=%d x %d layers, V=%d\n",
              scope.c_str(), o.batch, o.steps - 1, o.threads, c.visualPrefixRows(), o.promptTokens, o.reportTokens,
              c.decoder.dim, c.decoder.nLayers, c.decoder.vocabSize);
  std::printf("  %.2f samples/s (%.1f ms per sample), peak RSS %.0f MB\n", r.samplesPerSecond,
              1000.0 / r.samplesPerSecond, bench::peakRssMb());
  if (auto path = a.get("json")) {
    engine::Json j = engine::Json::object();
    j["command"] = bench::commandLine();
    j["scope"] = scope;
    j["batch"] = o.batch;
    j["samples_per_second"] = r.samplesPerSecond;
    j["peak_rss_mb"] = bench::peakRssMb();
    bench::writeJson(*path, j);
  }
  return 0;
}

const CommandRegistration reg(
    {"bench-train", "training samples/s of the report model on synthetic inputs",
     "[--config cfg.json | --tiny] [--scope base|adapters] [--batch 8] [--steps 5] [--threads 0] [--json OUT]",
     {{"config", true, "model config file, JSON (default: the built-in default model)"},
      {"tiny", false, "the tiny test configuration"},
      {"scope", true, "base (pretrain) or adapters (site training with mutual boosting)"},
      {"batch", true, "samples per step (default 8)"},
      {"steps", true, "steps, the first one untimed (default 5)"},
      {"threads", true, "LibTorch threads (default: every core)"},
      {"device", true, "cpu, cuda or auto (default cpu)"},
      {"prompt-tokens", true, "prompt length (default 40)"},
      {"report-tokens", true, "report length (default 100)"},
      {"json", true, "write the result as JSON"}},
     runBenchTrain, true});

}  // namespace
}  // namespace fedmrg::cli
