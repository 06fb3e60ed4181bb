#pragma once
// Options shared by `fedmrg-cli pretrain` and `fedmrg-cli train`, and their progress printing.
// Header-only: fedmrg-cli compiles only cmd_*.cpp files of this folder.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "app/cli/engine_args.h"
#include "engine/core/json.h"
#include "engine/train/scope_notices.h"
#include "engine/train/synth_examples.h"
#include "engine/train/trainer.h"

namespace fedmrg::cli::trainargs {

inline std::vector<OptionSpec> withTrainOptions(std::vector<OptionSpec> specific) {
  const std::vector<OptionSpec> common{
      {"data", true, "FL-MRG-Synth folder (manifest.json, one folder per site)"},
      {"out", true, "output model folder"},
      {"steps", true, "optimizer steps"},
      {"batch", true, "samples per micro-batch (default 8)"},
      {"accum", true, "micro-batches per step (default 1)"},
      {"lr", true, "peak learning rate"},
      {"warmup", true, "warmup steps (default 5% of steps)"},
      {"weight-decay", true, "AdamW weight decay on matrices (default 0.01)"},
      {"clip", true, "gradient norm clip, 0 = off (default 1.0)"},
      {"seed", true, "seed of weights, data order and dropout (default 0)"},
      {"threads", true, "LibTorch threads (default: every core)"},
      {"device", true, "cpu, cuda or auto (default cpu)"},
      {"checkpoint", true, "checkpoint folder: resumed when it holds a checkpoint"},
      {"checkpoint-every", true, "steps between checkpoints (default: only at the end)"},
      {"max-per-site", true, "use at most N studies per site"},
      {"progress-every", true, "steps between progress lines (default 10)"},
      {"json", true, "write the run's summary as JSON"}};
  specific.insert(specific.end(), common.begin(), common.end());
  return specific;
}

inline engine::TrainOptions trainOptions(const Args& a, int defaultSteps, double defaultLr) {
  engine::TrainOptions o;
  o.steps = int(a.getInt("steps", defaultSteps));
  o.batchSize = int(a.getInt("batch", 8));
  o.accumulation = int(a.getInt("accum", 1));
  o.learningRate = a.getDouble("lr", defaultLr);
  o.warmupSteps = int(a.getInt("warmup", std::max(1, o.steps / 20)));
  o.weightDecay = a.getDouble("weight-decay", 0.01);
  o.gradClip = a.getDouble("clip", 1.0);
  o.seed = uint64_t(a.getInt("seed", 0));
  o.threads = int(a.getInt("threads", 0));
  o.device = engineargs::device(a, "cpu");
  o.checkpointDir = a.get("checkpoint", "");
  o.checkpointEvery = int(a.getInt("checkpoint-every", 0));
  o.progressEvery = int(a.getInt("progress-every", 10));
  if (o.steps < 1 || o.batchSize < 1 || o.accumulation < 1) throw UsageError("--steps, --batch and --accum must be >= 1");
  if (o.learningRate <= 0) throw UsageError("--lr must be positive");
  return o;
}

// Reads the site's studies of a split, keeping at most maxPerSite; reports skipped lines on stderr.
inline std::vector<engine::SynthRecord> siteRecords(const engine::SynthSiteEntry& site, const std::string& split,
                                                    long long maxPerSite) {
  int skipped = 0;
  std::string problem;
  std::vector<engine::SynthRecord> r = engine::readSynthRecords(site, split, &skipped, &problem);
  if (skipped) std::fprintf(stderr, "%s: skipped %d unusable lines (first: %s)\n", site.id.c_str(), skipped, problem.c_str());
  if (maxPerSite > 0 && r.size() > size_t(maxPerSite)) r.resize(size_t(maxPerSite));
  return r;
}

// Builds examples, skipping (and counting) studies whose image cannot be read.
inline std::vector<engine::TrainExample> buildExamples(const std::vector<engine::SynthRecord>& records,
                                                       const std::vector<int>& siteRows,
                                                       const engine::ModelConfig& config,
                                                       const engine::BpeTokenizer& tok) {
  std::vector<engine::TrainExample> out;
  int failed = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    try {
      out.push_back(engine::buildExample(records[i], config, tok, siteRows[i]));
    } catch (const engine::TrainError& e) {
      if (failed++ == 0) std::fprintf(stderr, "skipping a study: %s\n", e.what());
    }
    if ((i + 1) % 50 == 0 || i + 1 == records.size())
      std::fprintf(stderr, "\rprepared %zu/%zu studies", i + 1, records.size());
  }
  std::fprintf(stderr, "\n");
  if (failed) std::fprintf(stderr, "%d studies skipped (unreadable image)\n", failed);
  if (out.empty()) throw std::runtime_error("no usable training study");
  return out;
}

// Says on stderr what the model's config enables that this run's scope cannot train (instead of skipping it
// silently).
inline void printScopeNotices(const engine::ModelConfig& config, engine::TrainOptions::Scope scope) {
  for (const std::string& n : engine::scopeNotices(config, scope)) std::fprintf(stderr, "note: %s\n", n.c_str());
}

inline bool printProgress(const engine::TrainProgress& p) {
  std::printf("%s\n", engine::formatProgress(p).c_str());
  std::fflush(stdout);
  return true;
}

inline engine::Json lossesJson(const engine::TrainLosses& l) {
  engine::Json j = engine::Json::object();
  j["total"] = l.total;
  j["lm"] = l.lm;
  j["diagnosis"] = l.diagnosis;
  j["image_report"] = l.imageReport;
  j["site_prototype"] = l.sitePrototype;
  j["mutual_boosting"] = l.mutualBoosting;
  return j;
}

inline void writeSummary(const Args& a, const std::string& command, const engine::TrainResult& r, size_t examples) {
  std::printf("%s: %d steps in %.1f s, %.2f samples/s, loss %.4f -> %.4f (lm %.4f -> %.4f)%s\n", command.c_str(),
              r.steps - r.startStep, r.seconds, r.samplesPerSecond, r.first.total, r.last.total, r.first.lm, r.last.lm,
              r.cancelled ? " (cancelled)" : "");
  auto path = a.get("json");
  if (!path) return;
  engine::Json j = engine::Json::object();
  j["command"] = command;
  j["examples"] = double(examples);
  j["start_step"] = r.startStep;
  j["steps"] = r.steps;
  j["seconds"] = r.seconds;
  j["samples_per_second"] = r.samplesPerSecond;
  j["first"] = lossesJson(r.first);
  j["last"] = lossesJson(r.last);
  std::ofstream out(*path);
  out << j.dump(2) << "\n";
  if (!out) throw std::runtime_error(*path + ": cannot write");
}

}  // namespace fedmrg::cli::trainargs
