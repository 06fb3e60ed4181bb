#pragma once
// One run of the FL benchmark: one method, one seed (docs/benchmark-fl.md, "What a run does"). Sites train
// their adapters for the configured rounds; federated methods exchange their tensors through the federation's
// own codec and aggregation code in this process (federation/in_process_federation.h). After each round the
// seen sites (their own adapters) and the held-out site (each seen site's generic path) are scored on
// VALIDATION studies; the round with the best seen-site val CE-F1 is kept, and its models score the test
// studies once, at the end of the run. After each round the run commits its state (bench_fl_resume.h), so that
// an interrupted run continues from its last finished round.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/cli/site/bench_fl_config.h"
#include "app/cli/site/bench_fl_data.h"
#include "app/cli/site/bench_fl_eval.h"
#include "app/cli/site/bench_fl_methods.h"
#include "engine/core/json.h"

namespace fedmrg::cli::benchfl {

struct RunInputs {
  const BenchConfig* config = nullptr;
  const Method* method = nullptr;
  uint64_t seed = 0;
  const BenchData* data = nullptr;
  std::string modelDir;      // the method's model folder (bench_fl_model.h)
  std::string workDir;       // the run's state and the round's model folders; the caller removes it once finished
  std::string configDigest;  // a state committed under another configuration is not resumed
  DraftSettings drafts;      // how the evaluation drafts are decoded (the token limit resolved from the data)
  bool keepUploads = false;  // store every upload in the work folder (RunState::keepUpload)
  // Called after each round with its 1-based number and a one-line summary.
  std::function<void(int round, const std::string& summary)> onRound;
  // Called once before the first round: how the run starts ("resumed after round 2 ...", or why it starts over).
  std::function<void(int roundsDone, const std::string& note)> onStart;
  // Asked after each committed round; true stops the run there (as an interruption would).
  std::function<bool()> stopNow;
};

// The run's every figure: per round (val scores, bytes, seconds), the chosen round and its test scores; nullopt
// when stopNow stopped it (its state stays in workDir for the next invocation).
std::optional<engine::Json> runMethod(const RunInputs& in);

}  // namespace fedmrg::cli::benchfl
