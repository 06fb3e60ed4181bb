// METEOR 1.5 (Denkowski & Lavie) re-implemented for the project: exact, Porter-stem and WordNet-synonym
// matching (no paraphrase table), alignment with the most matches and then the fewest chunks, and the
// English parameters alpha 0.85, beta 0.2, gamma 0.6, delta 0.75 with module weights 1.0 / 0.6 / 0.8.
//
//   P = sum_m w_m (delta * content matches_m + (1 - delta) * function matches_m) in the hypothesis
//       / (delta * content words + (1 - delta) * function words) of the hypothesis; R the same on the reference
//   Fmean = P R / (alpha P + (1 - alpha) R)
//   frag = chunks / mean(matched hypothesis words, matched reference words)   (0 when both sides are fully
//          matched in one chunk)
//   score = Fmean (1 - gamma frag^beta)
// Text goes through METEOR's -norm step first (lower-case, punctuation split off words). Function words:
// the project's English list plus every punctuation token. With several references the best-scoring one
// is kept per segment; the corpus score is computed from the summed statistics, as the jar does.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "engine/metrics/text_metrics.h"

namespace fedmrg::engine {

class WordNetSynonyms;

struct MeteorParams {
    double alpha = 0.85;
    double beta = 0.2;
    double gamma = 0.6;
    double delta = 0.75;
    std::array<double, 3> weights{1.0, 0.6, 0.8};  // exact, stem, synonym
    bool useSynonyms = true;
};

// Sufficient statistics of one hypothesis/reference pair (summed for the corpus score).
struct MeteorStats {
    double hypWords = 0, refWords = 0;
    double hypFunction = 0, refFunction = 0;
    std::array<double, 3> hypContentMatches{}, hypFunctionMatches{};
    std::array<double, 3> refContentMatches{}, refFunctionMatches{};
    double chunks = 0;
    double matches = 0;  // aligned pairs
    void add(const MeteorStats& o);
};

class Meteor {
 public:
    // synonyms: nullptr = WordNetSynonyms::shared() when params.useSynonyms.
    explicit Meteor(MeteorParams params = {}, const WordNetSynonyms* synonyms = nullptr);

    bool synonymsAvailable() const;
    std::string synonymStatus() const;

    // METEOR's -norm tokenization of already tokenized text (lower-case, punctuation split off).
    static Tokens normalize(const Tokens& tokens);

    MeteorStats align(const Tokens& hyp, const Tokens& ref) const;  // tokens already normalized
    double score(const MeteorStats& s) const;

    // Corpus METEOR; fills perItem with each segment's best score when given.
    double corpusScore(const TokenCorpus& corpus, std::vector<double>* perItem = nullptr) const;

 private:
    struct WordCache;  // stems and synsets per distinct word, shared across the segments of a corpus
    MeteorStats alignCached(const Tokens& hyp, const Tokens& ref, WordCache& cache) const;

    MeteorParams params_;
    const WordNetSynonyms* synonyms_ = nullptr;
};

bool isMeteorFunctionWord(const std::string& token);

}  // namespace fedmrg::engine
