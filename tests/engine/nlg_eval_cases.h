// Loads the nlg-eval test vectors of ../shared/reference/nlg-eval as token corpora (whitespace tokens,
// as nlg-eval feeds pycocoevalcap), shared by the caption-metric and METEOR tests.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/metrics/text_metrics.h"
#include "engine/metrics/text_normalizer.h"

struct NlgEvalCase {
  std::string name;
  fedmrg::engine::TokenCorpus corpus;
  fedmrg::engine::Json expected;  // the case's object: Bleu_1..4, METEOR, ROUGE_L, CIDEr (some may be absent)
};

inline std::vector<std::string> nlgEvalLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Empty when the folder is absent.
inline std::vector<NlgEvalCase> loadNlgEvalCases(const std::string& dir) {
  using fedmrg::engine::Json;
  using fedmrg::engine::splitWhitespace;
  std::vector<NlgEvalCase> cases;
  if (!std::ifstream(dir + "/expected_scores.json")) return cases;
  const Json all = Json::parseFile(dir + "/expected_scores.json");
  for (const auto& [name, c] : all.asObject()) {
    if (!c.isObject()) continue;
    NlgEvalCase nc{name, {}, c};
    auto& corpus = nc.corpus;
    if (const Json* hypFile = c.find("hyp_file")) {
      const auto hyps = nlgEvalLines(dir + "/" + hypFile->asString());
      std::vector<std::vector<std::string>> refFiles;
      for (const Json& f : c.at("ref_files").asArray()) refFiles.push_back(nlgEvalLines(dir + "/" + f.asString()));
      for (size_t i = 0; i < hyps.size(); ++i) {
        corpus.hyps.push_back(splitWhitespace(hyps[i]));
        corpus.refs.emplace_back();
        for (const auto& rf : refFiles) corpus.refs.back().push_back(splitWhitespace(rf.at(i)));
      }
    } else {
      corpus.hyps.push_back(splitWhitespace(c.at("hyp").asString()));
      corpus.refs.emplace_back();
      for (const Json& r : c.at("refs").asArray()) corpus.refs.back().push_back(splitWhitespace(r.asString()));
    }
    cases.push_back(std::move(nc));
  }
  return cases;
}
