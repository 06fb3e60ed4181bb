// The 14 CheXpert observations and their 4 label states, in CheXpert's order.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fedmrg::engine {

constexpr int kNumObservations = 14;

enum class ObservationState : uint8_t { Blank = 0, Positive = 1, Negative = 2, Uncertain = 3 };

// Display name, e.g. "Cardiomegaly", "Enlarged Cardiomediastinum"; nullptr when i is out of range.
const char* observationName(int i);
// snake_case key, e.g. "cardiomegaly", "enlarged_cardiomediastinum"; nullptr when i is out of range.
const char* observationKey(int i);
// Index of a key or display name (case-insensitive, spaces/underscores interchangeable); -1 if unknown.
int observationIndex(std::string_view keyOrName);
// "blank", "positive", "negative", "uncertain".
const char* stateName(ObservationState s);

using ObservationStates = std::array<ObservationState, kNumObservations>;

}  // namespace fedmrg::engine
