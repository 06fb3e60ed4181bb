#include "engine/model/decoder_weights.h"

#include <random>

#include "engine/core/safetensors.h"
#include "engine/model/decoder_tensors.h"

namespace fedmrg::engine {
namespace {

using Dims = DecoderDims;

// Calls f(name, tensor, shape) for every decoder tensor in file order; w.layers must have c.nLayers entries.
template <typename W, typename F>
void forEachTensor(const DecoderConfig& c, W& w, F&& f) {
  namespace t = decoder_tensors;
  using L = t::LayerTensor;
  const Dims m(c);
  f(t::embedTokens(), w.embed, std::vector<int64_t>{m.vocab, m.d});
  for (int l = 0; l < m.layers; ++l) {
    auto& W_ = w.layers[size_t(l)];
    f(t::layer(l, L::InputNorm), W_.inputNorm, std::vector<int64_t>{m.d});
    f(t::layer(l, L::Q), W_.q, std::vector<int64_t>{m.qDim, m.d});
    f(t::layer(l, L::K), W_.k, std::vector<int64_t>{m.kvDim, m.d});
    f(t::layer(l, L::V), W_.v, std::vector<int64_t>{m.kvDim, m.d});
    f(t::layer(l, L::O), W_.o, std::vector<int64_t>{m.d, m.qDim});
    f(t::layer(l, L::PostAttentionNorm), W_.postNorm, std::vector<int64_t>{m.d});
    f(t::layer(l, L::Gate), W_.gate, std::vector<int64_t>{m.h, m.d});
    f(t::layer(l, L::Up), W_.up, std::vector<int64_t>{m.h, m.d});
    f(t::layer(l, L::Down), W_.down, std::vector<int64_t>{m.d, m.h});
  }
  f(t::finalNorm(), w.finalNorm, std::vector<int64_t>{m.d});
  if (!c.tieEmbeddings) f(t::lmHead(), w.lmHead, std::vector<int64_t>{m.vocab, m.d});
}

}  // namespace

void checkDecoderConfig(const DecoderConfig& c) {
  if (c.dim <= 0 || c.nHeads <= 0 || c.nKvHeads <= 0 || c.nLayers <= 0 || c.hiddenDim <= 0 || c.vocabSize <= 0 ||
      c.maxSeqLen <= 0)
    throw DecoderError("decoder config: sizes must be positive");
  if (c.dim % c.nHeads != 0) throw DecoderError("decoder config: n_heads must divide dim");
  if ((c.dim / c.nHeads) % 2 != 0) throw DecoderError("decoder config: head dimension must be even (rotary)");
  if (c.nHeads % c.nKvHeads != 0) throw DecoderError("decoder config: n_kv_heads must divide n_heads");
}

DecoderWeights DecoderWeights::random(const DecoderConfig& c, uint64_t seed, float scale) {
  checkDecoderConfig(c);
  const Dims m(c);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  auto fill = [&](size_t n, float s, float offset) {
    std::vector<float> v(n);
    for (float& x : v) x = offset + s * normal(rng);
    return v;
  };
  DecoderWeights w;
  w.embed = fill(size_t(m.vocab) * size_t(m.d), 1.0f, 0.0f);
  for (int l = 0; l < m.layers; ++l) {
    DecoderLayerWeights L;
    L.inputNorm = fill(size_t(m.d), 0.1f, 1.0f);
    L.q = fill(size_t(m.qDim) * size_t(m.d), scale, 0.0f);
    L.k = fill(size_t(m.kvDim) * size_t(m.d), scale, 0.0f);
    L.v = fill(size_t(m.kvDim) * size_t(m.d), scale, 0.0f);
    L.o = fill(size_t(m.d) * size_t(m.qDim), scale, 0.0f);
    L.postNorm = fill(size_t(m.d), 0.1f, 1.0f);
    L.gate = fill(size_t(m.h) * size_t(m.d), scale, 0.0f);
    L.up = fill(size_t(m.h) * size_t(m.d), scale, 0.0f);
    L.down = fill(size_t(m.d) * size_t(m.h), scale, 0.0f);
    w.layers.push_back(std::move(L));
  }
  w.finalNorm = fill(size_t(m.d), 0.1f, 1.0f);
  if (!c.tieEmbeddings) w.lmHead = fill(size_t(m.vocab) * size_t(m.d), scale, 0.0f);
  return w;
}

DecoderWeights DecoderWeights::fromSafetensors(const DecoderConfig& c, const SafetensorsFile& f,
                                               const std::string& prefix) {
  return fromSafetensors(c, std::vector<const SafetensorsFile*>{&f}, prefix);
}

DecoderWeights DecoderWeights::fromSafetensors(const DecoderConfig& c, const std::vector<const SafetensorsFile*>& files,
                                               const std::string& prefix) {
  checkDecoderConfig(c);
  if (files.empty()) throw DecoderError("no weight files");
  DecoderWeights w;
  w.layers.resize(size_t(c.nLayers));
  forEachTensor(c, w, [&](const std::string& name, std::vector<float>& v, const std::vector<int64_t>& shape) {
    const SafetensorsFile* holder = files.front();
    for (const SafetensorsFile* f : files)
      if (f->contains(prefix + name)) {
        holder = f;
        break;
      }
    v = holder->expect(prefix + name, shape).toFloat32();
  });
  return w;
}

void DecoderWeights::addTo(const DecoderConfig& c, SafetensorsWriter& writer, const std::string& prefix) const {
  validate(c);
  forEachTensor(c, *this,
                [&](const std::string& name, const std::vector<float>& v, const std::vector<int64_t>& shape) {
                  writer.addFloat32(prefix + name, shape, v.data());
                });
}

std::vector<float>* DecoderWeights::find(const std::string& name) {
  namespace t = decoder_tensors;
  if (name == t::embedTokens()) return &embed;
  if (name == t::finalNorm()) return &finalNorm;
  if (name == t::lmHead()) return lmHead.empty() ? nullptr : &lmHead;
  int index = 0;
  t::LayerTensor which{};
  if (!t::parseLayer(name, &index, &which) || index < 0 || size_t(index) >= layers.size()) return nullptr;
  DecoderLayerWeights& L = layers[size_t(index)];
  switch (which) {
    case t::LayerTensor::InputNorm: return &L.inputNorm;
    case t::LayerTensor::Q: return &L.q;
    case t::LayerTensor::K: return &L.k;
    case t::LayerTensor::V: return &L.v;
    case t::LayerTensor::O: return &L.o;
    case t::LayerTensor::PostAttentionNorm: return &L.postNorm;
    case t::LayerTensor::Gate: return &L.gate;
    case t::LayerTensor::Up: return &L.up;
    case t::LayerTensor::Down: return &L.down;
  }
  return nullptr;
}

int DecoderWeights::mergeLora(const DecoderConfig& c, const SafetensorsFile& adapter, double defaultAlpha) {
  validate(c);
  auto fail = [&](const std::string& why) { return DecoderError(adapter.path() + ": " + why); };
  double alpha = defaultAlpha;
  if (auto it = adapter.metadata().find("alpha"); it != adapter.metadata().end()) {
    try {
      alpha = std::stod(it->second);
    } catch (const std::exception&) {
      throw fail("metadata 'alpha' is not a number: '" + it->second + "'");
    }
  }
  const std::string aSuffix = std::string(".") + decoder_tensors::kLoraA,
                    bSuffix = std::string(".") + decoder_tensors::kLoraB;
  const std::string weightSuffix = std::string(".") + decoder_tensors::kWeight;
  auto endsWith = [](const std::string& s, const std::string& suf) {
    return s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
  };
  int merged = 0;
  for (const std::string& name : adapter.names()) {
    if (endsWith(name, bSuffix)) {
      if (!adapter.contains(name.substr(0, name.size() - bSuffix.size()) + aSuffix))
        throw fail("tensor '" + name + "' has no matching lora_A");
      continue;
    }
    if (!endsWith(name, aSuffix)) throw fail("tensor '" + name + "' is neither a lora_A nor a lora_B");
    const std::string base = name.substr(0, name.size() - aSuffix.size());
    const TensorView& A = adapter.at(name);
    const TensorView* B = adapter.find(base + bSuffix);
    if (!B) throw fail("tensor '" + name + "' has no matching lora_B");
    std::vector<float>* W = find(base + weightSuffix);
    if (!W) throw fail("tensor '" + name + "' adapts '" + base + weightSuffix + "', which the decoder does not have");
    if (A.shape.size() != 2 || B->shape.size() != 2 || A.shape[0] != B->shape[1] || A.shape[0] <= 0)
      throw fail("tensor '" + name + "': lora_A " + A.shapeString() + " and lora_B " + B->shapeString() +
                 " are not [r, in] and [out, r]");
    const int64_t r = A.shape[0], in = A.shape[1], out = B->shape[0];
    if (int64_t(W->size()) != in * out)
      throw fail("tensor '" + name + "': adapter shapes give a " + std::to_string(out) + "x" + std::to_string(in) +
                 " update, but '" + base + weightSuffix + "' has " + std::to_string(W->size()) + " elements");
    if (auto it = adapter.metadata().find("rank"); it != adapter.metadata().end() && it->second != std::to_string(r))
      throw fail("tensor '" + name + "' has rank " + std::to_string(r) + " but metadata says rank " + it->second);
    const std::vector<float> a = A.toFloat32(), b = B->toFloat32();
    const float scale = float(alpha / double(r));
    for (int64_t o = 0; o < out; ++o) {
      float* wrow = W->data() + o * in;
      for (int64_t k = 0; k < r; ++k) {
        const float coef = scale * b[size_t(o * r + k)];
        if (coef == 0.0f) continue;
        const float* arow = a.data() + k * in;
        for (int64_t i = 0; i < in; ++i) wrow[i] += coef * arow[i];
      }
    }
    ++merged;
  }
  return merged;
}

void DecoderWeights::validate(const DecoderConfig& c) const {
  checkDecoderConfig(c);
  if (layers.size() != size_t(c.nLayers))
    throw DecoderError("decoder weights have " + std::to_string(layers.size()) + " layers, the config " +
                       std::to_string(c.nLayers));
  forEachTensor(c, *this,
                [&](const std::string& name, const std::vector<float>& v, const std::vector<int64_t>& shape) {
                  size_t n = 1;
                  for (int64_t x : shape) n *= size_t(x);
                  if (v.size() != n)
                    throw DecoderError("decoder weight '" + name + "' has " + std::to_string(v.size()) +
                                       " values, expected " + std::to_string(n));
                });
}

}  // namespace fedmrg::engine
