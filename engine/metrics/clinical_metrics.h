// Clinical efficacy of generated reports: agreement of the labeler's "positive" states between each
// generated report and its reference, as PromptMRG reports it.
//
// - Example-based: per report, P = |pred ∩ ref| / |pred|, R = |pred ∩ ref| / |ref|, F1 = 2|∩| / (|pred| + |ref|)
//   over the positive observations (all 14); a ratio with an empty denominator is 1 when both sets are empty
//   and 0 otherwise; averaged over reports.
// - Micro: tp, fp, fn pooled over observations (and reports); macro: the mean of per-observation F1
//   (an observation never positive on either side scores F1 = 0 in the mean, as scikit-learn does).
// Both over all 14 observations and over the 5 common ones (Cardiomegaly, Edema, Consolidation,
// Atelectasis, Pleural Effusion).
#pragma once

#include <array>
#include <stdexcept>
#include <vector>

#include "engine/labeler/observations.h"

namespace fedmrg::engine {

struct ObservationAgreement {
    int tp = 0, fp = 0, fn = 0, tn = 0;
    double precision = 0, recall = 0, f1 = 0;
    int support() const { return tp + fn; }  // reference positives
};

struct PrfScores {
    double precision = 0, recall = 0, f1 = 0;
};

struct ClinicalScores {
    size_t reports = 0;
    PrfScores exampleBased;
    PrfScores micro14, micro5;
    double macroF1_14 = 0, macroF1_5 = 0;
    std::array<ObservationAgreement, kNumObservations> perObservation{};
};

// The 5 common observations' indices.
const std::array<int, 5>& commonObservations();

// pred[i] is compared with ref[i]; throws std::invalid_argument when the sizes differ.
ClinicalScores clinicalEfficacy(const std::vector<ObservationStates>& pred, const std::vector<ObservationStates>& ref);

}  // namespace fedmrg::engine
