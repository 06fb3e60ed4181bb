#include "engine/labeler/labeler.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "engine/labeler/lexicon.h"

namespace fedmrg::engine {
namespace {

constexpr size_t kPrefixKey = 4;

const int kCardiomegaly = observationIndex("cardiomegaly");
const int kSupportDevices = observationIndex("support_devices");  // prefix phrases ("atelecta*") are indexed by their first 4 letters

struct Token {
    std::string_view text;  // lower-cased
    uint32_t begin = 0, end = 0;
    bool word = true;       // false: punctuation ('.', ',', ';', ':', '?', '!', '(', ')') or a blank line ("\n")
    bool terminator = false;
    bool postTerminator = false;
};

struct Pattern {
    std::vector<std::string> words;
    bool lastIsPrefix = false;
    const LexiconPhrase* phrase = nullptr;
};

struct Match {
    const Pattern* pattern;
    uint32_t first, last;  // token range [first, last)
};

bool isWordByte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool isPunct(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '?' || c == '!' || c == '(' || c == ')';
}

bool endsSentence(const Token& t) {
    return !t.word && (t.text == "." || t.text == "?" || t.text == "!" || t.text == "\n");
}

}  // namespace

struct ReportLabeler::Impl {
    std::vector<Pattern> patterns;
    std::unordered_map<std::string_view, std::vector<uint32_t>> byFirstWord;
    std::unordered_map<std::string_view, std::vector<uint32_t>> byPrefix;
    std::unordered_set<std::string_view> terminators, postTerminators;

    Impl() {
        const auto& lexicon = labelerLexicon();
        patterns.reserve(lexicon.size());
        for (const LexiconPhrase& p : lexicon) {
            Pattern pat;
            pat.phrase = &p;
            std::string_view text(p.text);
            size_t pos = 0;
            while (pos < text.size()) {
                size_t sp = text.find(' ', pos);
                if (sp == std::string_view::npos) sp = text.size();
                pat.words.emplace_back(text.substr(pos, sp - pos));
                pos = sp + 1;
            }
            if (!pat.words.empty() && pat.words.back().size() > 1 && pat.words.back().back() == '*') {
                pat.words.back().pop_back();
                pat.lastIsPrefix = true;
            }
            if (pat.words.empty()) throw std::logic_error("labeler lexicon: empty phrase");
            if (pat.lastIsPrefix && pat.words.size() == 1 && pat.words[0].size() < kPrefixKey)
                throw std::logic_error(std::string("labeler lexicon: prefix too short: ") + p.text);
            patterns.push_back(std::move(pat));
        }
        // Index after the vector is final: keys view into the patterns' strings.
        for (uint32_t i = 0; i < patterns.size(); ++i) {
            const Pattern& pat = patterns[i];
            if (pat.lastIsPrefix && pat.words.size() == 1)
                byPrefix[std::string_view(pat.words[0]).substr(0, kPrefixKey)].push_back(i);
            else
                byFirstWord[pat.words[0]].push_back(i);
        }
        for (const char* w : scopeTerminators()) terminators.insert(w);
        for (const char* w : postScopeTerminators()) postTerminators.insert(w);
    }

    static bool wordMatches(const Token& tok, const std::string& w, bool prefix) {
        if (prefix) return tok.text.size() >= w.size() && tok.text.compare(0, w.size(), w) == 0;
        return tok.text == w;
    }

    bool matchesAt(const Pattern& pat, const std::vector<Token>& toks, size_t i) const {
        if (i + pat.words.size() > toks.size()) return false;
        for (size_t k = 0; k < pat.words.size(); ++k) {
            const Token& tok = toks[i + k];
            bool last = k + 1 == pat.words.size();
            if (!tok.word && !(pat.words.size() == 1 && tok.text == pat.words[0])) return false;
            if (!wordMatches(tok, pat.words[k], last && pat.lastIsPrefix)) return false;
        }
        return true;
    }

