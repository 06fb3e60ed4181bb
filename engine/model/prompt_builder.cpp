#include "engine/model/prompt_builder.h"

#include <cctype>
#include <stdexcept>

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
  if (probabilities.size() != size_t(kNumObservations) * 4)
    throw std::invalid_argument("argmaxStates: expected 14 x 4 probabilities, got " +
                                std::to_string(probabilities.size()));
  ObservationStates s{};
  for (int i = 0; i < kNumObservations; ++i) {
    int best = 0;
    for (int k = 1; k < 4; ++k)
      if (probabilities[size_t(i * 4 + k)] > probabilities[size_t(i * 4 + best)]) best = k;
    s[size_t(i)] = ObservationState(best);
  }
  return s;
}

}  // namespace fedmrg::engine
