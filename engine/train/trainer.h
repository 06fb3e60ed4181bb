#pragma once
// Trains the report model: central pre-training of the base weights, or a site's adapters and heads
// with the base frozen. AdamW, warmup + cosine, clipping, accumulation, deterministic seeds,
// checkpoint and resume, progress with ETA, cancellation. No LibTorch types in this header.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/torch_runtime.h"
#include "engine/labeler/observations.h"
#include "engine/model/model_config.h"

namespace fedmrg::engine {

class BpeTokenizer;

class TrainError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One study ready for the model (tokenized by the caller, see prompt_builder.h).
struct TrainExample {
  std::vector<float> image;      // channels x image_size x image_size, values in [0, 1]
  ObservationStates states{};    // labels of the true report (teacher forcing of the prompt)
  std::vector<int> promptIds;    // bos + diagnosis prompt + instruction
  std::vector<int> reportIds;    // report tokens + eos
  int site = 0;                  // row of the site-prototype table
};

struct TrainOptions {
  enum class Scope { Base, Adapters };
  Scope scope = Scope::Base;  // Base: everything but the adapters; Adapters: both adapters + projection heads
  int steps = 100;
  int batchSize = 8;
  int accumulation = 1;       // micro-batches per optimizer step
  double learningRate = 3e-4;
  double weightDecay = 0.01;  // on matrices only
  int warmupSteps = 10;
  double minLearningRateRatio = 0.1;  // cosine decays to learningRate * this
  double gradClip = 1.0;      // <= 0: off
  uint64_t seed = 0;
  ComputeDevice device = ComputeDevice::Cpu;
  int threads = 0;             // LibTorch threads; 0: every core
  std::string checkpointDir;   // empty: no checkpoints
  int checkpointEvery = 0;     // steps; 0: only at the end
  bool resume = true;          // continue from checkpointDir/checkpoint.pt when it exists
  int progressEvery = 1;
  // Site-prototype table: numSites rows; rows of sites seen in the data follow their features
  // (running mean), rows given here (other sites' prototypes from the federation) stay fixed.
  int numSites = 1;
  std::vector<std::pair<int, std::vector<float>>> externalPrototypes;
  int padId = 0;
  // FedProx (Li et al., 2020): weight mu of the proximal term mu/2 * |w - w0|^2 over the trainable tensors, w0
  // being their values when train() starts (the global model a site received); 0: off.
  double proximalMu = 0;
};

struct TrainLosses {
  double total = 0, lm = 0, diagnosis = 0, imageReport = 0, sitePrototype = 0, mutualBoosting = 0;
};

struct TrainProgress {
  int step = 0, steps = 0;
  TrainLosses losses;   // of the last optimizer step (mean over its micro-batches)
  double learningRate = 0;
  double elapsedSeconds = 0, etaSeconds = 0;
  double samplesPerSecond = 0;
};

struct TrainResult {
  // What the config enables that this scope cannot run (scopeNotices); the caller shows them.
  std::vector<std::string> notices;
  int startStep = 0;  // > 0 when resumed
  int steps = 0;
  TrainLosses first, last;
  double seconds = 0;
  double samplesPerSecond = 0;
  bool cancelled = false;
};

// Formats progress as one line: "step 40/200  loss 2.31 (lm 2.0 ...)  lr 2.9e-4  12.1 samples/s  ETA 0:13".
std::string formatProgress(const TrainProgress& p);

// A tensor outside LibTorch: row-major float32 values and the shape.
struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;
};
using HostTensors = std::map<std::string, HostTensor>;

class Trainer {
 public:
  // A fresh model with weights drawn from the seed.
  Trainer(const ModelConfig& config, uint64_t seed);
  // A model folder's config and weights (adapters when present).
  static Trainer fromFolder(const std::string& dir);
  ~Trainer();
  Trainer(Trainer&&) noexcept;
  Trainer& operator=(Trainer&&) noexcept;

  const ModelConfig& config() const;
  // Throws TrainError for empty data or an example whose sizes do not fit the config.
  // progress returns false to cancel (the state of the last finished step is kept and checkpointed).
  TrainResult train(const std::vector<TrainExample>& data, const TrainOptions& options,
                    const std::function<bool(const TrainProgress&)>& progress = {});
  // Mean losses over the data without training (eval mode, batches of batchSize).
  TrainLosses evaluate(const std::vector<TrainExample>& data, const TrainOptions& options);
  // Writes the model folder (config, weights, adapters, and the tokenizer when given).
  void save(const std::string& dir, const BpeTokenizer* tokenizer = nullptr);
  // Everything a later train() call continues from, besides the options: every parameter and buffer and the
  // site-prototype table (no optimizer: each train() call starts its own). Written to a temporary file and
  // renamed. A federated run persists it after each round and resumes from it (the FL benchmark).
  void saveState(const std::string& file) const;
  // Reads saveState's file into this model (same config); throws TrainError naming the file otherwise.
  void loadState(const std::string& file);
  // The running prototype of a site (empty until the site was seen in training).
  std::vector<float> sitePrototype(int site) const;

  // Parameter counts by part: "vision", "diagnosis", "heads", "projector", "decoder" (model. + lm_head.),
  // "generic adapter", "specialized adapter"; in that order.
  std::vector<std::pair<std::string, int64_t>> parameterCounts() const;

  // What a site shares with the federation: the generic adapter (under its file names,
  // "<weight>.lora_A" / "<weight>.lora_B") and the generic head ("heads.generic.*").
  HostTensors federatedTensors() const;
  // Replaces them (e.g. with the new global version). Every name must be known and every shape must
  // match; throws TrainError naming the tensor. Tensors not given are left as they are.
  void setFederatedTensors(const HostTensors& tensors);

  // Parameters by their names in the model ("heads.generic.0.weight", "...q_proj.generic_lora_A"): all of them,
  // or only those the Adapters scope trains (both adapters and the projection heads). The FL benchmark picks
  // from these what each method shares.
  HostTensors namedTensors(bool adapterScopeOnly) const;
  // Replaces parameters by those names; throws TrainError naming an unknown or misshapen tensor.
  void setNamedTensors(const HostTensors& tensors);

  struct Impl;

 private:
  explicit Trainer(std::unique_ptr<Impl> d);
  std::unique_ptr<Impl> d_;
};

}  // namespace fedmrg::engine