    void tokenize(std::string_view text, std::string& lower, std::vector<Token>& toks) const {
        lower.resize(text.size());
        for (size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        std::string_view lc(lower);
        size_t i = 0;
        const size_t n = lc.size();
        while (i < n) {
            unsigned char c = static_cast<unsigned char>(lc[i]);
            if (isWordByte(c)) {
                size_t start = i;
                while (i < n) {
                    unsigned char d = static_cast<unsigned char>(lc[i]);
                    if (isWordByte(d)) { ++i; continue; }
                    // A decimal point inside a number stays in the word ("2.5").
                    if (d == '.' && i + 1 < n && i > start && lc[i - 1] >= '0' && lc[i - 1] <= '9' &&
                        lc[i + 1] >= '0' && lc[i + 1] <= '9') { ++i; continue; }
                    break;
                }
                Token t;
                t.text = lc.substr(start, i - start);
                t.begin = static_cast<uint32_t>(start);
                t.end = static_cast<uint32_t>(i);
                t.terminator = terminators.count(t.text) > 0;
                t.postTerminator = postTerminators.count(t.text) > 0;
                toks.push_back(t);
            } else if (isPunct(static_cast<char>(c))) {
                Token t;
                t.text = lc.substr(i, 1);
                t.begin = static_cast<uint32_t>(i);
                t.end = static_cast<uint32_t>(i + 1);
                t.word = false;
                t.terminator = c == ';';
                toks.push_back(t);
                ++i;
            } else if (c == '\n') {
                // A blank line ends a sentence.
                size_t j = i + 1;
                while (j < n && (lc[j] == ' ' || lc[j] == '\t' || lc[j] == '\r')) ++j;
                if (j < n && lc[j] == '\n') {
                    Token t;
                    t.text = lc.substr(i, 1);
                    t.begin = static_cast<uint32_t>(i);
                    t.end = static_cast<uint32_t>(i + 1);
                    t.word = false;
                    toks.push_back(t);
                    i = j + 1;
                } else {
                    ++i;
                }
            } else {
                ++i;
            }
        }
    }

    void findMatches(const std::vector<Token>& toks, std::vector<Match>& out) const {
        for (size_t i = 0; i < toks.size(); ++i) {
            const Token& tok = toks[i];
            if (auto it = byFirstWord.find(tok.text); it != byFirstWord.end())
                for (uint32_t p : it->second)
                    if (matchesAt(patterns[p], toks, i))
                        out.push_back({&patterns[p], static_cast<uint32_t>(i),
                                       static_cast<uint32_t>(i + patterns[p].words.size())});
            if (tok.word && tok.text.size() >= kPrefixKey)
                if (auto it = byPrefix.find(tok.text.substr(0, kPrefixKey)); it != byPrefix.end())
                    for (uint32_t p : it->second)
                        if (matchesAt(patterns[p], toks, i))
                            out.push_back({&patterns[p], static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
        }
    }

    // Words between token a (exclusive) and b (exclusive), or -1 when a terminator lies between.
    static int wordGap(const std::vector<Token>& toks, uint32_t a, uint32_t b, bool post) {
        int words = 0;
        for (uint32_t k = a; k < b; ++k) {
            const Token& t = toks[k];
            if (t.terminator || (post && t.postTerminator)) return -1;
            if (t.word) ++words;
        }
        return words;
    }
};

ReportLabeler::ReportLabeler() : impl_(std::make_unique<Impl>()) {}
ReportLabeler::~ReportLabeler() = default;

LabelResult ReportLabeler::label(std::string_view report) const {
    const Impl& im = *impl_;
    thread_local std::string lower;
    thread_local std::vector<Token> toks;
    thread_local std::vector<Match> matches;
    thread_local std::vector<uint32_t> sentenceOf;
    toks.clear();
    matches.clear();
    im.tokenize(report, lower, toks);
    im.findMatches(toks, matches);

    sentenceOf.resize(toks.size());
    uint32_t sentence = 0;
    for (size_t i = 0; i < toks.size(); ++i) {
        sentenceOf[i] = sentence;
        if (endsSentence(toks[i])) ++sentence;
    }

    std::vector<const Match*> mentions, triggers, exclusions;
    std::vector<uint32_t> sizeCueSentences;
    for (const Match& m : matches) {
        switch (m.pattern->phrase->kind) {
            case PhraseKind::Mention: mentions.push_back(&m); break;
            case PhraseKind::Trigger: triggers.push_back(&m); break;
            case PhraseKind::Exclusion: exclusions.push_back(&m); break;
            case PhraseKind::SizeCue: sizeCueSentences.push_back(sentenceOf[m.first]); break;
        }
    }
    auto overlaps = [](const Match* a, const Match* b) { return a->first < b->last && b->first < a->last; };
    auto span = [](const Match* m) { return m->last - m->first; };

    // Triggers inside a longer overlapping trigger do not count.
    std::vector<const Match*> activeTriggers;
    for (const Match* t : triggers) {
        bool hidden = false;
        for (const Match* u : triggers)
            if (u != t && overlaps(t, u) && span(u) > span(t)) { hidden = true; break; }
        if (!hidden) activeTriggers.push_back(t);
    }

    // Mentions: drop excluded ones, and keep the longest of overlapping mentions of one observation.
    std::vector<const Match*> kept;
    for (const Match* m : mentions) {
        const int obs = m->pattern->phrase->observation;
        bool drop = false;
        for (const Match* e : exclusions)
            if (e->pattern->phrase->observation == obs && overlaps(m, e)) { drop = true; break; }
        for (const Match* o : mentions) {
            if (drop) break;
            if (o == m || o->pattern->phrase->observation != obs || !overlaps(m, o)) continue;
            if (span(o) > span(m) || (span(o) == span(m) && o < m)) drop = true;
        }
        if (!drop) kept.push_back(m);
    }

    LabelResult result;
    result.states.fill(ObservationState::Blank);
    bool finding = false;
    auto raise = [&](int obs, ObservationState s) {
        ObservationState& cur = result.states[obs];
        auto rank = [](ObservationState x) {
            switch (x) {
                case ObservationState::Positive: return 3;
                case ObservationState::Uncertain: return 2;
                case ObservationState::Negative: return 1;
                case ObservationState::Blank: return 0;
            }
            return 0;
        };
        if (rank(s) > rank(cur)) cur = s;
    };

    for (const Match* m : kept) {
        const LexiconPhrase& ph = *m->pattern->phrase;
        const uint32_t sent = sentenceOf[m->first];
        const Match* strongCue = nullptr;
        const Match* negCue = nullptr;
        const Match* uncCue = nullptr;
        for (const Match* t : activeTriggers) {
            const LexiconPhrase& tp = *t->pattern->phrase;
            if (sentenceOf[t->first] != sent || overlaps(t, m)) continue;
            if ((tp.flags & kTriggerContourOnly) && !(ph.flags & kMentionContour)) continue;
            int gap = -1;
            if (tp.direction == TriggerDirection::Pre && t->last <= m->first)
                gap = Impl::wordGap(toks, t->last, m->first, false);
            else if (tp.direction == TriggerDirection::Post && t->first >= m->last)
                gap = Impl::wordGap(toks, m->last, t->first, true);
            if (gap < 0 || gap > tp.scope) continue;
            const Match** slot = tp.effect == TriggerEffect::UncertainStrong ? &strongCue
                                 : tp.effect == TriggerEffect::Negative      ? &negCue
                                                                             : &uncCue;
            if (!*slot) *slot = t;
        }
        LabelEvidence ev;
        ev.observation = ph.observation;
        const Match* cue = nullptr;
        if (strongCue) { ev.state = ObservationState::Uncertain; cue = strongCue; }
        else if (negCue) { ev.state = ObservationState::Negative; cue = negCue; }
        else if (uncCue) { ev.state = ObservationState::Uncertain; cue = uncCue; }
        else if (ph.flags & kMentionAlwaysUncertain) ev.state = ObservationState::Uncertain;
        else if ((ph.flags & kMentionContour) &&
                 std::find(sizeCueSentences.begin(), sizeCueSentences.end(), sent) == sizeCueSentences.end())
            continue;  // "the heart ..." with no size statement: not a finding
        else ev.state = ObservationState::Positive;
        ev.begin = toks[m->first].begin;
        ev.end = toks[m->last - 1].end;
        ev.phrase = std::string(report.substr(ev.begin, ev.end - ev.begin));
        if (cue) {
            uint32_t b = toks[cue->first].begin, e = toks[cue->last - 1].end;
            ev.cue = std::string(report.substr(b, e - b));
        }
        const bool found = ev.state == ObservationState::Positive || ev.state == ObservationState::Uncertain;
        if (found && ph.observation != kSupportDevices) finding = true;
        if (ph.observation > 0) {
            raise(ph.observation, ev.state);
            // CheXpert: heart failure also makes Cardiomegaly uncertain.
            const std::string_view text = m->pattern->phrase->text;
            if (found && (text == "chf" || text == "heart failure")) raise(kCardiomegaly, ObservationState::Uncertain);
        }
        result.evidence.push_back(std::move(ev));
    }
    std::sort(result.evidence.begin(), result.evidence.end(), [](const LabelEvidence& a, const LabelEvidence& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.observation < b.observation;
    });
    result.states[0] = finding ? ObservationState::Blank : ObservationState::Positive;
    return result;
}

}  // namespace fedmrg::engine
