// Rule-based CheXpert-style report labeler: finds mentions of the 14 observations, decides negation and
// uncertainty from trigger phrases and their scope, and aggregates them per observation.
//
// Rules (documented in docs/evaluation.md):
//  - Sentences end at '.', '!', '?' (not a decimal point) and at blank lines.
//  - A pre-trigger ("no", "may", ...) reaches forward, a post-trigger ("is normal", "cannot be excluded")
//    backward, over at most its scope in words, never across a sentence end, ';' or a scope terminator
//    ("but", "however", "although", ...); post-triggers also stop at "with", "otherwise", ...
//  - Overlapping triggers: the longer wins ("cannot exclude" hides "exclude").
//  - Per mention: uncertainty that beats negation ("cannot exclude", "no new") > negation > uncertainty >
//    positive. Always-uncertain mentions ("vascular congestion") are uncertain unless negated.
//  - Per observation (CheXpert): positive > uncertain > negative > blank. A positive or uncertain
//    "chf" / "heart failure" also makes Cardiomegaly uncertain. No Finding is positive when no observation
//    other than Support Devices, and no other finding (emphysema, scoliosis, ...), is positive or
//    uncertain; otherwise blank.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/labeler/observations.h"

namespace fedmrg::engine {

// One mention that was found, with its decided state.
struct LabelEvidence {
    int observation = 0;  // 1..13 = CheXpert observation; 0 = an "other finding" (it blanks No Finding)
    ObservationState state = ObservationState::Positive;
    uint32_t begin = 0;   // byte offsets into the labeled text: [begin, end)
    uint32_t end = 0;
    std::string phrase;   // the text at [begin, end)
    std::string cue;      // the trigger that decided the state ("" when positive)
};

struct LabelResult {
    ObservationStates states{};
    std::vector<LabelEvidence> evidence;
};

class ReportLabeler {
 public:
    ReportLabeler();  // compiles the lexicon once; label() is then thread-safe
    ~ReportLabeler();
    ReportLabeler(const ReportLabeler&) = delete;
    ReportLabeler& operator=(const ReportLabeler&) = delete;

    LabelResult label(std::string_view report) const;
    ObservationStates states(std::string_view report) const { return label(report).states; }

 private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fedmrg::engine
