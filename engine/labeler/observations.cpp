#include "engine/labeler/observations.h"

#include <cctype>

namespace fedmrg::engine {
namespace {

constexpr const char* kNames[kNumObservations] = {
    "No Finding",       "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Lesion",
    "Lung Opacity",     "Edema",                      "Consolidation", "Pneumonia",
    "Atelectasis",      "Pneumothorax",               "Pleural Effusion", "Pleural Other",
    "Fracture",         "Support Devices"};

constexpr const char* kKeys[kNumObservations] = {
    "no_finding",   "enlarged_cardiomediastinum", "cardiomegaly", "lung_lesion",
    "lung_opacity", "edema",                      "consolidation", "pneumonia",
    "atelectasis",  "pneumothorax",               "pleural_effusion", "pleural_other",
    "fracture",     "support_devices"};

char fold(char c) {
    if (c == ' ' || c == '-') return '_';
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

const char* observationName(int i) { return (i >= 0 && i < kNumObservations) ? kNames[i] : nullptr; }

const char* observationKey(int i) { return (i >= 0 && i < kNumObservations) ? kKeys[i] : nullptr; }

int observationIndex(std::string_view keyOrName) {
    for (int i = 0; i < kNumObservations; ++i) {
        std::string_view key(kKeys[i]);
        if (key.size() != keyOrName.size()) continue;
        bool same = true;
        for (size_t k = 0; k < key.size() && same; ++k) same = fold(keyOrName[k]) == key[k];
        if (same) return i;
    }
    return -1;
}

const char* stateName(ObservationState s) {
    switch (s) {
        case ObservationState::Blank: return "blank";
        case ObservationState::Positive: return "positive";
        case ObservationState::Negative: return "negative";
        case ObservationState::Uncertain: return "uncertain";
    }
    return "blank";
}

}  // namespace fedmrg::engine
