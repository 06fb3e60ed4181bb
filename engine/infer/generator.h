// fedmrg:internal
#pragma once
// Greedy and beam-search generation on the fast decoder after a prefix of embedding rows (visual tokens,
// diagnosis prompt and instruction), with the logit processors of GenerationOptions. Deterministic.
#include <vector>

#include "engine/infer/generation_options.h"

namespace fedmrg::engine {

class FastDecoder;

struct GenerationResult {
  std::vector<int> tokens;    // generated ids, without the end token
  bool endedWithEos = false;  // false: stopped at maxNewTokens or at the decoder's capacity
  double logProb = 0;         // sum of the chosen tokens' log-probabilities (after the processors), end token included
  double score = 0;           // logProb / length^lengthPenalty, length counting the end token
};

// prefix: rows x dim embedding rows; rows >= 1. Throws DecoderError when the prefix does not fit the decoder.
GenerationResult generate(const FastDecoder& decoder, const float* prefix, int rows, const GenerationOptions& options);

// Greedy decoding of several sequences at once (evaluation drafts): each prefix is prefilled on its own, then every
// unfinished sequence advances in one FastDecoder::stepBatch per token, so the weights are read once per step for
// all of them instead of once per sequence. Per sequence the choice rule is generate()'s with beamSize 1; the
// logits may differ from it in the last bits (the batched kernel sums in another order). prefixes[i] holds
// rows[i] x dim embedding rows. Throws DecoderError as generate() does.
std::vector<GenerationResult> generateGreedyBatch(const FastDecoder& decoder, const std::vector<const float*>& prefixes,
                                                  const std::vector<int>& rows, const GenerationOptions& options);

// The processors applied to raw logits before each choice: repetition penalty over `generated`, no-repeat n-gram,
// and the end token forbidden before minNewTokens. Exposed for tests and for the LibTorch path.
void processLogits(float* logits, int vocab, const std::vector<int>& generated, const GenerationOptions& options);

}  // namespace fedmrg::engine
