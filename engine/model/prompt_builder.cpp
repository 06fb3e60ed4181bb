#include "engine/model/prompt_builder.h"

#include <cctype>

#include "engine/model/diagnosis_calibration.h"

namespace fedmrg::engine {

std::string diagnosisPrompt(const ObservationStates& states) {
  std::string out;
  for (int i = 0; i < kNumObservations; ++i) {
    if (states[size_t(i)] == ObservationState::Blank) continue;
    if (!out.empty()) out += "; ";
    for (const char* p = observationName(i); *p; ++p) out += char(std::tolower(static_cast<unsigned char>(*p)));
    out += ": ";
    out += stateName(states[size_t(i)]);
  }
  return out.empty() ? "no labelled findings" : out;
}

std::string promptText(const ObservationStates& states, bool withDiagnosis, const std::string& instruction) {
  std::string out;
  if (withDiagnosis) out = "Findings: " + diagnosisPrompt(states) + ".\n";
  out += instruction;
  out += "\n";
  return out;
}

ObservationStates argmaxStates(const std::vector<float>& probabilities) {
  return decideStates(probabilities, DiagnosisCalibration{});
}

}  // namespace fedmrg::engine
