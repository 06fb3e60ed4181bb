#include "engine/infer/generator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/infer/fast_decoder.h"

namespace fedmrg::engine {
namespace {

constexpr float kBanned = -std::numeric_limits<float>::infinity();

// Log-softmax of the processed logits, written into out.
void logSoftmax(const float* logits, int vocab, std::vector<float>& out) {
  out.resize(static_cast<size_t>(vocab));
  const float mx = *std::max_element(logits, logits + vocab);
  if (!std::isfinite(mx)) {  // everything banned: nothing is possible
    std::fill(out.begin(), out.end(), kBanned);
    return;
  }
  double sum = 0;
  for (int v = 0; v < vocab; ++v) sum += std::exp(double(logits[v] - mx));
  const float lse = mx + float(std::log(sum));
  for (int v = 0; v < vocab; ++v) out[size_t(v)] = logits[v] - lse;
}

double normalized(double logProb, int length, float lengthPenalty) {
  return logProb / std::pow(double(std::max(1, length)), double(lengthPenalty));
}

// New tokens possible before the state is full: the last chosen token is never fed back.
int tokenBudget(const FastDecoder& dec, int rows, const GenerationOptions& o) {
  const int cap = dec.config().maxSeqLen;
  if (rows < 1) throw DecoderError("generate: the prefix needs at least one row");
  if (rows > cap)
    throw DecoderError("generate: prefix of " + std::to_string(rows) + " rows exceeds max_seq_len " +
                       std::to_string(cap));
  return std::max(0, std::min(o.maxNewTokens, cap - rows + 1));
}

GenerationResult greedy(const FastDecoder& dec, const float* prefix, int rows, const GenerationOptions& o) {
  const int vocab = dec.config().vocabSize;
  const int budget = tokenBudget(dec, rows, o);
  GenerationResult res;
  if (budget == 0) return res;
  DecoderState state = dec.newState();
  std::vector<float> logits(static_cast<size_t>(vocab)), lp;
  const float* raw = dec.prefill(state, prefix, rows);
  for (int n = 0; n < budget; ++n) {
    std::copy(raw, raw + vocab, logits.begin());
    processLogits(logits.data(), vocab, res.tokens, o);
    logSoftmax(logits.data(), vocab, lp);
    const int tok = int(std::max_element(lp.begin(), lp.end()) - lp.begin());
    res.logProb += lp[size_t(tok)];
    if (tok == o.eosToken) {
      res.endedWithEos = true;
      break;
    }
    res.tokens.push_back(tok);
    if (n + 1 < budget) raw = dec.step(state, tok);
  }
  res.score = normalized(res.logProb, int(res.tokens.size()) + (res.endedWithEos ? 1 : 0), o.lengthPenalty);
  return res;
}

struct Beam {
  std::vector<int> tokens;
  double logProb = 0;
};

struct Candidate {
  double logProb;
  int beam;
  int token;
};

bool better(const Candidate& a, const Candidate& b) {
  if (a.logProb != b.logProb) return a.logProb > b.logProb;
  if (a.beam != b.beam) return a.beam < b.beam;
  return a.token < b.token;
}

GenerationResult beamSearch(const FastDecoder& dec, const float* prefix, int rows, const GenerationOptions& o) {
  const int vocab = dec.config().vocabSize;
  const int k = o.beamSize;
  const int budget = tokenBudget(dec, rows, o);
  std::vector<GenerationResult> finished;
  if (budget == 0) return {};

  std::vector<DecoderState> states, next;
  states.push_back(dec.newState());
  dec.prefill(states[0], prefix, rows);
  std::vector<Beam> beams(1);
  std::vector<DecoderState*> live;
  std::vector<int> liveTokens;
  std::vector<float> work(static_cast<size_t>(vocab)), lp;
  std::vector<Candidate> cands;
  std::vector<int> order(static_cast<size_t>(vocab));

  auto worstFinished = [&] {
    // The k-th best finished score (finished is kept sorted best first).
    return finished.size() >= size_t(k) ? finished[size_t(k) - 1].score : -std::numeric_limits<double>::infinity();
  };
  auto addFinished = [&](GenerationResult r) {
    finished.push_back(std::move(r));
    std::stable_sort(finished.begin(), finished.end(),
                     [](const GenerationResult& a, const GenerationResult& b) { return a.score > b.score; });
  };

  for (int n = 0; n < budget; ++n) {
    // Each live beam proposes its 2k best continuations.
    cands.clear();
    for (size_t b = 0; b < beams.size(); ++b) {
      const float* raw = states[b].logits();
      std::copy(raw, raw + vocab, work.begin());
      processLogits(work.data(), vocab, beams[b].tokens, o);
      logSoftmax(work.data(), vocab, lp);
      std::iota(order.begin(), order.end(), 0);
      const int take = std::min(vocab, 2 * k);
      std::partial_sort(order.begin(), order.begin() + take, order.end(), [&](int x, int y) {
        return lp[size_t(x)] != lp[size_t(y)] ? lp[size_t(x)] > lp[size_t(y)] : x < y;
      });
      for (int i = 0; i < take; ++i) {
        const int tok = order[size_t(i)];
        if (std::isinf(lp[size_t(tok)])) break;
        cands.push_back({beams[b].logProb + lp[size_t(tok)], int(b), tok});
      }
    }
    std::sort(cands.begin(), cands.end(), better);
    // The best candidates become the new beams; an end token closes a hypothesis instead.
    std::vector<Beam> nextBeams;
    std::vector<int> parents;
    for (size_t rank = 0; rank < cands.size() && int(nextBeams.size()) < k; ++rank) {
      const Candidate& c = cands[rank];
      const Beam& parent = beams[size_t(c.beam)];
      if (c.token == o.eosToken) {
        if (int(rank) >= k) continue;
        GenerationResult r;
        r.tokens = parent.tokens;
        r.endedWithEos = true;
        r.logProb = c.logProb;
        r.score = normalized(c.logProb, int(parent.tokens.size()) + 1, o.lengthPenalty);
        addFinished(std::move(r));
        continue;
      }
      Beam nb{parent.tokens, c.logProb};
      nb.tokens.push_back(c.token);
      nextBeams.push_back(std::move(nb));
      parents.push_back(c.beam);
    }
    beams = std::move(nextBeams);
    if (beams.empty()) break;
    const int length = n + 1;
    const bool last = n + 1 >= budget;
    // Stop when no live beam can beat the k finished ones (the lengths only grow).
    const double bestLive = normalized(beams[0].logProb, length, o.lengthPenalty);
    if (last || (finished.size() >= size_t(k) && bestLive <= worstFinished())) {
      if (finished.size() < size_t(k) || last)
        for (const Beam& b : beams) {
          GenerationResult r;
          r.tokens = b.tokens;
          r.logProb = b.logProb;
          r.score = normalized(b.logProb, length, o.lengthPenalty);
          addFinished(std::move(r));
        }
      break;
    }
    // Each new beam continues from its parent's cache: copies for repeated parents, moves for the first use.
    next.resize(beams.size());
    std::vector<bool> used(states.size(), false);
    std::vector<bool> moved(beams.size(), false);
    for (size_t i = 0; i < beams.size(); ++i) {
      const size_t p = size_t(parents[i]);
      if (!used[p]) {
        used[p] = true;
        moved[i] = true;
      }
    }
    for (size_t i = 0; i < beams.size(); ++i) {
      if (moved[i]) continue;
      if (next[i].capacity() == 0) next[i] = dec.newState();
      next[i].copyFrom(states[size_t(parents[i])]);
    }
    for (size_t i = 0; i < beams.size(); ++i)
      if (moved[i]) std::swap(next[i], states[size_t(parents[i])]);
    std::swap(states, next);
    // All beams advance in one pass over the weights.
    live.clear();
    liveTokens.clear();
    for (size_t i = 0; i < beams.size(); ++i) {
      live.push_back(&states[i]);
      liveTokens.push_back(beams[i].tokens.back());
    }
    dec.stepBatch(live.data(), liveTokens.data(), int(live.size()));
  }
  if (finished.empty()) return {};
  return finished.front();
}

}  // namespace

void processLogits(float* logits, int vocab, const std::vector<int>& generated, const GenerationOptions& o) {
  if (o.repetitionPenalty != 1.0f && o.repetitionPenalty > 0.0f) {
    // Each distinct token once: sort a copy (generated sequences are short).
    std::vector<int> seen(generated);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (int t : seen) {
      if (t < 0 || t >= vocab) continue;
      float& l = logits[t];
      l = l > 0 ? l / o.repetitionPenalty : l * o.repetitionPenalty;
    }
  }
  const int n = o.noRepeatNgramSize;
  if (n > 0 && int(generated.size()) >= n - 1) {
    const size_t g = generated.size();
    const size_t ctx = size_t(n - 1);  // the last n-1 tokens would start the new n-gram
    for (size_t i = 0; i + size_t(n) <= g; ++i) {
      if (std::equal(generated.begin() + long(i), generated.begin() + long(i + ctx), generated.end() - long(ctx))) {
        const int banned = generated[i + ctx];
        if (banned >= 0 && banned < vocab) logits[banned] = kBanned;
      }
    }
  }
  if (o.eosToken >= 0 && o.eosToken < vocab && int(generated.size()) < o.minNewTokens) logits[o.eosToken] = kBanned;
}

GenerationResult generate(const FastDecoder& decoder, const float* prefix, int rows, const GenerationOptions& o) {
  if (o.beamSize <= 1) return greedy(decoder, prefix, rows, o);
  return beamSearch(decoder, prefix, rows, o);
}

std::vector<GenerationResult> generateGreedyBatch(const FastDecoder& dec, const std::vector<const float*>& prefixes,
                                                  const std::vector<int>& rows, const GenerationOptions& o) {
  if (prefixes.size() != rows.size()) throw DecoderError("generateGreedyBatch: one row count per prefix");
  const int vocab = dec.config().vocabSize;
  const size_t n = prefixes.size();
  std::vector<GenerationResult> res(n);
  std::vector<int> budget(n), done(n, 0);
  std::vector<DecoderState> states(n);
  std::vector<float> logits(static_cast<size_t>(vocab)), lp;
  // Sequence i chooses its next token from its state's logits (greedy()'s rule); false once it is finished.
  auto choose = [&](size_t i) {
    const float* raw = states[i].logits();
    std::copy(raw, raw + vocab, logits.begin());
    processLogits(logits.data(), vocab, res[i].tokens, o);
    logSoftmax(logits.data(), vocab, lp);
    const int tok = int(std::max_element(lp.begin(), lp.end()) - lp.begin());
    res[i].logProb += lp[size_t(tok)];
    ++done[i];
    if (tok == o.eosToken) {
      res[i].endedWithEos = true;
      return false;
    }
    res[i].tokens.push_back(tok);
    return done[i] < budget[i];
  };
  std::vector<DecoderState*> live;
  std::vector<int> liveTokens;
  for (size_t i = 0; i < n; ++i) {
    budget[i] = tokenBudget(dec, rows[i], o);
    if (budget[i] == 0) continue;
    states[i] = dec.newState();
    dec.prefill(states[i], prefixes[i], rows[i]);
    if (choose(i)) {
      live.push_back(&states[i]);
      liveTokens.push_back(res[i].tokens.back());
    }
  }
  while (!live.empty()) {
    dec.stepBatch(live.data(), liveTokens.data(), int(live.size()));
    size_t kept = 0;
    for (size_t j = 0; j < live.size(); ++j) {
      const size_t i = size_t(live[j] - states.data());
      if (!choose(i)) continue;
      live[kept] = live[j];
      liveTokens[kept++] = res[i].tokens.back();
    }
    live.resize(kept);
    liveTokens.resize(kept);
  }
  for (GenerationResult& r : res)
    r.score = normalized(r.logProb, int(r.tokens.size()) + (r.endedWithEos ? 1 : 0), o.lengthPenalty);
  return res;
}

}  // namespace fedmrg::engine
