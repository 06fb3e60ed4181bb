#include "engine/model/report_net.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "engine/model/decoder_tensors.h"
#include "engine/model/llama_checkpoint.h"
#include "engine/model/model_folder.h"

namespace fedmrg::engine::net {
namespace {
namespace names = decoder_tensors;

constexpr float kMaskedScore = -1e9f;

bool targeted(const LoraConfig& lora, const char* name) {
  return std::find(lora.targets.begin(), lora.targets.end(), name) != lora.targets.end();
}

LoraLinear projection(torch::nn::Module& owner, const char* name, int64_t in, int64_t out, const LoraConfig& lora) {
  return owner.register_module(name, LoraLinear(in, out, targeted(lora, name) ? &lora : nullptr));
}

// cos and sin [T, hd] for positions past .. past + T - 1, "rotate_half" layout.
std::pair<torch::Tensor, torch::Tensor> rotary(int64_t past, int64_t T, int64_t hd, double theta,
                                               const torch::TensorOptions& opts) {
  auto d = torch::TensorOptions().dtype(torch::kFloat64);
  torch::Tensor invFreq = torch::pow(theta, -torch::arange(0, hd, 2, d) / double(hd));
  torch::Tensor pos = torch::arange(past, past + T, d);
  torch::Tensor freqs = torch::outer(pos, invFreq);
  torch::Tensor emb = torch::cat({freqs, freqs}, -1);
  return {emb.cos().to(opts), emb.sin().to(opts)};
}

torch::Tensor rotateHalf(const torch::Tensor& x) {
  int64_t h = x.size(-1) / 2;
  return torch::cat({-x.narrow(-1, h, h), x.narrow(-1, 0, h)}, -1);
}

torch::Tensor applyRotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  return x * cos + rotateHalf(x) * sin;
}

std::string adapterParamName(int adapter, const char* factor) {
  return std::string(adapterName(adapter)) + "_lora_" + factor;
}

}  // namespace

const char* adapterName(int adapter) { return engine::adapterName(adapter == kGeneric ? AdapterKind::Generic : AdapterKind::Specialized); }

// ---- decoder ----

LoraLinearImpl::LoraLinearImpl(int64_t in, int64_t out, const LoraConfig* lora) {
  weight = register_parameter(names::kWeight, torch::randn({out, in}) * 0.02);
  if (!lora) return;
  scale = lora->scale();
  dropout = lora->dropout;
  const bool present[2] = {lora->generic, lora->specialized};
  const double bound = 1.0 / std::sqrt(double(in));
  for (int a = 0; a < 2; ++a) {
    if (!present[a]) continue;
    loraA[size_t(a)] =
        register_parameter(adapterParamName(a, "A"), torch::empty({lora->rank, in}).uniform_(-bound, bound));
    loraB[size_t(a)] = register_parameter(adapterParamName(a, "B"), torch::zeros({out, lora->rank}));
  }
}

torch::Tensor LoraLinearImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = torch::linear(x, weight);
  for (size_t a = 0; a < 2; ++a) {
    if (!loraA[a].defined() || !active[a]) continue;
    torch::Tensor xi = (dropout > 0 && is_training()) ? torch::dropout(x, dropout, true) : x;
    y = y + torch::linear(torch::linear(xi, loraA[a]), loraB[a]) * scale;
  }
  return y;
}

RMSNormImpl::RMSNormImpl(int64_t dim, double e) : eps(e) { weight = register_parameter(names::kWeight, torch::ones({dim})); }

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
  return x * torch::rsqrt(x.pow(2).mean(-1, true) + eps) * weight;
}

