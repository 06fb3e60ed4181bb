#pragma once
// The 14 diagnosis states of a report as the editor's chips show them, stored as
// "key=state;key=state" (blank observations omitted), e.g. "cardiomegaly=positive;edema=uncertain".
// The app's own names for the labeler's observations, so that the editor never names engine types.
#include <array>
#include <cstdint>
#include <string>

namespace fedmrg::app {

constexpr int kFindingCount = 14;  // the labeler's observations; checked against it at compile time

// The same values as the labeler's states (checked where drafts convert them).
enum class FindingState : uint8_t { Blank = 0, Positive = 1, Negative = 2, Uncertain = 3 };
using FindingStates = std::array<FindingState, kFindingCount>;

// Display name of finding i ("Cardiomegaly"), and of a state ("positive"; "blank" for Blank).
const char* findingName(int i);
const char* findingStateName(FindingState s);
// Every finding blank.
FindingStates blankFindings();

std::string encodeLabels(const FindingStates& states);
// Unknown keys or states are ignored; absent observations are blank.
FindingStates decodeLabels(const std::string& text);
// The next state when a chip is clicked: blank -> positive -> negative -> uncertain -> blank.
FindingState nextState(FindingState s);

}  // namespace fedmrg::app
