#include "app/site/finding_labels.h"

#include <sstream>

namespace fedmrg::app {

std::string encodeLabels(const engine::ObservationStates& states) {
  std::string out;
  for (int i = 0; i < engine::kNumObservations; ++i) {
    if (states[size_t(i)] == engine::ObservationState::Blank) continue;
    if (!out.empty()) out += ';';
    out += std::string(engine::observationKey(i)) + "=" + engine::stateName(states[size_t(i)]);
  }
  return out;
}

engine::ObservationStates decodeLabels(const std::string& text) {
  engine::ObservationStates states{};
  states.fill(engine::ObservationState::Blank);
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ';')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) continue;
    const int index = engine::observationIndex(item.substr(0, eq));
    if (index < 0) continue;
    const std::string state = item.substr(eq + 1);
    for (auto s : {engine::ObservationState::Positive, engine::ObservationState::Negative,
                   engine::ObservationState::Uncertain})
      if (state == engine::stateName(s)) states[size_t(index)] = s;
  }
  return states;
}

engine::ObservationState nextState(engine::ObservationState s) {
  switch (s) {
    case engine::ObservationState::Blank: return engine::ObservationState::Positive;
    case engine::ObservationState::Positive: return engine::ObservationState::Negative;
    case engine::ObservationState::Negative: return engine::ObservationState::Uncertain;
    default: return engine::ObservationState::Blank;
  }
}

}  // namespace fedmrg::app