AttentionImpl::AttentionImpl(const DecoderConfig& c, const LoraConfig& lora)
    : nHeads(c.nHeads), nKvHeads(c.nKvHeads), headDim(c.headDim()) {
  q_proj = projection(*this, names::kQProj, c.dim, nHeads * headDim, lora);
  k_proj = projection(*this, names::kKProj, c.dim, nKvHeads * headDim, lora);
  v_proj = projection(*this, names::kVProj, c.dim, nKvHeads * headDim, lora);
  o_proj = projection(*this, names::kOProj, nHeads * headDim, c.dim, lora);
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                     const torch::Tensor& mask, torch::Tensor* cacheK, torch::Tensor* cacheV) {
  const int64_t B = x.size(0), T = x.size(1);
  torch::Tensor q = q_proj(x).view({B, T, nHeads, headDim}).transpose(1, 2);
  torch::Tensor k = k_proj(x).view({B, T, nKvHeads, headDim}).transpose(1, 2);
  torch::Tensor v = v_proj(x).view({B, T, nKvHeads, headDim}).transpose(1, 2);
  q = applyRotary(q, cos, sin);
  k = applyRotary(k, cos, sin);
  if (cacheK) {
    if (cacheK->defined()) {
      k = torch::cat({*cacheK, k}, 2);
      v = torch::cat({*cacheV, v}, 2);
    }
    *cacheK = k;
    *cacheV = v;
  }
  const int64_t Tk = k.size(2), rep = nHeads / nKvHeads;
  if (rep > 1) {  // query head h reads kv head h / rep
    k = k.unsqueeze(2).expand({B, nKvHeads, rep, Tk, headDim}).reshape({B, nHeads, Tk, headDim});
    v = v.unsqueeze(2).expand({B, nKvHeads, rep, Tk, headDim}).reshape({B, nHeads, Tk, headDim});
  }
  torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(headDim)) + mask;
  torch::Tensor out = torch::matmul(torch::softmax(scores, -1), v);
  return o_proj(out.transpose(1, 2).contiguous().view({B, T, nHeads * headDim}));
}

MlpImpl::MlpImpl(const DecoderConfig& c, const LoraConfig& lora) {
  gate_proj = projection(*this, names::kGateProj, c.dim, c.hiddenDim, lora);
  up_proj = projection(*this, names::kUpProj, c.dim, c.hiddenDim, lora);
  down_proj = projection(*this, names::kDownProj, c.hiddenDim, c.dim, lora);
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) { return down_proj(torch::silu(gate_proj(x)) * up_proj(x)); }

DecoderLayerImpl::DecoderLayerImpl(const DecoderConfig& c, const LoraConfig& lora) {
  input_layernorm = register_module(names::kInputNorm, RMSNorm(c.dim, c.normEps));
  self_attn = register_module(names::kSelfAttn, Attention(c, lora));
  post_attention_layernorm = register_module(names::kPostAttentionNorm, RMSNorm(c.dim, c.normEps));
  mlp = register_module(names::kMlp, Mlp(c, lora));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                        const torch::Tensor& mask, torch::Tensor* cacheK, torch::Tensor* cacheV) {
  torch::Tensor h = x + self_attn(input_layernorm(x), cos, sin, mask, cacheK, cacheV);
  return h + mlp(post_attention_layernorm(h));
}

LlamaModelImpl::LlamaModelImpl(const DecoderConfig& c, const LoraConfig& lora) : config(c) {
  embed_tokens = register_module(names::kEmbedTokens, torch::nn::Embedding(c.vocabSize, c.dim));
  torch::nn::init::normal_(embed_tokens->weight, 0.0, 0.02);
  layers = register_module(names::kLayers, torch::nn::ModuleList());
  for (int i = 0; i < c.nLayers; ++i) layers->push_back(DecoderLayer(c, lora));
  norm = register_module(names::kNorm, RMSNorm(c.dim, c.normEps));
}

torch::Tensor attentionMask(int64_t past, int64_t T, const torch::Tensor& keyMask, const torch::TensorOptions& opts) {
  auto li = torch::TensorOptions().dtype(torch::kLong).device(opts.device());
  torch::Tensor qpos = torch::arange(past, past + T, li).unsqueeze(1);
  torch::Tensor kpos = torch::arange(past + T, li).unsqueeze(0);
  torch::Tensor allowed = kpos.le(qpos).unsqueeze(0).unsqueeze(0);  // [1, 1, T, Tk]
  if (keyMask.defined()) {
    if (keyMask.dim() != 2 || keyMask.size(1) != past + T)
      throw std::invalid_argument("attentionMask: key mask must be [B, past + T]");
    allowed = allowed.logical_and(keyMask.to(torch::kBool).unsqueeze(1).unsqueeze(1));
  }
  return torch::zeros(allowed.sizes(), opts).masked_fill(allowed.logical_not(), kMaskedScore);
}

