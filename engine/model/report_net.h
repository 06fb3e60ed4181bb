// fedmrg:internal
#pragma once
// The report model as LibTorch modules (the training path): ViT encoder, diagnosis head,
// projection heads, projector and the LLaMA-style decoder with generic + specialized LoRA adapters.
// ENGINE-INTERNAL header: it includes <torch/torch.h>, so only engine .cpp files and tests include it;
// public headers use the torch-free facades (trainer.h, report_generator.h).
#include <torch/torch.h>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "engine/model/model_config.h"
#include "engine/model/model_folder.h"

namespace fedmrg::engine::net {

enum Adapter : int { kGeneric = 0, kSpecialized = 1 };
const char* adapterName(int adapter);  // "generic", "specialized"

// y = x W^T + sum over active adapters of (alpha / r) * dropout(x) A^T B^T. W has no bias (LLaMA).
class LoraLinearImpl : public torch::nn::Module {
 public:
  // lora == nullptr: a plain projection without adapters.
  LoraLinearImpl(int64_t in, int64_t out, const LoraConfig* lora);
  torch::Tensor forward(const torch::Tensor& x);
  bool hasAdapter(int a) const { return loraA[size_t(a)].defined(); }

  torch::Tensor weight;                 // [out, in]
  std::array<torch::Tensor, 2> loraA;   // [r, in]   (undefined when absent)
  std::array<torch::Tensor, 2> loraB;   // [out, r]  (zero at start: the adapter begins as a no-op)
  std::array<bool, 2> active{true, true};
  double scale = 1.0;
  double dropout = 0.0;
};
TORCH_MODULE(LoraLinear);

class RMSNormImpl : public torch::nn::Module {
 public:
  RMSNormImpl(int64_t dim, double eps);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor weight;
  double eps;
};
TORCH_MODULE(RMSNorm);

// Keys and values of every layer after rotary positions, [B, n_kv_heads, T, head_dim].
struct KvCache {
  std::vector<torch::Tensor> k, v;
  int64_t length() const { return k.empty() || !k[0].defined() ? 0 : k[0].size(2); }
};

class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(const DecoderConfig& c, const LoraConfig& lora);
  // mask: additive [B or 1, 1, T, Tk]; kv: this layer's cache slots (may be null).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, torch::Tensor* cacheK, torch::Tensor* cacheV);
  LoraLinear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
  int64_t nHeads, nKvHeads, headDim;
};
TORCH_MODULE(Attention);

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(const DecoderConfig& c, const LoraConfig& lora);
  torch::Tensor forward(const torch::Tensor& x);
  LoraLinear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(Mlp);

class DecoderLayerImpl : public torch::nn::Module {
 public:
  DecoderLayerImpl(const DecoderConfig& c, const LoraConfig& lora);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, torch::Tensor* cacheK, torch::Tensor* cacheV);
  RMSNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
  Attention self_attn{nullptr};
  Mlp mlp{nullptr};
};
TORCH_MODULE(DecoderLayer);

// The Hugging Face "model." part of a LLaMA checkpoint: embeddings, layers, final norm.
class LlamaModelImpl : public torch::nn::Module {
 public:
  LlamaModelImpl(const DecoderConfig& c, const LoraConfig& lora);
  // inputsEmbeds [B, T, d]; keyMask [B, past + T] bool (true = real token) or undefined;
  // positions count from the cache length. Returns the final-normed hidden states [B, T, d].
  torch::Tensor forward(const torch::Tensor& inputsEmbeds, const torch::Tensor& keyMask, KvCache* cache);
  torch::nn::Embedding embed_tokens{nullptr};
  torch::nn::ModuleList layers{nullptr};
  RMSNorm norm{nullptr};
  DecoderConfig config;
};
TORCH_MODULE(LlamaModel);

// Additive attention mask [B|1, 1, T, past + T]: causal, plus key padding when keyMask is defined.
torch::Tensor attentionMask(int64_t past, int64_t T, const torch::Tensor& keyMask, const torch::TensorOptions& opts);

// The decoder language model: "model." + "lm_head." (absent when tie_embeddings).
class DecoderLMImpl : public torch::nn::Module {
 public:
  DecoderLMImpl(const DecoderConfig& c, const LoraConfig& lora);
  torch::Tensor embed(const torch::Tensor& ids) { return model->embed_tokens(ids); }
  torch::Tensor logits(const torch::Tensor& hidden);
  torch::Tensor forward(const torch::Tensor& inputsEmbeds, const torch::Tensor& keyMask = {},
                        KvCache* cache = nullptr) {
    return logits(model->forward(inputsEmbeds, keyMask, cache));
  }
  // Switches each adapter on or off in every adapted projection.
  void setAdapters(bool generic, bool specialized);
  std::vector<LoraLinear> loraLayers();
  LlamaModel model{nullptr};
  torch::nn::Linear lm_head{nullptr};
  DecoderConfig config;
};
TORCH_MODULE(DecoderLM);

