#include "app/site/finding_labels.h"

#include <sstream>

#include "engine/labeler/observations.h"

namespace fedmrg::app {
namespace {

static_assert(kFindingCount == engine::kNumObservations, "one chip per labeler observation");

engine::ObservationState toEngine(FindingState s) { return static_cast<engine::ObservationState>(s); }

}  // namespace

const char* findingName(int i) { return engine::observationName(i); }

const char* findingStateName(FindingState s) { return engine::stateName(toEngine(s)); }

FindingStates blankFindings() {
  FindingStates states{};
  states.fill(FindingState::Blank);
  return states;
}

std::string encodeLabels(const FindingStates& states) {
  std::string out;
  for (int i = 0; i < kFindingCount; ++i) {
    if (states[size_t(i)] == FindingState::Blank) continue;
    if (!out.empty()) out += ';';
    out += std::string(engine::observationKey(i)) + "=" + findingStateName(states[size_t(i)]);
  }
  return out;
}

FindingStates decodeLabels(const std::string& text) {
  FindingStates states = blankFindings();
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ';')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) continue;
    const int index = engine::observationIndex(item.substr(0, eq));
    if (index < 0) continue;
    const std::string state = item.substr(eq + 1);
    for (auto s : {FindingState::Positive, FindingState::Negative, FindingState::Uncertain})
      if (state == findingStateName(s)) states[size_t(index)] = s;
  }
  return states;
}

FindingState nextState(FindingState s) {
  switch (s) {
    case FindingState::Blank: return FindingState::Positive;
    case FindingState::Positive: return FindingState::Negative;
    case FindingState::Negative: return FindingState::Uncertain;
    default: return FindingState::Blank;
  }
}

}  // namespace fedmrg::app
