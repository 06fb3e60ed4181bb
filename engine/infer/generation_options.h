#pragma once
// Options of draft generation (greedy or beam search) on the fast decoder; shared with the training side.
#include <cstdint>

namespace fedmrg::engine {

struct GenerationOptions {
  int maxNewTokens = 160;          // generated tokens at most, the end token included
  int minNewTokens = 0;            // the end token is forbidden before this many tokens
  int beamSize = 1;                // 1: greedy
  float repetitionPenalty = 1.0f;  // CTRL: positive logits of already generated tokens divided, negative multiplied
  int noRepeatNgramSize = 0;       // > 0: no n-gram of generated tokens occurs twice
  float lengthPenalty = 1.0f;      // beam score = sum of log-probabilities / length^lengthPenalty
  int eosToken = -1;               // < 0: no end token, generation runs to maxNewTokens
  uint64_t seed = 0;               // reserved for sampling; greedy and beam search are deterministic
};

}  // namespace fedmrg::engine
