// fedmrg:internal
// The labeler's phrase tables: observation mentions, mention exclusions and negation/uncertainty
// triggers. The mention, exclusion and "other findings" lists hold most of the CheXpert labeler's
// phrase lists (stanfordmlgroup/chexpert-labeler, MIT; notice in THIRD_PARTY_NOTICES) plus the
// project's additions; the trigger and size-cue lists are the project's own (see lexicon.cpp).
//
// Phrase syntax: lower-case words separated by single spaces; a trailing '*' on the last word matches
// any word that starts with it ("atelecta*" matches "atelectasis", "atelectatic"). Words are runs of
// letters and digits (hyphens split words: "air-space" is "air space").
#pragma once

#include <cstdint>
#include <vector>

namespace fedmrg::engine {

enum class PhraseKind : uint8_t {
    Mention,    // a mention of `observation` (index 0, No Finding, holds the "other findings")
    Exclusion,  // text that is NOT a mention of `observation` even though a mention phrase matches inside it
    Trigger,    // a negation or uncertainty cue
    SizeCue     // "enlarged", "prominent": a heart/mediastinum mention is positive only with one in its sentence
};

enum class TriggerEffect : uint8_t { None, Negative, Uncertain, UncertainStrong /* beats negation */ };
enum class TriggerDirection : uint8_t { None, Pre /* cue before the mention */, Post /* cue after it */, Both };

// Flags on mentions.
constexpr uint8_t kMentionAlwaysUncertain = 1;  // e.g. "vascular congestion": uncertain unless negated
constexpr uint8_t kMentionContour = 2;          // heart / silhouette / mediastinum words (see kTriggerContourOnly)
// Flags on triggers.
constexpr uint8_t kTriggerContourOnly = 1;      // only applies to kMentionContour mentions ("stable heart size")

struct LexiconPhrase {
    const char* text;
    PhraseKind kind;
    int8_t observation;          // mentions and exclusions
    TriggerEffect effect;        // triggers
    TriggerDirection direction;  // triggers
    uint8_t scope;               // triggers: the most words between cue and mention
    uint8_t flags;
};

// Words that end a trigger's scope ("but", "however", ...).
const std::vector<const char*>& scopeTerminators();
// Words that end only a post-trigger's scope ("with", "otherwise", ...).
const std::vector<const char*>& postScopeTerminators();

const std::vector<LexiconPhrase>& labelerLexicon();

}  // namespace fedmrg::engine
