#pragma once
// The decoder's tensor names, in one table: the Hugging Face LLaMA layout that the LibTorch modules register,
// that model folders and LLaMA-family checkpoints store, and that the fast decoder and adapters address.
#include <string>

namespace fedmrg::engine::decoder_tensors {

// Module names; a tensor's name joins the modules on its path with '.'.
inline constexpr const char* kModel = "model";  // embeddings, layers and final norm
inline constexpr const char* kEmbedTokens = "embed_tokens";
inline constexpr const char* kLayers = "layers";
inline constexpr const char* kNorm = "norm";       // the final norm, under kModel
inline constexpr const char* kLmHead = "lm_head";  // beside kModel; absent when embeddings are tied
inline constexpr const char* kInputNorm = "input_layernorm";
inline constexpr const char* kSelfAttn = "self_attn";
inline constexpr const char* kPostAttentionNorm = "post_attention_layernorm";
inline constexpr const char* kMlp = "mlp";
inline constexpr const char* kWeight = "weight";
// The projections, which are also what a LoRA adapter may target (LoraConfig::targets).
inline constexpr const char* kQProj = "q_proj";
inline constexpr const char* kKProj = "k_proj";
inline constexpr const char* kVProj = "v_proj";
inline constexpr const char* kOProj = "o_proj";
inline constexpr const char* kGateProj = "gate_proj";
inline constexpr const char* kUpProj = "up_proj";
inline constexpr const char* kDownProj = "down_proj";
inline constexpr const char* kProjections[] = {kQProj, kKProj, kVProj, kOProj, kGateProj, kUpProj, kDownProj};

// The tensors of one decoder layer, in file order.
enum class LayerTensor { InputNorm, Q, K, V, O, PostAttentionNorm, Gate, Up, Down };
inline constexpr LayerTensor kLayerTensors[] = {LayerTensor::InputNorm, LayerTensor::Q,    LayerTensor::K,
                                                LayerTensor::V,         LayerTensor::O,    LayerTensor::PostAttentionNorm,
                                                LayerTensor::Gate,      LayerTensor::Up,   LayerTensor::Down};

std::string embedTokens();  // the embedding matrix [vocab, dim]
std::string finalNorm();    // [dim]
std::string lmHead();       // [vocab, dim]
// A layer tensor's name, e.g. layer 3, Up: the up projection's weight of layer 3.
std::string layer(int index, LayerTensor t);
// The inverse of layer(): true and the parts when name is a layer tensor (any index >= 0).
bool parseLayer(const std::string& name, int* index, LayerTensor* t);

// A LoRA adapter stores each adapted weight "<w>.weight" as the factors "<w>.lora_A" [r, in] and
// "<w>.lora_B" [out, r].
inline constexpr const char* kLoraA = "lora_A";
inline constexpr const char* kLoraB = "lora_B";
// "<w>.weight" -> "<w>.lora_A" (factor 'A') or "<w>.lora_B" (factor 'B'); "" when weight does not end in ".weight".
std::string loraFactor(const std::string& weight, char factor);
// "<w>.lora_A" or "<w>.lora_B" -> "<w>.weight" and the factor; false for any other name.
bool parseLoraFactor(const std::string& name, std::string* weight, char* factor);

}  // namespace fedmrg::engine::decoder_tensors
