#include "engine/metrics/text_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

namespace fedmrg::engine {
namespace {

constexpr int kMaxOrder = 4;

// One counted n-gram: its dense id and how often it occurs.
struct Gram {
    uint32_t id;
    uint32_t count;
};

// The n-grams (n = 1..4) of one token sequence, per order, sorted by id.
struct GramCounts {
    std::array<std::vector<Gram>, kMaxOrder> byOrder;
    int length = 0;
};

// Interns tokens, then n-grams as (prefix n-gram id, token id) pairs: every n-gram gets an exact dense id.
class GramInterner {
 public:
    uint32_t token(const std::string& t) {
        auto [it, inserted] = tokens_.try_emplace(t, static_cast<uint32_t>(tokens_.size()));
        (void)inserted;
        return it->second;
    }
    uint32_t extend(uint32_t prefix, uint32_t tok) {
        uint64_t key = (static_cast<uint64_t>(prefix) << 32) | tok;
        auto [it, inserted] = grams_.try_emplace(key, nextGram_);
        if (inserted) ++nextGram_;
        return it->second;
    }
    uint32_t gramCount() const { return nextGram_; }

    GramCounts count(const Tokens& words) {
        GramCounts out;
        out.length = static_cast<int>(words.size());
        std::vector<uint32_t> ids(words.size());
        for (size_t i = 0; i < words.size(); ++i) ids[i] = token(words[i]);
        std::vector<uint32_t> scratch;
        for (int n = 1; n <= kMaxOrder; ++n) {
            scratch.clear();
            for (size_t i = 0; i + n <= ids.size(); ++i) {
                uint32_t g = 0;  // id 0 is the empty prefix
                for (int k = 0; k < n; ++k) g = extend(g, ids[i + k]);
                scratch.push_back(g);
            }
            std::sort(scratch.begin(), scratch.end());
            auto& grams = out.byOrder[n - 1];
            for (size_t i = 0; i < scratch.size();) {
                size_t j = i;
                while (j < scratch.size() && scratch[j] == scratch[i]) ++j;
                grams.push_back({scratch[i], static_cast<uint32_t>(j - i)});
                i = j;
            }
        }
        return out;
    }

