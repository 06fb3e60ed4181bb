#pragma once
// Scores a site's model on a set of studies for the FL benchmark: drafts every study with the model folder's
// adapters (both, or the generic path alone), then the caption and clinical metrics of engine/metrics on the
// drafts of several models pooled.
#include <string>
#include <vector>

#include "app/cli/site/bench_fl_config.h"
#include "app/cli/site/bench_fl_data.h"
#include "engine/core/json.h"
#include "engine/metrics/report_io.h"

namespace fedmrg::cli::benchfl {

// Drafts and references of one evaluation, pooled over the models that took part.
struct Drafts {
  std::vector<engine::IdReport> predictions, references;
};

// Drafts every study of `split` with the model folder; ids are prefixed with `tag` so that drafts of the same
// study by several sites' models stay apart in the pool.
void draftSplit(const std::string& modelDir, bool specialized, const SplitData& split, const std::string& tag,
                int maxNewTokens, int threads, Drafts& into);

// One evaluation of a round's models: the seen sites with their own models (both adapters; a single model scores
// every site, the Centralized one), the held-out site through each model's generic path (drafts tagged with
// `names`); drafts pooled per side. {"seen": scores, "held_out": scores}.
engine::Json scoreModels(const std::vector<std::string>& modelDirs, const std::vector<std::string>& names,
                         const BenchData& data, bool test, const BenchConfig& config);

// BLEU-1..4, METEOR, ROUGE-L, CIDEr-D, clinical efficacy (example-based and macro P/R/F1 over 14 observations).
engine::Json scoreDrafts(const Drafts& drafts);

}  // namespace fedmrg::cli::benchfl
