// Caption metrics as pycocoevalcap computes them: BLEU-1..4, ROUGE-L and CIDEr-D over a corpus of
// tokenized hypotheses, each with one or more tokenized references.
//
// - BLEU: corpus-level clipped n-gram precision (n = 1..4) summed over the corpus, geometric mean with
//   pycocoevalcap's constants ((correct + 1e-15) / (guess + 1e-9)), brevity penalty exp(1 - r/c) when
//   c < r, where r sums per item the reference length closest to the hypothesis length (ties: shorter).
// - ROUGE-L: per item, LCS-based precision and recall against each reference; the maximum precision
//   and the maximum recall (taken separately, as pycocoevalcap does) give F with beta = 1.2; the corpus
//   figure is the mean over items. An empty hypothesis or reference scores 0.
// - CIDEr-D: n = 1..4; document frequency of an n-gram = number of items whose references contain it;
//   tf-idf weights tf * (log(N) - log(max(1, df))); per order, the clipped cosine
//   sum min(h, r) * r / (|h| |r|) times exp(-(lh - lr)^2 / (2 sigma^2)), sigma = 6, where, as in
//   pycocoevalcap, lh and lr count bigrams (not words); mean over orders and references, x10, then the
//   mean over items.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace fedmrg::engine {

using Tokens = std::vector<std::string>;

// hyps[i] is scored against refs[i] (at least one reference each; throws std::invalid_argument if not).
struct TokenCorpus {
    std::vector<Tokens> hyps;
    std::vector<std::vector<Tokens>> refs;
};

struct BleuScores {
    std::array<double, 4> bleu{};   // BLEU-1..4
    double hypLength = 0;           // total hypothesis tokens
    double refLength = 0;           // total 'closest' reference tokens
};

BleuScores corpusBleu(const TokenCorpus& corpus);

// Returns the corpus mean; fills perItem when given.
double corpusRougeL(const TokenCorpus& corpus, std::vector<double>* perItem = nullptr, double beta = 1.2);

double corpusCiderD(const TokenCorpus& corpus, std::vector<double>* perItem = nullptr, double sigma = 6.0);

}  // namespace fedmrg::engine
