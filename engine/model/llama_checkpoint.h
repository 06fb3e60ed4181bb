// fedmrg:internal
#pragma once
// Loads a LLaMA-family checkpoint folder in the common Hugging Face layout (a config and one weights file, or shards
// listed in an index; ModelFolder names the files and detects the layout) into the decoder's config and weights.
#include <string>

#include "engine/model/decoder_weights.h"

namespace fedmrg::engine {

class Json;

struct LlamaCheckpoint {
  DecoderConfig config;
  DecoderWeights weights;
  std::string description;  // "llama, 2 layers, d=64, ..." for logs
};

// Reads hidden_size, intermediate_size, num_attention_heads, num_key_value_heads, num_hidden_layers, vocab_size,
// rms_norm_eps, rope_theta, tie_word_embeddings and max_position_embeddings; refuses what the decoder does not
// implement (rope_scaling, attention or MLP biases, an activation other than silu). maxSeqLen caps the context
// (the KV cache is preallocated for it); <= 0 keeps max_position_embeddings. Errors name the file and the field.
DecoderConfig llamaConfigFromJson(const Json& config, const std::string& source, int maxSeqLen = 4096);

LlamaCheckpoint loadLlamaCheckpoint(const std::string& dir, int maxSeqLen = 4096);

}  // namespace fedmrg::engine
