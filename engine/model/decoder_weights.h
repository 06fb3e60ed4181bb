// fedmrg:internal
#pragma once
// The decoder's base weights as plain float arrays, addressed by their tensor names (decoder_tensors.h): read from
// model folders and checkpoints, merged with LoRA adapters, and handed to the fast decoder (engine/infer).
#include <cstdint>
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

// Throws DecoderError when the sizes cannot make a decoder (non-positive, heads that do not divide, odd head size).
void checkDecoderConfig(const DecoderConfig& c);

// The decoder's derived sizes (head size, fused q/k/v width, ...) from its config, computed in one place for the
// weight layout and the decode loops.
struct DecoderDims {
  int d, nh, nkv, hd, qDim, kvDim, qkvDim, h, vocab, layers;
  explicit DecoderDims(const DecoderConfig& c)
      : d(c.dim),
        nh(c.nHeads),
        nkv(c.nKvHeads),
        hd(c.nHeads > 0 ? c.dim / c.nHeads : 0),
        qDim(c.nHeads * hd),
        kvDim(c.nKvHeads * hd),
        qkvDim(qDim + 2 * kvDim),
        h(c.hiddenDim),
        vocab(c.vocabSize),
        layers(c.nLayers) {}
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
  // Adds every tensor under its Hugging Face name (float32), e.g. to write a model's base weights.
  void addTo(const DecoderConfig& c, SafetensorsWriter& writer, const std::string& prefix = "") const;
  // The tensor with that name (decoder_tensors::layer(3, Up), ...), or nullptr.
  std::vector<float>* find(const std::string& name);
  // Merges a LoRA adapter file: W += (alpha / r) * B @ A for every "<w>.lora_A" / "<w>.lora_B" pair.
  // alpha comes from the file's metadata when present, else defaultAlpha. Returns the number of merged weights;
  // a tensor that matches no decoder weight, a lone A or B, or a shape mismatch throws DecoderError.
  int mergeLora(const DecoderConfig& c, const SafetensorsFile& adapter, double defaultAlpha);
  // Throws DecoderError naming the first tensor whose size does not match c.
  void validate(const DecoderConfig& c) const;
};

}  // namespace fedmrg::engine