torch::Tensor LlamaModelImpl::forward(const torch::Tensor& inputsEmbeds, const torch::Tensor& keyMask, KvCache* cache) {
  const int64_t T = inputsEmbeds.size(1);
  const int64_t past = cache ? cache->length() : 0;
  if (past + T > config.maxSeqLen)
    throw std::invalid_argument("decoder: sequence of " + std::to_string(past + T) + " exceeds max_seq_len " +
                                std::to_string(config.maxSeqLen));
  auto [cos, sin] = rotary(past, T, config.headDim(), config.ropeTheta, inputsEmbeds.options());
  torch::Tensor mask = attentionMask(past, T, keyMask, inputsEmbeds.options());
  if (cache && cache->k.empty()) {
    cache->k.resize(layers->size());
    cache->v.resize(layers->size());
  }
  torch::Tensor h = inputsEmbeds;
  for (size_t i = 0; i < layers->size(); ++i)
    h = layers[i]->as<DecoderLayer>()->forward(h, cos, sin, mask, cache ? &cache->k[i] : nullptr,
                                               cache ? &cache->v[i] : nullptr);
  return norm(h);
}

DecoderLMImpl::DecoderLMImpl(const DecoderConfig& c, const LoraConfig& lora) : config(c) {
  model = register_module(names::kModel, LlamaModel(c, lora));
  if (!c.tieEmbeddings) {
    lm_head = register_module(names::kLmHead, torch::nn::Linear(torch::nn::LinearOptions(c.dim, c.vocabSize).bias(false)));
    torch::nn::init::normal_(lm_head->weight, 0.0, 0.02);
  }
}

torch::Tensor DecoderLMImpl::logits(const torch::Tensor& hidden) {
  return lm_head ? lm_head(hidden) : torch::linear(hidden, model->embed_tokens->weight);
}

std::vector<LoraLinear> DecoderLMImpl::loraLayers() {
  std::vector<LoraLinear> out;
  for (const auto& m : model->modules(false))
    if (auto l = std::dynamic_pointer_cast<LoraLinearImpl>(m)) out.emplace_back(l);
  return out;
}

void DecoderLMImpl::setAdapters(bool generic, bool specialized) {
  for (LoraLinear& l : loraLayers()) {
    l->active[kGeneric] = generic;
    l->active[kSpecialized] = specialized;
  }
}

std::vector<int64_t> greedyGenerate(DecoderLMImpl& lm, const torch::Tensor& prefix, int maxNewTokens, int64_t eos) {
  torch::NoGradGuard noGrad;
  KvCache cache;
  std::vector<int64_t> out;
  torch::Tensor logits = lm.forward(prefix, {}, &cache);
  for (int i = 0; i < maxNewTokens; ++i) {
    int64_t next = logits[0][logits.size(1) - 1].argmax().item<int64_t>();
    out.push_back(next);
    if (next == eos || cache.length() >= lm.config.maxSeqLen) break;
    torch::Tensor ids = torch::full({1, 1}, next, torch::TensorOptions().dtype(torch::kLong).device(prefix.device()));
    logits = lm.forward(lm.embed(ids), {}, &cache);
  }
  return out;
}

// ---- encoder side ----

VitBlockImpl::VitBlockImpl(int64_t dim, int64_t h, int64_t mlpRatio) : heads(h) {
  norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
  qkv = register_module("qkv", torch::nn::Linear(dim, 3 * dim));
  proj = register_module("proj", torch::nn::Linear(dim, dim));
  norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
  fc1 = register_module("fc1", torch::nn::Linear(dim, dim * mlpRatio));
  fc2 = register_module("fc2", torch::nn::Linear(dim * mlpRatio, dim));
}

torch::Tensor VitBlockImpl::forward(const torch::Tensor& x) {
  const int64_t B = x.size(0), N = x.size(1), D = x.size(2), hd = D / heads;
  torch::Tensor qkvOut = qkv(norm1(x)).view({B, N, 3, heads, hd}).permute({2, 0, 3, 1, 4});
  torch::Tensor q = qkvOut[0], k = qkvOut[1], v = qkvOut[2];
  torch::Tensor att = torch::softmax(torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(hd)), -1);
  torch::Tensor h = x + proj(torch::matmul(att, v).transpose(1, 2).reshape({B, N, D}));
  return h + fc2(torch::gelu(fc1(norm2(h))));
}

