#include "engine/metrics/meteor.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "engine/metrics/porter_stemmer.h"
#include "engine/metrics/wordnet_synonyms.h"

namespace fedmrg::engine {
namespace {

constexpr int kStages = 3;  // exact, stem, synonym
constexpr size_t kBeam = 48;

// English function words. METEOR 1.3+ takes as function words those with a relative frequency above 1e-3 in
// a large English corpus; this is the project's own approximation of that set: the closed-class words
// (articles, pronouns, prepositions, conjunctions, auxiliaries, common adverbs and quantifiers) frequent
// enough in English news text to pass the threshold. Rarer closed-class words ("your", "whom", "beneath")
// count as content words, as under the frequency criterion.
const std::unordered_set<std::string>& functionWords() {
    static const std::unordered_set<std::string> words = {
        "the", "of", "to", "and", "a", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
        "not", "he", "i", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they",
        "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when",
        "will", "would", "who", "so", "no", "she", "its", "also", "than", "them", "what", "about", "up", "out",
        "into", "only", "other", "some", "could", "these", "then", "may", "any", "over", "him", "our", "most",
        "should", "now", "such", "after", "very", "even", "those", "because", "through", "must", "each",
        "many", "much", "how", "where", "just", "both", "while", "between", "before", "being", "did", "do",
        "does", "my", "me", "us", "'s", "'re", "'ve", "'ll", "'d", "'m", "n't"};
    return words;
}

bool isPunctChar(char c) {
    switch (c) {
        case '.': case ',': case ';': case ':': case '!': case '?': case '(': case ')': case '[': case ']':
        case '{': case '}': case '"': case '\'': case '`':
            return true;
        default:
            return false;
    }
}

// One partial alignment of a stage; the stage's choices are found by walking the parents.
struct BeamState {
    int parent;   // index in the pool, -1 for the root
    int pos;      // hypothesis position of `choice`
    int choice;   // reference index aligned at `pos` in this stage, -1 none
    int prevRef;  // reference index of the previous hypothesis word in the full alignment, -1 none
    int matches;
    int chunks;
};

bool usedBit(const std::vector<uint64_t>& bits, int j) { return (bits[j >> 6] >> (j & 63)) & 1; }
void setBit(std::vector<uint64_t>& bits, int j) { bits[j >> 6] |= uint64_t(1) << (j & 63); }

}  // namespace

bool isMeteorFunctionWord(const std::string& token) {
    if (functionWords().count(token)) return true;
    for (char c : token)
        if (!isPunctChar(c) && c != '-') return false;
    return true;  // punctuation-only token
}

void MeteorStats::add(const MeteorStats& o) {
    hypWords += o.hypWords;
    refWords += o.refWords;
    hypFunction += o.hypFunction;
    refFunction += o.refFunction;
    for (int s = 0; s < kStages; ++s) {
        hypContentMatches[s] += o.hypContentMatches[s];
        hypFunctionMatches[s] += o.hypFunctionMatches[s];
        refContentMatches[s] += o.refContentMatches[s];
        refFunctionMatches[s] += o.refFunctionMatches[s];
    }
    chunks += o.chunks;
    matches += o.matches;
}

Meteor::Meteor(MeteorParams params, const WordNetSynonyms* synonyms) : params_(params), synonyms_(synonyms) {
    if (!synonyms_ && params_.useSynonyms) synonyms_ = &WordNetSynonyms::shared();
}

bool Meteor::synonymsAvailable() const { return params_.useSynonyms && synonyms_ && synonyms_->available(); }

std::string Meteor::synonymStatus() const {
    if (!params_.useSynonyms) return "synonym matching off";
    return synonyms_ ? synonyms_->status() : "no WordNet";
}

Tokens Meteor::normalize(const Tokens& tokens) {
    Tokens out;
    out.reserve(tokens.size());
    for (const std::string& raw : tokens) {
        std::string t;
        t.reserve(raw.size());
        for (char c : raw) t.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
        size_t b = 0, e = t.size();
        while (b < e && isPunctChar(t[b])) out.emplace_back(1, t[b++]);
        size_t tail = e;
        while (tail > b && isPunctChar(t[tail - 1])) --tail;
        if (tail > b) out.push_back(t.substr(b, tail - b));
        for (size_t k = tail; k < e; ++k) out.emplace_back(1, t[k]);
    }
    return out;
}

struct Meteor::WordCache {
    std::unordered_map<std::string, std::string> stems;
    std::unordered_map<std::string, std::vector<uint64_t>> synsets;
    const std::string& stem(const std::string& w) {
        auto it = stems.find(w);
        if (it == stems.end()) it = stems.emplace(w, porterStem(w)).first;
        return it->second;
    }
    const std::vector<uint64_t>& synonyms(const WordNetSynonyms& wn, const std::string& w) {
        auto it = synsets.find(w);
        if (it == synsets.end()) it = synsets.emplace(w, wn.synsets(w)).first;
        return it->second;
    }
};

MeteorStats Meteor::align(const Tokens& hyp, const Tokens& ref) const {
    WordCache cache;
    return alignCached(hyp, ref, cache);
}

MeteorStats Meteor::alignCached(const Tokens& hyp, const Tokens& ref, WordCache& cache) const {
    const int n = static_cast<int>(hyp.size()), m = static_cast<int>(ref.size());
    MeteorStats st;
    st.hypWords = n;
    st.refWords = m;
    std::vector<char> hypFn(n), refFn(m);
    for (int i = 0; i < n; ++i) st.hypFunction += hypFn[i] = isMeteorFunctionWord(hyp[i]);
    for (int j = 0; j < m; ++j) st.refFunction += refFn[j] = isMeteorFunctionWord(ref[j]);
    if (n == 0 || m == 0) return st;

    std::vector<int> hypAlign(n, -1), hypStage(n, -1);
    std::vector<uint64_t> refUsed((m + 63) / 64, 0);
    std::vector<const std::string*> hypStem, refStem;
    std::vector<const std::vector<uint64_t>*> hypSyn, refSyn;
    static const std::vector<uint64_t> kNone;
    const bool synonyms = synonymsAvailable();

    for (int stage = 0; stage < kStages; ++stage) {
        if (stage == 2 && !synonyms) break;
        if (stage == 1) {
            for (const auto& w : hyp) hypStem.push_back(&cache.stem(w));
            for (const auto& w : ref) refStem.push_back(&cache.stem(w));
        }
        if (stage == 2) {
            hypSyn.assign(n, &kNone);
            refSyn.assign(m, &kNone);
            for (int i = 0; i < n; ++i)
                if (hypAlign[i] < 0) hypSyn[i] = &cache.synonyms(*synonyms_, hyp[i]);
            for (int j = 0; j < m; ++j)
                if (!usedBit(refUsed, j)) refSyn[j] = &cache.synonyms(*synonyms_, ref[j]);
        }
        auto matchesAt = [&](int i, int j) {
            switch (stage) {
                case 0: return hyp[i] == ref[j];
                case 1: return *hypStem[i] == *refStem[j];
                default: {
                    const auto& a = *hypSyn[i];
                    const auto& b = *refSyn[j];
                    size_t x = 0, y = 0;
                    while (x < a.size() && y < b.size()) {
                        if (a[x] == b[y]) return true;
                        if (a[x] < b[y]) ++x; else ++y;
                    }
                    return false;
                }
            }
        };
        std::vector<std::vector<int>> cand(n);
        bool any = false;
        for (int i = 0; i < n; ++i) {
            if (hypAlign[i] >= 0) continue;
            for (int j = 0; j < m; ++j)
                if (!usedBit(refUsed, j) && matchesAt(i, j)) cand[i].push_back(j);
            any = any || !cand[i].empty();
        }
        if (!any) continue;

        // Beam search over hypothesis positions: most matches, then fewest chunks (earlier stages fixed).
        std::vector<BeamState> pool;
        pool.push_back({-1, -1, -1, -1, 0, 0});
        std::vector<int> beam = {0}, next;
        auto takenInChain = [&](int s, int j) {
            for (; s > 0; s = pool[s].parent)
                if (pool[s].choice == j) return true;
            return false;
        };
        for (int i = 0; i < n; ++i) {
            if (hypAlign[i] >= 0 || cand[i].empty()) {
                // No choice here: every state moves on in place.
                const int aligned = hypAlign[i];
                for (int s : beam) {
                    BeamState& st = pool[s];
                    if (aligned >= 0 && !(st.prevRef >= 0 && st.prevRef == aligned - 1)) ++st.chunks;
                    st.prevRef = aligned;
                }
                continue;
            }
            next.clear();
            for (int s : beam) {
                const BeamState parent = pool[s];
                pool.push_back({s, i, -1, -1, parent.matches, parent.chunks});
                next.push_back(static_cast<int>(pool.size()) - 1);
                for (int j : cand[i]) {
                    if (takenInChain(s, j)) continue;
                    const bool continues = parent.prevRef >= 0 && parent.prevRef == j - 1;
                    pool.push_back({s, i, j, j, parent.matches + 1, parent.chunks + (continues ? 0 : 1)});
                    next.push_back(static_cast<int>(pool.size()) - 1);
                }
            }
            std::stable_sort(next.begin(), next.end(), [&](int a, int b) {
                if (pool[a].matches != pool[b].matches) return pool[a].matches > pool[b].matches;
                return pool[a].chunks < pool[b].chunks;
            });
            if (next.size() > kBeam) next.resize(kBeam);
            beam.swap(next);
        }
        for (int s = beam.front(); s > 0; s = pool[s].parent) {
            const BeamState& st = pool[s];
            if (st.choice >= 0) {
                hypAlign[st.pos] = st.choice;
                hypStage[st.pos] = stage;
                setBit(refUsed, st.choice);
            }
        }
    }

    int prev = -2;
    for (int i = 0; i < n; ++i) {
        const int j = hypAlign[i];
        if (j >= 0) {
            const int stage = hypStage[i];
            st.matches += 1;
            (hypFn[i] ? st.hypFunctionMatches : st.hypContentMatches)[stage] += 1;
            (refFn[j] ? st.refFunctionMatches : st.refContentMatches)[stage] += 1;
            if (prev < 0 || prev != j - 1) st.chunks += 1;
        }
        prev = j;
    }
    return st;
}

double Meteor::score(const MeteorStats& s) const {
    const double d = params_.delta;
    double pNum = 0, rNum = 0;
    for (int k = 0; k < kStages; ++k) {
        pNum += params_.weights[k] * (d * s.hypContentMatches[k] + (1 - d) * s.hypFunctionMatches[k]);
        rNum += params_.weights[k] * (d * s.refContentMatches[k] + (1 - d) * s.refFunctionMatches[k]);
    }
    const double pDen = d * (s.hypWords - s.hypFunction) + (1 - d) * s.hypFunction;
    const double rDen = d * (s.refWords - s.refFunction) + (1 - d) * s.refFunction;
    if (pDen <= 0 || rDen <= 0 || pNum <= 0 || rNum <= 0) return 0.0;
    const double p = pNum / pDen, r = rNum / rDen;
    const double fmean = p * r / (params_.alpha * p + (1 - params_.alpha) * r);
    double frag;
    if (s.matches == s.hypWords && s.matches == s.refWords && s.chunks == 1) frag = 0;
    else frag = s.chunks / s.matches;  // both sides have s.matches matched words (one-to-one alignment)
    return fmean * (1 - params_.gamma * std::pow(frag, params_.beta));
}

double Meteor::corpusScore(const TokenCorpus& corpus, std::vector<double>* perItem) const {
    if (corpus.hyps.size() != corpus.refs.size())
        throw std::invalid_argument("METEOR: hypotheses and reference sets differ in number");
    MeteorStats total;
    WordCache cache;
    if (perItem) perItem->assign(corpus.hyps.size(), 0.0);
    for (size_t i = 0; i < corpus.hyps.size(); ++i) {
        if (corpus.refs[i].empty()) throw std::invalid_argument("METEOR: item " + std::to_string(i) + " has no reference");
        const Tokens hyp = normalize(corpus.hyps[i]);
        MeteorStats best;
        double bestScore = -1;
        for (const Tokens& r : corpus.refs[i]) {
            MeteorStats s = alignCached(hyp, normalize(r), cache);
            double sc = score(s);
            if (sc > bestScore) {
                bestScore = sc;
                best = s;
            }
        }
        if (perItem) (*perItem)[i] = bestScore;
        total.add(best);
    }
    return score(total);
}

}  // namespace fedmrg::engine
