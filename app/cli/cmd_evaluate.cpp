// fedmrg-cli evaluate: scores generated reports against references (BLEU, METEOR, ROUGE-L, CIDEr-D and
// clinical efficacy of the labeler's states), pairing JSONL records by id.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/cli/cli.h"
#include "engine/metrics/report_evaluation.h"

namespace fedmrg::cli {
namespace {

void printIds(const char* what, const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  std::fprintf(stderr, "%zu id(s) only in %s:", ids.size(), what);
  const size_t shown = std::min<size_t>(ids.size(), 20);
  for (size_t i = 0; i < shown; ++i) std::fprintf(stderr, " %s", ids[i].c_str());
  if (shown < ids.size()) std::fprintf(stderr, " ... (%zu more)", ids.size() - shown);
  std::fprintf(stderr, "\n");
}

int runEvaluate(const Args& a) {
  const std::string predPath = a.require("pred"), refPath = a.require("ref");
  engine::EvaluationOptions options;
  try {
    options.tokenize = engine::tokenizeModeFromName(a.get("tokenize", "r2gen"));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  options.meteor = !a.has("no-meteor");
  std::vector<engine::ReadProblem> problems;
  const auto preds = engine::readReportJsonl(predPath, problems);
  const auto refs = engine::readReportJsonl(refPath, problems);
  for (const auto& p : problems) std::fprintf(stderr, "skipped %s\n", p.message().c_str());
  const engine::EvaluationResult r = engine::evaluateReports(preds, refs, options);
  printIds(predPath.c_str(), r.onlyInPredictions);
  printIds(refPath.c_str(), r.onlyInReferences);
  std::printf("tokenization: %s\n%s", engine::tokenizeModeName(options.tokenize), r.toText().c_str());
  if (auto out = a.get("json")) {
    engine::Json j = r.toJson();
    j["tokenization"] = engine::tokenizeModeName(options.tokenize);
    j["skipped_lines"] = problems.size();
    std::ofstream f(*out);
    if (!(f << j.dump(2) << "\n")) throw std::runtime_error("cannot write " + *out);
    std::printf("results written to %s\n", out->c_str());
  }
  if (r.pairs == 0) {
    std::fprintf(stderr, "error: no report id is present in both files\n");
    return 1;
  }
  return 0;
}

const CommandRegistration reg({"evaluate", "score generated reports against references (caption + clinical metrics)",
                               "--pred preds.jsonl --ref refs.jsonl [--json out.json] [--tokenize r2gen|ptb|whitespace]",
                               {{"pred", true, "generated reports, JSONL {\"id\":..., \"report\":...} (\"text\" also accepted)"},
                                {"ref", true, "reference reports, same format"},
                                {"json", true, "also write every figure to this JSON file"},
                                {"tokenize", true, "normalization before the caption metrics (default r2gen)"},
                                {"no-meteor", false, "skip METEOR"}},
                               runEvaluate});

}  // namespace
}  // namespace fedmrg::cli
