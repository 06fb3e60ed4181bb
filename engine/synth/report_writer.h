#pragma once
// Writes a synthetic radiology report for a study in a site's reporting style, and the 14
// CheXpert labels that the report states (a finding not mentioned is blank, as CheXpert labels it).
#include <cstdint>
#include <string>

#include "engine/synth/synth_site.h"
#include "engine/synth/synth_study.h"
#include "engine/labeler/observations.h"

namespace fedmrg::engine {

struct SynthReport {
  std::string text;
  ObservationStates states{};
};

// Deterministic for (study, profile, seed). Every sentence mentions at most one observation,
// except combined negatives ("No pleural effusion or pneumothorax.").
SynthReport writeSynthReport(const StudyTruth& study, const ReportingProfile& profile, uint64_t seed);

}  // namespace fedmrg::engine
