// fedmrg:internal
#pragma once
// The training losses of the report model, each with a weight and a switch from the config.
// ENGINE-INTERNAL header: it includes <torch/torch.h> (see engine/model/report_net.h).
#include <vector>

#include "engine/model/report_net.h"

namespace fedmrg::engine::train {

constexpr int64_t kIgnoreLabel = -100;

// Cross-entropy of next-token logits [B, T, V] against labels [B, T]; kIgnoreLabel positions do not count.
torch::Tensor lmLoss(const torch::Tensor& logits, const torch::Tensor& labels);
// Cross-entropy of diagnosis logits [B, O, S] against states [B, O] (long).
torch::Tensor diagnosisLoss(const torch::Tensor& logits, const torch::Tensor& states);
// Symmetric InfoNCE between image features g [B, p] and report features t [B, p]; the other
// samples of the batch are the negatives. Features are L2-normalized here.
torch::Tensor imageReportInfoNce(const torch::Tensor& g, const torch::Tensor& t, double temperature);
// Prototype InfoNCE: each site feature s [B, p] is pulled to its site's row of prototypes [K, p]
// (siteRow [B], long) and pushed from the other rows. Features and prototypes are L2-normalized here.
torch::Tensor sitePrototypeInfoNce(const torch::Tensor& s, const torch::Tensor& siteRow, const torch::Tensor& prototypes,
                                   double temperature);
// 0.5 * (KL(sg(pB) || pA) + KL(sg(pA) || pB)) averaged over positions where mask [B, T] is true:
// each side learns from the other, never through its own target.
torch::Tensor symmetricKl(const torch::Tensor& logitsA, const torch::Tensor& logitsB, const torch::Tensor& mask);

// One training batch. Token sequences are per sample; prompt = bos + diagnosis prompt + instruction,
// report = report tokens + eos.
struct Batch {
  torch::Tensor images;  // [B, C, S, S] in [0, 1]
  torch::Tensor states;  // [B, O] long (ObservationState values)
  torch::Tensor siteRow;  // [B] long: the sample's row in the prototype table
  std::vector<std::vector<int64_t>> prompt;
  std::vector<std::vector<int64_t>> report;
};

// The decoder input of a batch: visual prefix rows, then prompt and report tokens, right-padded.
struct Assembled {
  torch::Tensor embeds;      // [B, T, d]
  torch::Tensor keyMask;     // [B, T] bool
  torch::Tensor labels;      // [B, T] next-token targets on report positions, else kIgnoreLabel
  torch::Tensor reportIds;   // [B, L] the report tokens alone (padded)
  torch::Tensor reportMask;  // [B, L] bool
};
Assembled assemble(net::ReportNetImpl& m, const torch::Tensor& prefix, const Batch& b, int64_t padId);

struct LossValues {
  double total = 0, lm = 0, diagnosis = 0, imageReport = 0, sitePrototype = 0, mutualBoosting = 0;
};

struct LossResult {
  torch::Tensor total;         // differentiable
  LossValues values;           // the unweighted terms (0 when off)
  torch::Tensor siteFeatures;  // s [B, p], detached, for the prototype table
};

// Runs the model on the batch and sums the enabled losses with their weights.
// useAdapters false: one LM path without adapters (central pre-training). true: with mutual boosting on,
// the generic-only and the combined path each give an LM loss (their mean is weighted by lm.weight)
// plus the symmetric KL (mutual_boosting.weight); off, only the combined path.
// prototypes [K, p] and prototypeValid [K] bool (may be undefined): the site-prototype table.
LossResult computeLosses(net::ReportNetImpl& m, const Batch& b, int64_t padId, bool useAdapters,
                         const torch::Tensor& prototypes, const torch::Tensor& prototypeValid);

}  // namespace fedmrg::engine::train
