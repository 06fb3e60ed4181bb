// fedmrg:internal
#pragma once
// The report model's decoder as plain threaded C++ for generation on CPU (LibTorch stays the training path):
// weights laid out once with LoRA adapters merged, a preallocated KV cache per sequence, no allocation per token.
// The math is the model-folder contract's (DESIGN.md section 3): RMSNorm, rotary positions (rotate_half),
// causal grouped-query attention, SwiGLU MLP, final RMSNorm and lm_head.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/model/model_config.h"

namespace fedmrg::engine {

class SafetensorsFile;
class SafetensorsWriter;

class DecoderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Base weights of one decoder layer, row-major [out, in] as in the Hugging Face LLaMA layout.
struct DecoderLayerWeights {
  std::vector<float> inputNorm, q, k, v, o, postNorm, gate, up, down;
};

struct DecoderWeights {
  std::vector<float> embed;  // [vocab, dim]
  std::vector<DecoderLayerWeights> layers;
  std::vector<float> finalNorm;  // [dim]
  std::vector<float> lmHead;     // [vocab, dim]; empty when the config ties embeddings

  // Normal(0, scale) weights and norms of 1 + Normal(0, 0.1): for tests and the benchmark.
  static DecoderWeights random(const DecoderConfig& c, uint64_t seed, float scale = 0.05f);
  // Reads the decoder tensors (Hugging Face LLaMA names, any float dtype); shapes are checked against c.
  // prefix is prepended to every name (e.g. "" for model folders).
  static DecoderWeights fromSafetensors(const DecoderConfig& c, const SafetensorsFile& file,
                                        const std::string& prefix = "");
  // The same over the shards of a checkpoint: each tensor is taken from the first file that holds it.
  static DecoderWeights fromSafetensors(const DecoderConfig& c, const std::vector<const SafetensorsFile*>& files,
                                        const std::string& prefix = "");
  // Adds every tensor under its Hugging Face name (float32), e.g. to write a model.safetensors.
  void addTo(const DecoderConfig& c, SafetensorsWriter& writer, const std::string& prefix = "") const;
  // The tensor with that Hugging Face name ("model.layers.3.mlp.up_proj.weight"), or nullptr.
  std::vector<float>* find(const std::string& name);
  // Merges a LoRA adapter file: W += (alpha / r) * B @ A for every "<name>.lora_A" / "<name>.lora_B" pair.
  // alpha comes from the file's metadata when present, else defaultAlpha. Returns the number of merged weights;
  // a tensor that matches no decoder weight, a lone A or B, or a shape mismatch throws DecoderError.
  int mergeLora(const DecoderConfig& c, const SafetensorsFile& adapter, double defaultAlpha);
  // Throws DecoderError naming the first tensor whose size does not match c.
  void validate(const DecoderConfig& c) const;
};

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

// Storage of the matrices: F32 is exact (the equivalence tests with the LibTorch path use it); F16 halves the
// bytes read per token (faster when memory-bound) at about 1e-3 relative error in the logits. Norms, embeddings
// and all arithmetic stay float32.
enum class DecoderPrecision { F32, F16 };

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