 private:
    std::unordered_map<std::string, uint32_t> tokens_;
    std::unordered_map<uint64_t, uint32_t> grams_;
    uint32_t nextGram_ = 1;
};

const Gram* findGram(const std::vector<Gram>& grams, uint32_t id) {
    auto it = std::lower_bound(grams.begin(), grams.end(), id, [](const Gram& g, uint32_t v) { return g.id < v; });
    return (it != grams.end() && it->id == id) ? &*it : nullptr;
}

void checkCorpus(const TokenCorpus& corpus) {
    if (corpus.hyps.size() != corpus.refs.size())
        throw std::invalid_argument("caption metrics: " + std::to_string(corpus.hyps.size()) + " hypotheses but " +
                                    std::to_string(corpus.refs.size()) + " reference sets");
    for (size_t i = 0; i < corpus.refs.size(); ++i)
        if (corpus.refs[i].empty())
            throw std::invalid_argument("caption metrics: item " + std::to_string(i) + " has no reference");
}

size_t lcsLength(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
    if (a.empty() || b.empty()) return 0;
    std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace

BleuScores corpusBleu(const TokenCorpus& corpus) {
    checkCorpus(corpus);
    constexpr double kTiny = 1e-15;
    constexpr double kSmall = 1e-9;
    GramInterner interner;
    std::array<double, kMaxOrder> correct{}, guess{};
    double hypLen = 0, refLen = 0;
    std::vector<Gram> merged;
    for (size_t i = 0; i < corpus.hyps.size(); ++i) {
        GramCounts hyp = interner.count(corpus.hyps[i]);
        std::vector<GramCounts> refs;
        refs.reserve(corpus.refs[i].size());
        for (const Tokens& r : corpus.refs[i]) refs.push_back(interner.count(r));
        // 'closest' reference length; on ties the shorter one.
        int best = refs[0].length;
        for (const auto& r : refs) {
            int d = std::abs(r.length - hyp.length), bd = std::abs(best - hyp.length);
            if (d < bd || (d == bd && r.length < best)) best = r.length;
        }
        hypLen += hyp.length;
        refLen += best;
        for (int n = 0; n < kMaxOrder; ++n) {
            guess[n] += std::max(0, hyp.length - n);
            for (const Gram& g : hyp.byOrder[n]) {
                uint32_t maxRef = 0;
                for (const auto& r : refs)
                    if (const Gram* rg = findGram(r.byOrder[n], g.id)) maxRef = std::max(maxRef, rg->count);
                correct[n] += std::min(maxRef, g.count);
            }
        }
    }
    BleuScores out;
    out.hypLength = hypLen;
    out.refLength = refLen;
    double product = 1.0;
    for (int n = 0; n < kMaxOrder; ++n) {
        product *= (correct[n] + kTiny) / (guess[n] + kSmall);
        out.bleu[n] = std::pow(product, 1.0 / (n + 1));
    }
    double ratio = (hypLen + kTiny) / (refLen + kSmall);
    if (ratio < 1)
        for (double& b : out.bleu) b *= std::exp(1 - 1 / ratio);
    return out;
}

double corpusRougeL(const TokenCorpus& corpus, std::vector<double>* perItem, double beta) {
    checkCorpus(corpus);
    GramInterner interner;
    auto ids = [&](const Tokens& t) {
        std::vector<uint32_t> v(t.size());
        for (size_t i = 0; i < t.size(); ++i) v[i] = interner.token(t[i]);
        return v;
    };
    if (perItem) perItem->assign(corpus.hyps.size(), 0.0);
    double sum = 0;
    for (size_t i = 0; i < corpus.hyps.size(); ++i) {
        std::vector<uint32_t> hyp = ids(corpus.hyps[i]);
        double precMax = 0, recMax = 0;
        for (const Tokens& r : corpus.refs[i]) {
            std::vector<uint32_t> ref = ids(r);
            double lcs = static_cast<double>(lcsLength(ref, hyp));
            if (!hyp.empty()) precMax = std::max(precMax, lcs / hyp.size());
            if (!ref.empty()) recMax = std::max(recMax, lcs / ref.size());
        }
        double score = 0;
        if (precMax != 0 && recMax != 0)
            score = ((1 + beta * beta) * precMax * recMax) / (recMax + beta * beta * precMax);
        if (perItem) (*perItem)[i] = score;
        sum += score;
    }
    return corpus.hyps.empty() ? 0.0 : sum / corpus.hyps.size();
}

double corpusCiderD(const TokenCorpus& corpus, std::vector<double>* perItem, double sigma) {
    checkCorpus(corpus);
    GramInterner interner;
    const size_t items = corpus.hyps.size();
    std::vector<GramCounts> hyps(items);
    std::vector<std::vector<GramCounts>> refs(items);
    for (size_t i = 0; i < items; ++i) {
        hyps[i] = interner.count(corpus.hyps[i]);
        for (const Tokens& r : corpus.refs[i]) refs[i].push_back(interner.count(r));
    }
    // Document frequency: in how many items' reference sets each n-gram occurs.
    std::vector<uint32_t> df(interner.gramCount(), 0);
    std::vector<uint32_t> lastSeen(interner.gramCount(), UINT32_MAX);
    for (size_t i = 0; i < items; ++i)
        for (const auto& r : refs[i])
            for (const auto& order : r.byOrder)
                for (const Gram& g : order)
                    if (lastSeen[g.id] != i) {
                        lastSeen[g.id] = static_cast<uint32_t>(i);
                        ++df[g.id];
                    }
    const double logN = items ? std::log(static_cast<double>(items)) : 0.0;
    struct Vec {
        std::array<std::vector<std::pair<uint32_t, double>>, kMaxOrder> values;
        std::array<double, kMaxOrder> norm{};
        int length = 0;
    };
    auto toVec = [&](const GramCounts& c) {
        Vec v;
        for (int n = 0; n < kMaxOrder; ++n) {
            double sq = 0;
            for (const Gram& g : c.byOrder[n]) {
                double w = g.count * (logN - std::log(std::max(1.0, static_cast<double>(df[g.id]))));
                v.values[n].push_back({g.id, w});
                sq += w * w;
                if (n == 1) v.length += static_cast<int>(g.count);  // pycocoevalcap counts bigrams here
            }
            v.norm[n] = std::sqrt(sq);
        }
        return v;
    };
    if (perItem) perItem->assign(items, 0.0);
    double sum = 0;
    for (size_t i = 0; i < items; ++i) {
        Vec h = toVec(hyps[i]);
        std::array<double, kMaxOrder> score{};
        for (const auto& rc : refs[i]) {
            Vec r = toVec(rc);
            double delta = h.length - r.length;
            double penalty = std::exp(-(delta * delta) / (2 * sigma * sigma));
            for (int n = 0; n < kMaxOrder; ++n) {
                double val = 0;
                const auto& rv = r.values[n];
                for (const auto& [id, w] : h.values[n]) {
                    auto it = std::lower_bound(rv.begin(), rv.end(), id,
                                               [](const std::pair<uint32_t, double>& p, uint32_t v) { return p.first < v; });
                    if (it != rv.end() && it->first == id) val += std::min(w, it->second) * it->second;
                }
                if (h.norm[n] != 0 && r.norm[n] != 0) val /= h.norm[n] * r.norm[n];
                score[n] += val * penalty;
            }
        }
        double mean = 0;
        for (double s : score) mean += s;
        mean /= kMaxOrder;
        mean /= static_cast<double>(refs[i].size());
        mean *= 10.0;
        if (perItem) (*perItem)[i] = mean;
        sum += mean;
    }
    return items ? sum / items : 0.0;
}

}  // namespace fedmrg::engine
