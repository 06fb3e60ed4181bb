#pragma once
// The FL benchmark's data: the FL-MRG-Synth set named by the config (generated into the run folder when the
// config names none), read into training examples per site and split. The held-out site is all "test" in
// FL-MRG-Synth: its first studies become the held-out validation set, the rest its test set, so that per-round
// choices never look at a test split.
#include <string>
#include <vector>

#include "app/cli/site/bench_fl_config.h"
#include "engine/text/bpe_tokenizer.h"
#include "engine/train/synth_examples.h"

namespace fedmrg::cli::benchfl {

struct SplitData {
  std::vector<engine::SynthRecord> records;
  std::vector<engine::TrainExample> examples;  // same order as records
};

struct SiteData {
  std::string id;
  SplitData train, val, test;
};

struct BenchData {
  std::string dir;
  std::vector<SiteData> seen;  // in the config's order; site s is row s of the prototype table
  SiteData heldOut;            // val and test only
};

// The data folder: config.data.dir, else <runDir>/data, generated once (a manifest.json there is reused).
std::string ensureDataset(const BenchConfig& config, const std::string& runDir);
// Reads every split the benchmark uses, with images at the model's input size.
BenchData loadData(const BenchConfig& config, const std::string& dataDir, const engine::ModelConfig& model,
                   const engine::BpeTokenizer& tok);
// One split of one site of an FL-MRG-Synth folder, at most `max` usable studies (0: all) after skipping `skip`,
// as the benchmark reads it (a site process of `bench fl --transport grpc` reads its train split the same way).
SplitData readSiteSplit(const engine::SynthSiteEntry& site, const std::string& split, size_t skip, int max,
                        const engine::ModelConfig& model, const engine::BpeTokenizer& tok, int row);
// The examples with prompt and report tokens rebuilt for another model config (e.g. without the diagnosis
// prompt); images and labels are kept.
std::vector<engine::TrainExample> retokenized(const SplitData& split, const engine::ModelConfig& model,
                                              const engine::BpeTokenizer& tok);

}  // namespace fedmrg::cli::benchfl
