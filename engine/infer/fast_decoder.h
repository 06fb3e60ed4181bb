// fedmrg:internal
#pragma once
// The report model's decoder as plain threaded C++ for generation on CPU (LibTorch stays the training path):
// weights laid out once with LoRA adapters merged, a preallocated KV cache per sequence, no allocation per token.
// The math is the model-folder contract's (docs/design.md, section 3; docs/model.md): RMSNorm, rotary positions (rotate_half),
// causal grouped-query attention, SwiGLU MLP, final RMSNorm and lm_head.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/infer/decoder_precision.h"
#include "engine/model/decoder_weights.h"
#include "engine/model/model_config.h"

namespace fedmrg::engine {

// One sequence's KV cache and position. Copyable (beam search); copyFrom() reuses the buffers.
class DecoderState {
 public:
  int position() const { return pos_; }
  int capacity() const { return cap_; }
  void reset() { pos_ = 0; }
  // Takes other's position and the used part of its cache; no allocation when capacities match.
  void copyFrom(const DecoderState& other);
  const float* logits() const { return logits_.data(); }

 private:
  friend class FastDecoder;
  int pos_ = 0;
  int cap_ = 0;
  int layers_ = 0;
  int kvDim_ = 0;
  int kvHeads_ = 0;           // kvDim_ = kvHeads_ * head dimension
  // [layer][kv head][cap][head dim]: each head's keys and values are contiguous, so attention streams them.
  std::vector<float> k_, v_;
  std::vector<float> logits_;
};

class FastDecoder {
 public:
  // threads <= 0: one per hardware core.
  FastDecoder(const DecoderConfig& config, const DecoderWeights& weights, int threads = 0,
              DecoderPrecision precision = DecoderPrecision::F32);
  ~FastDecoder();
  FastDecoder(const FastDecoder&) = delete;
  FastDecoder& operator=(const FastDecoder&) = delete;

  const DecoderConfig& config() const;
  int threads() const;
  // capacity <= 0: config().maxSeqLen.
  DecoderState newState(int capacity = 0) const;
  // Appends rows embedding rows [rows, dim] at the state's position; returns the logits of the last row.
  // One call at a time per FastDecoder (the thread pool and scratch buffers are shared).
  const float* prefill(DecoderState& state, const float* embeds, int rows) const;
  // Appends one token; returns its logits [vocab] (valid until the state's next call).
  const float* step(DecoderState& state, int token) const;
  // Appends tokens[i] to *states[i] for n distinct states in one pass, so the weights are read once for all
  // (beam search); each state's logits() then holds its next-token logits.
  void stepBatch(DecoderState* const* states, const int* tokens, int n) const;
  // The input embedding row of a token [dim].
  const float* tokenEmbedding(int token) const;

  // For the benchmark: bytes of weights read per decoded token, and FLOPs per token at a context length.
  size_t weightBytesPerToken() const;
  double flopsPerToken(int context) const;
  const char* kernelName() const;  // "avx2+fma+f16c" or "generic"
  DecoderPrecision precision() const;

 private:
  void forward(const float* x, int rows) const;
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace fedmrg::engine
