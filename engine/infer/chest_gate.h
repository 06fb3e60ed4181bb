#pragma once
// Is this a chest radiograph? The gate in front of every draft: a pure rule on the image's DICOM tags and
// the distance of the model's pooled image feature from its training images (ChestGateStatistics), answering
// yes, no or uncertain with the reason. "No" means no draft; "uncertain" a draft with a visible warning.
// No LibTorch or DCMTK types here.
#include <optional>
#include <string>

#include "engine/model/chest_gate_statistics.h"

namespace fedmrg::engine {

class ReportGenerator;
struct DicomImage;

enum class ChestGateDecision { Yes, No, Uncertain };
const char* chestGateDecisionName(ChestGateDecision d);  // "yes", "no", "uncertain"

// What the rule reads from an image: its tags (empty when absent) and its decoded size.
struct ChestGateInput {
  std::string modality, bodyPart, viewPosition, studyDescription, seriesDescription, imageType, photometric;
  int frames = 1, width = 0, height = 0;
};

struct ChestGateResult {
  ChestGateDecision decision = ChestGateDecision::Uncertain;
  std::string reason;                       // one sentence a radiologist understands
  std::optional<double> score;              // the image's distance; absent when the model folder has no statistics
  double acceptBelow = 0, refuseAbove = 0;  // the statistics' thresholds (0 without statistics)

  bool drafts() const { return decision != ChestGateDecision::No; }
  // "yes", "no (...)": the decision, the score against its thresholds and the reason, on one line.
  std::string summary() const;
};

// The rule. statistics may be null (no image check: at best uncertain); score is the image's
// ChestGateStatistics::score when statistics are given.
ChestGateResult decideChestGate(const ChestGateInput& input, const ChestGateStatistics* statistics,
                                std::optional<double> score);

#ifdef FEDMRG_HAVE_DCMTK
ChestGateInput chestGateInput(const DicomImage& image);
// Tags, the image's feature through generator's encoder, and the rule: what a draft path calls first.
ChestGateResult checkChestImage(const ReportGenerator& generator, const ChestGateStatistics* statistics,
                                const DicomImage& image);
#endif

}  // namespace fedmrg::engine
