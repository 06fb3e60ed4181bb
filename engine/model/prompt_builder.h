// fedmrg:internal
#pragma once
// The diagnosis-driven prompt: the 14 observation states (true labels in training, predicted at
// inference) as a short text placed between the visual tokens and the instruction.
#include <string>
#include <vector>

#include "engine/labeler/observations.h"

namespace fedmrg::engine {

// "cardiomegaly: positive; pleural effusion: uncertain" (lower-case display names, CheXpert order,
// blank states left out); "no labelled findings" when every state is blank.
std::string diagnosisPrompt(const ObservationStates& states);

// The whole text that precedes the report: the prompt line (when enabled) and the instruction.
std::string promptText(const ObservationStates& states, bool withDiagnosis, const std::string& instruction);

// The most probable state per observation from row-major [14 x 4] probabilities (no calibration).
ObservationStates argmaxStates(const std::vector<float>& probabilities);

}  // namespace fedmrg::engine