VisionEncoderImpl::VisionEncoderImpl(const ModelConfig& c) {
  const VisionConfig& v = c.vision;
  patch_embed = register_module(
      "patch_embed", torch::nn::Conv2d(torch::nn::Conv2dOptions(v.channels, v.dim, v.patch).stride(v.patch)));
  const int64_t n = int64_t(c.patchGrid()) * c.patchGrid();
  pos_embed = register_parameter("pos_embed", torch::randn({1, n, int64_t(v.dim)}) * 0.02);
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (int i = 0; i < v.layers; ++i) blocks->push_back(VitBlock(v.dim, v.heads, v.mlpRatio));
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({int64_t(v.dim)})));
}

std::pair<torch::Tensor, torch::Tensor> VisionEncoderImpl::forward(const torch::Tensor& images) {
  torch::Tensor x = patch_embed(images * 2.0 - 1.0).flatten(2).transpose(1, 2) + pos_embed;
  for (const auto& b : *blocks) x = b->as<VitBlock>()->forward(x);
  x = norm(x);
  return {x, x.mean(1)};
}

ProjectionHeadImpl::ProjectionHeadImpl(int64_t in, int64_t out) {
  fc1 = register_module("fc1", torch::nn::Linear(in, in));
  fc2 = register_module("fc2", torch::nn::Linear(in, out));
}

HeadsImpl::HeadsImpl(const ModelConfig& c) {
  generic = register_module("generic", ProjectionHead(c.vision.dim, c.contrastive.projDim));
  site = register_module("site", ProjectionHead(c.vision.dim, c.contrastive.projDim));
  text = register_module("text", torch::nn::Linear(c.decoder.dim, c.contrastive.projDim));
}

ProjectorImpl::ProjectorImpl(const ModelConfig& c) {
  visual_fc1 = register_module("visual_fc1", torch::nn::Linear(c.vision.dim, c.decoder.dim));
  visual_fc2 = register_module("visual_fc2", torch::nn::Linear(c.decoder.dim, c.decoder.dim));
  generic = register_module("generic", torch::nn::Linear(c.contrastive.projDim, c.decoder.dim));
  site = register_module("site", torch::nn::Linear(c.contrastive.projDim, c.decoder.dim));
}

ReportNetImpl::ReportNetImpl(const ModelConfig& c) : config(c) {
  c.validate();
  vision = register_module("vision", VisionEncoder(c));
  diagnosis = register_module("diagnosis", torch::nn::Linear(c.vision.dim, int64_t(c.numObservations) * c.numStates));
  heads = register_module("heads", Heads(c));
  projector = register_module("projector", Projector(c));
  decoder = DecoderLM(c.decoder, c.lora);
  register_module(names::kModel, decoder->model);
  if (decoder->lm_head) register_module(names::kLmHead, decoder->lm_head);
}

Encoded ReportNetImpl::encode(const torch::Tensor& images) {
  Encoded e;
  std::tie(e.tokens, e.pooled) = vision(images);
  e.diagLogits = diagnosis(e.pooled).view({-1, int64_t(config.numObservations), int64_t(config.numStates)});
  e.g = heads->generic(e.pooled);
  e.s = heads->site(e.pooled);
  return e;
}

torch::Tensor ReportNetImpl::visualPrefix(const Encoded& e) {
  const int64_t B = e.tokens.size(0), D = e.tokens.size(2), G = config.patchGrid();
  const int64_t k = G / config.prompt.tokenGrid;
  torch::Tensor grid = e.tokens.transpose(1, 2).reshape({B, D, G, G});
  if (k > 1) grid = torch::avg_pool2d(grid, {k, k});
  torch::Tensor tokens = grid.flatten(2).transpose(1, 2);  // [B, tg^2, D]
  torch::Tensor rows = projector->visual_fc2(torch::gelu(projector->visual_fc1(tokens)));
  if (config.prompt.siteTokens)
    rows = torch::cat({rows, projector->generic(e.g).unsqueeze(1), projector->site(e.s).unsqueeze(1)}, 1);
  return rows;
}

torch::Tensor ReportNetImpl::reportEmbedding(const torch::Tensor& ids, const torch::Tensor& mask) {
  torch::Tensor m = mask.to(torch::kFloat).unsqueeze(-1);
  torch::Tensor pooled = (decoder->embed(ids) * m).sum(1) / m.sum(1).clamp_min(1.0);
  return heads->text(pooled);
}

