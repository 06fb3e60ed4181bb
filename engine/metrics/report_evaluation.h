// Scores generated reports against reference reports by id: the caption metrics (BLEU-1..4, METEOR,
// ROUGE-L, CIDEr-D) on normalized tokens and the clinical efficacy of the labeler's states.
#pragma once

#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/metrics/clinical_metrics.h"
#include "engine/metrics/report_io.h"
#include "engine/metrics/text_normalizer.h"

namespace fedmrg::engine {

struct EvaluationOptions {
    TokenizeMode tokenize = TokenizeMode::R2Gen;
    bool meteor = true;
    bool clinical = true;
};

struct EvaluationResult {
    size_t pairs = 0;
    std::vector<std::string> onlyInPredictions, onlyInReferences;
    size_t emptyPredictions = 0, emptyReferences = 0;
    std::array<double, 4> bleu{};
    double meteor = -1;  // -1 when not computed
    double rougeL = 0;
    double ciderD = 0;
    std::string meteorSynonyms;  // WordNet status
    ClinicalScores clinical;
    bool clinicalComputed = false;

    Json toJson() const;
    std::string toText() const;  // the human-readable table fedmrg-cli prints
};

// Pairs the reports by id (order of `predictions`); ids present on one side only are listed, not scored.
EvaluationResult evaluateReports(const std::vector<IdReport>& predictions, const std::vector<IdReport>& references,
                                 const EvaluationOptions& options = {});

}  // namespace fedmrg::engine