class VitBlockImpl : public torch::nn::Module {
 public:
  VitBlockImpl(int64_t dim, int64_t heads, int64_t mlpRatio);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Linear qkv{nullptr}, proj{nullptr}, fc1{nullptr}, fc2{nullptr};
  int64_t heads;
};
TORCH_MODULE(VitBlock);

class VisionEncoderImpl : public torch::nn::Module {
 public:
  VisionEncoderImpl(const ModelConfig& c);
  // images [B, C, S, S] in [0, 1] -> {tokens [B, N, dv], pooled v [B, dv]}.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& images);
  torch::nn::Conv2d patch_embed{nullptr};
  torch::Tensor pos_embed;
  torch::nn::ModuleList blocks{nullptr};
  torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(VisionEncoder);

class ProjectionHeadImpl : public torch::nn::Module {
 public:
  ProjectionHeadImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x) { return fc2(torch::gelu(fc1(x))); }
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(ProjectionHead);

// "heads.": the generic head g and the site head s on v, and the report-text head for InfoNCE.
class HeadsImpl : public torch::nn::Module {
 public:
  HeadsImpl(const ModelConfig& c);
  ProjectionHead generic{nullptr}, site{nullptr};
  torch::nn::Linear text{nullptr};
};
TORCH_MODULE(Heads);

// "projector.": visual tokens (and g, s) to decoder width.
class ProjectorImpl : public torch::nn::Module {
 public:
  ProjectorImpl(const ModelConfig& c);
  torch::nn::Linear visual_fc1{nullptr}, visual_fc2{nullptr}, generic{nullptr}, site{nullptr};
};
TORCH_MODULE(Projector);

struct Encoded {
  torch::Tensor tokens;      // [B, N, dv]
  torch::Tensor pooled;      // v [B, dv]
  torch::Tensor diagLogits;  // [B, observations, states]
  torch::Tensor g, s;        // generic and site features [B, proj_dim] (not normalized)
};

// The whole report model. The decoder's parameter names are decoder_tensors.h's.
class ReportNetImpl : public torch::nn::Module {
 public:
  explicit ReportNetImpl(const ModelConfig& c);
  Encoded encode(const torch::Tensor& images);
  // Visual prefix rows [B, token_grid^2 (+2), d_decoder].
  torch::Tensor visualPrefix(const Encoded& e);
  // Report embedding for the image-report InfoNCE: mean of the report's token embeddings, projected.
  // ids [B, L], mask [B, L] bool.
  torch::Tensor reportEmbedding(const torch::Tensor& ids, const torch::Tensor& mask);

  ModelConfig config;
  VisionEncoder vision{nullptr};
  torch::nn::Linear diagnosis{nullptr};
  Heads heads{nullptr};
  Projector projector{nullptr};
  DecoderLM decoder{nullptr};  // its "model" and "lm_head" are registered directly under this module
};
TORCH_MODULE(ReportNet);

// True for the LoRA factors of either adapter (parameter names containing "_lora_").
bool isAdapterParameter(const std::string& name);
// Parameters that are not adapters, under their contract names.
std::map<std::string, torch::Tensor> baseTensors(torch::nn::Module& m);
// One adapter's factors under their file names ("<name>.lora_A", "<name>.lora_B").
std::map<std::string, torch::Tensor> adapterTensors(torch::nn::Module& m, int adapter);
// Copies tensors into same-named parameters (adapter file names are mapped back). Throws
// std::runtime_error naming the tensor on a shape mismatch, or on a missing tensor when strict.
void loadBaseTensors(torch::nn::Module& m, const std::map<std::string, torch::Tensor>& t, bool strict);
void loadAdapterTensors(torch::nn::Module& m, int adapter, const std::map<std::string, torch::Tensor>& t);

// A model folder's config and weights as a model (ModelFolder owns the layout and reads the files).
// With a site: that site's own parts over the top-level ones when the folder has them (ModelFolder::hasSite).
ReportNet loadReportNet(const ModelFolder& folder, const std::string& site = {});

// A LLaMA-family checkpoint folder (Hugging Face config and weights, or shards) as a decoder of this class,
// with fresh (B = 0) adapters from lora for fine-tuning. maxSeqLen caps the context.
DecoderLM loadLlamaDecoder(const std::string& dir, const LoraConfig& lora, int maxSeqLen = 4096);

// Which parameters train: Base = everything but the adapters; Adapters = both adapters plus the
// projection heads ("heads." tensors); every other parameter is frozen (requires_grad false).
enum class TrainScope { Base, Adapters };
void setTrainScope(ReportNetImpl& m, TrainScope scope);

// Greedy decoding from prefix rows [1, E, d] with the KV cache; returns the new token ids.
std::vector<int64_t> greedyGenerate(DecoderLMImpl& lm, const torch::Tensor& prefix, int maxNewTokens, int64_t eos);

}  // namespace fedmrg::engine::net
