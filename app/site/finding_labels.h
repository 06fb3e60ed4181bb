#pragma once
// The 14 diagnosis states of a report as the editor's chips show them, stored as
// "key=state;key=state" (blank observations omitted), e.g. "cardiomegaly=positive;edema=uncertain".
#include <string>

#include "engine/labeler/observations.h"

namespace fedmrg::app {

std::string encodeLabels(const engine::ObservationStates& states);
// Unknown keys or states are ignored; absent observations are blank.
engine::ObservationStates decodeLabels(const std::string& text);
// The next state when a chip is clicked: blank -> positive -> negative -> uncertain -> blank.
engine::ObservationState nextState(engine::ObservationState s);

}  // namespace fedmrg::app