// ---- naming, loading, freezing ----

bool isAdapterParameter(const std::string& name) { return name.find("_lora_") != std::string::npos; }

std::map<std::string, torch::Tensor> baseTensors(torch::nn::Module& m) {
  std::map<std::string, torch::Tensor> out;
  for (const auto& p : m.named_parameters(true))
    if (!isAdapterParameter(p.key())) out[p.key()] = p.value();
  return out;
}

std::map<std::string, torch::Tensor> adapterTensors(torch::nn::Module& m, int adapter) {
  std::map<std::string, torch::Tensor> out;
  const std::string a = std::string(".") + adapterName(adapter) + "_lora_";
  for (const auto& p : m.named_parameters(true)) {
    const std::string& n = p.key();
    size_t at = n.find(a);
    if (at == std::string::npos || at + a.size() + 1 != n.size()) continue;
    out[names::loraFactor(n.substr(0, at) + "." + names::kWeight, n.back())] = p.value();
  }
  return out;
}

namespace {
void copyInto(torch::Tensor& dst, const torch::Tensor& src, const std::string& name) {
  if (dst.sizes() != src.sizes()) {
    std::string want, got;
    for (int64_t s : dst.sizes()) want += (want.empty() ? "" : "x") + std::to_string(s);
    for (int64_t s : src.sizes()) got += (got.empty() ? "" : "x") + std::to_string(s);
    throw std::runtime_error("tensor " + name + ": shape " + got + " does not match the model's " + want);
  }
  torch::NoGradGuard g;
  dst.copy_(src.to(dst.dtype()));
}
}  // namespace

void loadBaseTensors(torch::nn::Module& m, const std::map<std::string, torch::Tensor>& t, bool strict) {
  for (auto& p : m.named_parameters(true)) {
    if (isAdapterParameter(p.key())) continue;
    auto it = t.find(p.key());
    if (it == t.end()) {
      if (strict) throw std::runtime_error("missing tensor " + p.key());
      continue;
    }
    copyInto(p.value(), it->second, p.key());
  }
}

void loadAdapterTensors(torch::nn::Module& m, int adapter, const std::map<std::string, torch::Tensor>& t) {
  auto params = m.named_parameters(true);
  const std::string weightSuffix = std::string(".") + names::kWeight;
  for (const auto& [fileName, tensor] : t) {
    std::string weight;
    char factor = 0;
    if (!names::parseLoraFactor(fileName, &weight, &factor))
      throw std::runtime_error("adapter tensor " + fileName + ": expected a name ending in ." + names::kLoraA +
                               " or ." + names::kLoraB);
    const std::string name = weight.substr(0, weight.size() - weightSuffix.size()) + "." + adapterName(adapter) +
                             "_lora_" + factor;
    torch::Tensor* p = params.find(name);
    if (!p) throw std::runtime_error("adapter tensor " + fileName + ": the model has no such adapted projection");
    copyInto(*p, tensor, fileName);
  }
}

ReportNet loadReportNet(const ModelFolder& folder, const std::string& site) {
  ReportNet m(folder.loadConfig());
  folder.loadWeights(*m, site);
  return m;
}

DecoderLM loadLlamaDecoder(const std::string& dir, const LoraConfig& lora, int maxSeqLen) {
  LlamaCheckpoint ck = loadLlamaCheckpoint(dir, maxSeqLen);
  DecoderLM lm(ck.config, lora);
  torch::NoGradGuard g;
  for (auto& p : lm->named_parameters(true)) {
    if (isAdapterParameter(p.key())) continue;
    const std::vector<float>* w = ck.weights.find(p.key());
    if (!w || int64_t(w->size()) != p.value().numel())
      throw std::runtime_error(dir + ": checkpoint tensor " + p.key() + " is missing or has the wrong size");
    p.value().copy_(torch::from_blob(const_cast<float*>(w->data()), p.value().sizes(), torch::kFloat));
  }
  return lm;
}

void setTrainScope(ReportNetImpl& m, TrainScope scope) {
  for (auto& p : m.named_parameters(true)) {
    const bool adapter = isAdapterParameter(p.key());
    const bool head = p.key().rfind("heads.", 0) == 0;
    p.value().set_requires_grad(scope == TrainScope::Base ? !adapter : (adapter || head));
  }
}

}  // namespace fedmrg::engine::net
