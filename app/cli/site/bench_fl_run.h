#pragma once
// One run of the FL benchmark: one method, one seed (docs/benchmark-fl.md, "What a run does"). Sites train
// their adapters for the configured rounds; federated methods exchange their tensors through the federation's
// own codec and aggregation code in this process (federation/in_process_federation.h). After each round the
// seen sites (their own adapters) and the held-out site (each seen site's generic path) are scored on
// VALIDATION studies; the round with the best seen-site val CE-F1 is kept, and its models score the test
// studies once, at the end of the run.
#include <cstdint>
#include <functional>
#include <string>

#include "app/cli/site/bench_fl_config.h"
#include "app/cli/site/bench_fl_data.h"
#include "app/cli/site/bench_fl_methods.h"
#include "engine/core/json.h"

namespace fedmrg::cli::benchfl {

struct RunInputs {
  const BenchConfig* config = nullptr;
  const Method* method = nullptr;
  uint64_t seed = 0;
  const BenchData* data = nullptr;
  std::string modelDir;  // the method's model folder (bench_fl_model.h)
  std::string workDir;   // scratch for the round's model folders; the best round's stay there
  // Called after each round with its 1-based number and a one-line summary.
  std::function<void(int round, const std::string& summary)> onRound;
};

// The run's every figure: per round (val scores, bytes, seconds), the chosen round and its test scores.
engine::Json runMethod(const RunInputs& in);

}  // namespace fedmrg::cli::benchfl
