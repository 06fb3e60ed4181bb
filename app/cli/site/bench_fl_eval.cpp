#include "app/cli/site/bench_fl_eval.h"

#include "engine/infer/report_generator.h"
#include "engine/metrics/report_evaluation.h"

namespace fedmrg::cli::benchfl {

void draftSplit(const std::string& modelDir, bool specialized, const SplitData& split, const std::string& tag,
                int maxNewTokens, int threads, Drafts& into) {
  engine::ReportGenerator::Options o;
  o.specialized = specialized;
  o.threads = threads;
  engine::ReportGenerator gen(modelDir, o);
  engine::GenerationOptions g = gen.defaultOptions();
  g.maxNewTokens = std::min(g.maxNewTokens, maxNewTokens);
  for (size_t i = 0; i < split.examples.size(); ++i) {
    const std::string id = tag + "/" + std::to_string(i);
    into.predictions.push_back({id, gen.draftFromPixels(split.examples[i].image, g).text});
    into.references.push_back({id, split.records[i].report});
  }
}

engine::Json scoreModels(const std::vector<std::string>& models, const std::vector<std::string>& names,
                         const BenchData& data, bool test, const BenchConfig& c) {
  Drafts seen, held;
  for (size_t s = 0; s < data.seen.size(); ++s)
    draftSplit(models[models.size() == 1 ? 0 : s], true, test ? data.seen[s].test : data.seen[s].val, data.seen[s].id,
               c.maxNewTokens, c.threads, seen);
  for (size_t m = 0; m < models.size(); ++m)
    draftSplit(models[m], false, test ? data.heldOut.test : data.heldOut.val, names[m], c.maxNewTokens, c.threads,
               held);
  engine::Json j = engine::Json::object();
  j["seen"] = scoreDrafts(seen);
  j["held_out"] = scoreDrafts(held);
  return j;
}

engine::Json scoreDrafts(const Drafts& d) {
  const engine::EvaluationResult r = engine::evaluateReports(d.predictions, d.references);
  engine::Json j = engine::Json::object();
  j["studies"] = double(r.pairs);
  for (int n = 0; n < 4; ++n) j["bleu" + std::to_string(n + 1)] = r.bleu[size_t(n)];
  j["meteor"] = r.meteor;
  j["rouge_l"] = r.rougeL;
  j["cider_d"] = r.ciderD;
  const engine::ClinicalScores& c = r.clinical;
  j["ce_precision"] = c.exampleBased.precision;
  j["ce_recall"] = c.exampleBased.recall;
  j["ce_f1"] = c.exampleBased.f1;
  // Macro precision and recall: the mean over the 14 observations, as macro F1 is.
  double p = 0, rec = 0;
  for (const auto& o : c.perObservation) p += o.precision, rec += o.recall;
  j["ce_macro_precision"] = p / double(c.perObservation.size());
  j["ce_macro_recall"] = rec / double(c.perObservation.size());
  j["ce_macro_f1"] = c.macroF1_14;
  j["empty_drafts"] = double(r.emptyPredictions);
  return j;
}

}  // namespace fedmrg::cli::benchfl
