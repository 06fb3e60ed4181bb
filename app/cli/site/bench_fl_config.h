#pragma once
// The FL benchmark's configuration (bench/<name>.json; fields in docs/benchmark-fl.md): the sites and their
// data, the base model and its switches, rounds, local steps, seeds, methods and codec settings.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/json.h"

namespace fedmrg::cli::benchfl {

struct DataConfig {
  std::string dir;                 // an existing FL-MRG-Synth folder; empty: generated into the run folder
  int studiesPerSite = 40;         // generation: studies per site (70% train, 10% val, 20% test)
  int size = 128;                  // generation: image rows
  uint64_t seed = 101;             // generation: the data set seed (never one the default model was trained on)
  std::vector<std::string> sites;  // the seen sites
  std::string heldOut;             // the unseen site (evaluated through the generic path only)
  int maxTrainPerSite = 0;         // 0: every study
  int maxValPerSite = 0, maxTestPerSite = 0;
  int heldOutVal = 8;   // the held-out site's first studies used for per-round validation
  int heldOutTest = 0;  // then at most this many for the test score (0: the rest)
};

struct CodecConfig {
  int rank = 4;
  bool int8 = true;
  bool zstd = true;
  int refreshEvery = 10;
};

struct BenchConfig {
  std::string name;
  std::string baseModel;  // model folder the adapters are trained on (empty: the shipped default model)
  engine::Json modelOverrides = engine::Json::object();  // merged into the base model's config.json
  DataConfig data;
  int rounds = 2;
  int localSteps = 5;  // optimizer steps per site and round
  int batch = 4;
  double learningRate = 5e-4;
  double fedproxMu = 0.01;
  int threads = 0;         // LibTorch and decoder threads (0: every core)
  int maxNewTokens = 120;  // decoding limit of the evaluation drafts
  std::vector<uint64_t> seeds{1};
  std::vector<std::string> methods;
  CodecConfig codec;
  // FedMRG's site prototypes travel between the sites (in process only: the protocol has no channel for them).
  bool sharePrototypes = true;
  engine::Json source;  // the file as read, for results.json

  // Reads and checks a config file; throws std::runtime_error naming the file, the field and the reason.
  static BenchConfig load(const std::string& path);
};

}  // namespace fedmrg::cli::benchfl
