#include "engine/infer/fast_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>
#include <type_traits>

#include "engine/core/safetensors.h"
#include "engine/infer/linear_kernels.h"
#include "engine/infer/thread_pool.h"
#include "engine/infer/weight_arena.h"

namespace fedmrg::engine {
namespace {

struct Dims {
  int d, nh, nkv, hd, qDim, kvDim, qkvDim, h, vocab, layers;
  explicit Dims(const DecoderConfig& c)
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

void checkConfig(const DecoderConfig& c) {
  if (c.dim <= 0 || c.nHeads <= 0 || c.nKvHeads <= 0 || c.nLayers <= 0 || c.hiddenDim <= 0 || c.vocabSize <= 0 ||
      c.maxSeqLen <= 0)
    throw DecoderError("decoder config: sizes must be positive");
  if (c.dim % c.nHeads != 0) throw DecoderError("decoder config: n_heads must divide dim");
  if ((c.dim / c.nHeads) % 2 != 0) throw DecoderError("decoder config: head dimension must be even (rotary)");
  if (c.nHeads % c.nKvHeads != 0) throw DecoderError("decoder config: n_kv_heads must divide n_heads");
}

template <typename F>
void parallel(ThreadPool& pool, int n, int grain, F&& f) {
  using Body = std::remove_reference_t<F>;
  pool.run(
      n, [](void* ctx, int b, int e, int thread) { (*static_cast<Body*>(ctx))(b, e, thread); }, &f, grain);
}

void rmsnorm(const float* x, const float* w, float* out, int n, float eps) {
  float ss = 0;
  for (int j = 0; j < n; ++j) ss += x[j] * x[j];
  const float scale = 1.0f / std::sqrt(ss / float(n) + eps);
  for (int j = 0; j < n; ++j) out[j] = x[j] * scale * w[j];
}

std::string layerName(int i, const char* sub) { return "model.layers." + std::to_string(i) + "." + sub; }

// Calls f(name, tensor, shape) for every decoder tensor in file order; w.layers must have c.nLayers entries.
template <typename W, typename F>
void forEachTensor(const DecoderConfig& c, W& w, F&& f) {
  const Dims m(c);
  f("model.embed_tokens.weight", w.embed, std::vector<int64_t>{m.vocab, m.d});
  for (int l = 0; l < m.layers; ++l) {
    auto& L = w.layers[size_t(l)];
    f(layerName(l, "input_layernorm.weight"), L.inputNorm, std::vector<int64_t>{m.d});
    f(layerName(l, "self_attn.q_proj.weight"), L.q, std::vector<int64_t>{m.qDim, m.d});
    f(layerName(l, "self_attn.k_proj.weight"), L.k, std::vector<int64_t>{m.kvDim, m.d});
    f(layerName(l, "self_attn.v_proj.weight"), L.v, std::vector<int64_t>{m.kvDim, m.d});
    f(layerName(l, "self_attn.o_proj.weight"), L.o, std::vector<int64_t>{m.d, m.qDim});
    f(layerName(l, "post_attention_layernorm.weight"), L.postNorm, std::vector<int64_t>{m.d});
    f(layerName(l, "mlp.gate_proj.weight"), L.gate, std::vector<int64_t>{m.h, m.d});
    f(layerName(l, "mlp.up_proj.weight"), L.up, std::vector<int64_t>{m.h, m.d});
    f(layerName(l, "mlp.down_proj.weight"), L.down, std::vector<int64_t>{m.d, m.h});
  }
  f("model.norm.weight", w.finalNorm, std::vector<int64_t>{m.d});
  if (!c.tieEmbeddings) f("lm_head.weight", w.lmHead, std::vector<int64_t>{m.vocab, m.d});
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// DecoderWeights

DecoderWeights DecoderWeights::random(const DecoderConfig& c, uint64_t seed, float scale) {
  checkConfig(c);
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
  checkConfig(c);
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
  if (name == "model.embed_tokens.weight") return &embed;
  if (name == "model.norm.weight") return &finalNorm;
  if (name == "lm_head.weight") return lmHead.empty() ? nullptr : &lmHead;
  const std::string pre = "model.layers.";
  if (name.compare(0, pre.size(), pre) != 0) return nullptr;
  size_t pos = pre.size();
  size_t idx = 0;
  bool digits = false;
  while (pos < name.size() && name[pos] >= '0' && name[pos] <= '9') {
    idx = idx * 10 + size_t(name[pos++] - '0');
    digits = true;
    if (idx > layers.size()) return nullptr;
  }
  if (!digits || pos >= name.size() || name[pos] != '.' || idx >= layers.size()) return nullptr;
  const std::string sub = name.substr(pos + 1);
  DecoderLayerWeights& L = layers[idx];
  if (sub == "input_layernorm.weight") return &L.inputNorm;
  if (sub == "self_attn.q_proj.weight") return &L.q;
  if (sub == "self_attn.k_proj.weight") return &L.k;
  if (sub == "self_attn.v_proj.weight") return &L.v;
  if (sub == "self_attn.o_proj.weight") return &L.o;
  if (sub == "post_attention_layernorm.weight") return &L.postNorm;
  if (sub == "mlp.gate_proj.weight") return &L.gate;
  if (sub == "mlp.up_proj.weight") return &L.up;
  if (sub == "mlp.down_proj.weight") return &L.down;
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
  const std::string aSuffix = ".lora_A", bSuffix = ".lora_B";
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
    std::vector<float>* W = find(base + ".weight");
    if (!W) throw fail("tensor '" + name + "' adapts '" + base + ".weight', which the decoder does not have");
    if (A.shape.size() != 2 || B->shape.size() != 2 || A.shape[0] != B->shape[1] || A.shape[0] <= 0)
      throw fail("tensor '" + name + "': lora_A " + A.shapeString() + " and lora_B " + B->shapeString() +
                 " are not [r, in] and [out, r]");
    const int64_t r = A.shape[0], in = A.shape[1], out = B->shape[0];
    if (int64_t(W->size()) != in * out)
      throw fail("tensor '" + name + "': adapter shapes give a " + std::to_string(out) + "x" + std::to_string(in) +
                 " update, but '" + base + ".weight' has " + std::to_string(W->size()) + " elements");
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
  checkConfig(c);
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

// ---------------------------------------------------------------------------------------------------------------
// DecoderState

void DecoderState::copyFrom(const DecoderState& o) {
  if (this == &o) return;
  if (cap_ != o.cap_ || layers_ != o.layers_ || kvDim_ != o.kvDim_ || kvHeads_ != o.kvHeads_) {
    cap_ = o.cap_;
    layers_ = o.layers_;
    kvDim_ = o.kvDim_;
    kvHeads_ = o.kvHeads_;
    k_.resize(o.k_.size());
    v_.resize(o.v_.size());
  }
  logits_ = o.logits_;
  pos_ = o.pos_;
  if (kvHeads_ <= 0) return;
  const size_t hd = size_t(kvDim_ / kvHeads_);
  const size_t used = size_t(pos_) * hd, stride = size_t(cap_) * hd;
  for (size_t block = 0; block < size_t(layers_) * size_t(kvHeads_); ++block) {
    std::memcpy(k_.data() + block * stride, o.k_.data() + block * stride, used * sizeof(float));
    std::memcpy(v_.data() + block * stride, o.v_.data() + block * stride, used * sizeof(float));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// FastDecoder

namespace {

// A weight matrix [rows, cols], panel-packed (linear_kernels.h) in the decoder's storage precision and held in the
// decoder's WeightArena.
struct WeightMatrix {
  const float* f32 = nullptr;
  const uint16_t* f16 = nullptr;
  int rows = 0, cols = 0;

  void set(const float* w, int r, int c, DecoderPrecision p, WeightArena& arena) {
    rows = r;
    cols = c;
    const size_t n = packedSize(r, c);
    if (p == DecoderPrecision::F16) {
      auto* dst = static_cast<uint16_t*>(arena.take(n * sizeof(uint16_t)));
      packRows(w, r, c, dst);
      f16 = dst;
    } else {
      auto* dst = static_cast<float*>(arena.take(n * sizeof(float)));
      packRows(w, r, c, dst);
      f32 = dst;
    }
  }
  // Y[r, i] for i in [n0, n1) (n0 a multiple of kPanelRows): row r of X times row i of this matrix.
  void apply(const float* X, int rowsX, float* Y, int ldy, int n0, int n1) const {
    if (f32) {
      linearPacked(f32, rows, cols, X, cols, rowsX, Y, ldy, n0, n1);
    } else {
      linearPacked(f16, rows, cols, X, cols, rowsX, Y, ldy, n0, n1);
    }
  }
  // Bytes read by one pass over the matrix (the padding included).
  size_t bytes() const { return packedSize(rows, cols) * (f32 ? sizeof(float) : sizeof(uint16_t)); }
};

// Bytes a matrix takes in the arena (64-byte aligned, as WeightArena::take rounds).
size_t arenaBytes(int rows, int cols, DecoderPrecision p) {
  const size_t n = packedSize(rows, cols) * (p == DecoderPrecision::F16 ? 2 : 4);
  return (n + 63) / 64 * 64;
}

}  // namespace

struct FastDecoder::Impl {
  DecoderConfig cfg;
  Dims m;
  DecoderPrecision precision;
  struct Layer {
    std::vector<float> attnNorm, ffnNorm;
    WeightMatrix wqkv, wo, wgu, wdown;  // wgu: gate and up rows interleaved
  };
  WeightArena arena;  // every matrix, in the order a decode step reads them
  std::vector<Layer> layers;
  std::vector<float> embed, finalNorm;
  WeightMatrix lmHead;
  std::vector<float> ropeCos, ropeSin;  // [maxSeqLen][hd / 2]
  ThreadPool pool;

  // Scratch, grown on demand (a decode step never allocates once the first step has run).
  int scratchRows = 0;
  std::vector<float> x, xb, qkv, att, gu, act, logits, batchInput;
  std::vector<std::vector<float>> scores;  // per thread, [capacity]
  std::vector<DecoderState*> rowState;     // the state of each row of the current forward pass
  std::vector<int> rowPos;                 // and its position

  Impl(const DecoderConfig& c, int threads, DecoderPrecision p) : cfg(c), m(c), precision(p), pool(threads) {}

  void ensureScratch(int rows, int cap) {
    if (rows > scratchRows) {
      scratchRows = rows;
      const size_t r = size_t(rows);
      x.resize(r * size_t(m.d));
      xb.resize(r * size_t(m.d));
      qkv.resize(r * size_t(m.qkvDim));
      att.resize(r * size_t(m.qDim));
      gu.resize(r * 2 * size_t(m.h));
      act.resize(r * size_t(m.h));
      logits.resize(r * size_t(m.vocab));
    }
    if (scores.size() != size_t(pool.threads())) scores.resize(size_t(pool.threads()));
    for (auto& s : scores)
      if (s.size() < size_t(cap)) s.resize(size_t(cap));
  }

  // out[rows, W.rows] = in[rows, W.cols] W^T, threaded over W's rows.
  void linear(const WeightMatrix& W, const float* in, int rows, float* out) {
    parallel(pool, W.rows, kPanelRows, [&](int b, int e, int) { W.apply(in, rows, out, W.rows, b, e); });
  }
};

FastDecoder::FastDecoder(const DecoderConfig& config, const DecoderWeights& w, int threads,
                         DecoderPrecision precision) {
  w.validate(config);
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  d_ = std::make_unique<Impl>(config, threads, precision);
  Impl& I = *d_;
  const Dims& m = I.m;
  const size_t d = size_t(m.d);
  size_t total = arenaBytes(m.vocab, m.d, precision);
  total += size_t(m.layers) * (arenaBytes(m.qkvDim, m.d, precision) + arenaBytes(m.d, m.qDim, precision) +
                               arenaBytes(2 * m.h, m.d, precision) + arenaBytes(m.d, m.h, precision));
  I.arena = WeightArena(total);
  std::vector<float> qkv(size_t(m.qkvDim) * d), gu(2 * size_t(m.h) * d);
  for (const DecoderLayerWeights& L : w.layers) {
    Impl::Layer out;
    out.attnNorm = L.inputNorm;
    std::copy(L.q.begin(), L.q.end(), qkv.begin());
    std::copy(L.k.begin(), L.k.end(), qkv.begin() + std::ptrdiff_t(L.q.size()));
    std::copy(L.v.begin(), L.v.end(), qkv.begin() + std::ptrdiff_t(L.q.size() + L.k.size()));
    out.wqkv.set(qkv.data(), m.qkvDim, m.d, precision, I.arena);
    out.wo.set(L.o.data(), m.d, m.qDim, precision, I.arena);
    out.ffnNorm = L.postNorm;
    for (size_t i = 0; i < size_t(m.h); ++i) {
      std::memcpy(&gu[(2 * i) * d], &L.gate[i * d], d * sizeof(float));
      std::memcpy(&gu[(2 * i + 1) * d], &L.up[i * d], d * sizeof(float));
    }
    out.wgu.set(gu.data(), 2 * m.h, m.d, precision, I.arena);
    out.wdown.set(L.down.data(), m.d, m.h, precision, I.arena);
    I.layers.push_back(std::move(out));
  }
  I.embed = w.embed;
  I.finalNorm = w.finalNorm;
  // A tied head is packed as a copy: the embedding table stays row-major for the token lookups.
  I.lmHead.set(config.tieEmbeddings ? w.embed.data() : w.lmHead.data(), m.vocab, m.d, precision, I.arena);
  const int half = m.hd / 2;
  I.ropeCos.resize(size_t(config.maxSeqLen) * size_t(half));
  I.ropeSin.resize(I.ropeCos.size());
  for (int p = 0; p < config.maxSeqLen; ++p)
    for (int j = 0; j < half; ++j) {
      const double invFreq = std::pow(config.ropeTheta, -2.0 * j / double(m.hd));
      const double angle = double(p) * invFreq;
      I.ropeCos[size_t(p) * size_t(half) + size_t(j)] = float(std::cos(angle));
      I.ropeSin[size_t(p) * size_t(half) + size_t(j)] = float(std::sin(angle));
    }
  I.ensureScratch(4, config.maxSeqLen);
  I.rowState.reserve(64);
  I.rowPos.reserve(64);
}

FastDecoder::~FastDecoder() = default;

const DecoderConfig& FastDecoder::config() const { return d_->cfg; }
int FastDecoder::threads() const { return d_->pool.threads(); }
const char* FastDecoder::kernelName() const { return linearKernelName(); }
DecoderPrecision FastDecoder::precision() const { return d_->precision; }

DecoderState FastDecoder::newState(int capacity) const {
  const Dims& m = d_->m;
  if (capacity <= 0 || capacity > d_->cfg.maxSeqLen) capacity = d_->cfg.maxSeqLen;
  DecoderState s;
  s.cap_ = capacity;
  s.layers_ = m.layers;
  s.kvDim_ = m.kvDim;
  s.kvHeads_ = m.nkv;
  s.k_.assign(size_t(m.layers) * size_t(capacity) * size_t(m.kvDim), 0.0f);
  s.v_.assign(s.k_.size(), 0.0f);
  s.logits_.assign(size_t(m.vocab), 0.0f);
  return s;
}

const float* FastDecoder::tokenEmbedding(int token) const {
  if (token < 0 || token >= d_->m.vocab)
    throw DecoderError("token id " + std::to_string(token) + " is outside the vocabulary (size " +
                       std::to_string(d_->m.vocab) + ")");
  return d_->embed.data() + size_t(token) * size_t(d_->m.d);
}

const float* FastDecoder::step(DecoderState& state, int token) const {
  return prefill(state, tokenEmbedding(token), 1);
}

const float* FastDecoder::prefill(DecoderState& state, const float* embeds, int rows) const {
  if (rows <= 0) throw DecoderError("prefill: no rows");
  Impl& I = *d_;
  I.rowState.assign(size_t(rows), &state);
  I.rowPos.resize(size_t(rows));
  for (int r = 0; r < rows; ++r) I.rowPos[size_t(r)] = state.pos_ + r;
  forward(embeds, rows);
  return state.logits_.data();
}

void FastDecoder::stepBatch(DecoderState* const* states, const int* tokens, int n) const {
  if (n <= 0) return;
  Impl& I = *d_;
  const size_t d = size_t(I.m.d);
  if (I.batchInput.size() < size_t(n) * d) I.batchInput.resize(size_t(n) * d);
  I.rowState.resize(size_t(n));
  I.rowPos.resize(size_t(n));
  for (int r = 0; r < n; ++r) {
    for (int q = 0; q < r; ++q)
      if (states[q] == states[r]) throw DecoderError("stepBatch: the same state appears twice");
    std::memcpy(&I.batchInput[size_t(r) * d], tokenEmbedding(tokens[r]), d * sizeof(float));
    I.rowState[size_t(r)] = states[r];
    I.rowPos[size_t(r)] = states[r]->pos_;
  }
  forward(I.batchInput.data(), n);
}

// Runs rows through the decoder. Row r belongs to I.rowState[r] at position I.rowPos[r]; rows of one state are
// consecutive and in position order. Each state gets the logits of its last row and its new position.
void FastDecoder::forward(const float* input, int rows) const {
  Impl& I = *d_;
  const Dims& m = I.m;
  int maxCap = 0;
  for (int r = 0; r < rows; ++r) {
    const DecoderState& st = *I.rowState[size_t(r)];
    if (st.layers_ != m.layers || st.kvDim_ != m.kvDim || st.kvHeads_ != m.nkv || st.logits_.size() != size_t(m.vocab))
      throw DecoderError("decoder state was made for another decoder");
    if (I.rowPos[size_t(r)] >= st.cap_)
      throw DecoderError("sequence of " + std::to_string(I.rowPos[size_t(r)] + 1) +
                         " positions exceeds the state's capacity " + std::to_string(st.cap_));
    maxCap = std::max(maxCap, st.cap_);
  }
  I.ensureScratch(rows, maxCap);
  const float eps = float(I.cfg.normEps);
  const int half = m.hd / 2;
  const float attScale = 1.0f / std::sqrt(float(m.hd));
  const int group = m.nh / m.nkv;
  const size_t d = size_t(m.d);
  std::memcpy(I.x.data(), input, size_t(rows) * d * sizeof(float));
  // Start of the cache of row r's state for layer l and kv head g: [cap][hd].
  auto cacheOf = [&](int r, int l, int g, bool values) {
    DecoderState& st = *I.rowState[size_t(r)];
    return (values ? st.v_.data() : st.k_.data()) + (size_t(l) * size_t(m.nkv) + size_t(g)) * size_t(st.cap_) * size_t(m.hd);
  };

  for (int l = 0; l < m.layers; ++l) {
    const Impl::Layer& L = I.layers[size_t(l)];
    for (int r = 0; r < rows; ++r) rmsnorm(&I.x[size_t(r) * d], L.attnNorm.data(), &I.xb[size_t(r) * d], m.d, eps);
    I.linear(L.wqkv, I.xb.data(), rows, I.qkv.data());
    // Rotary positions on q and k, then k and v into the cache.
    for (int r = 0; r < rows; ++r) {
      const int pos = I.rowPos[size_t(r)];
      float* row = &I.qkv[size_t(r) * size_t(m.qkvDim)];
      const float* c = &I.ropeCos[size_t(pos) * size_t(half)];
      const float* s = &I.ropeSin[size_t(pos) * size_t(half)];
      for (int hh = 0; hh < m.nh + m.nkv; ++hh) {
        float* v = row + size_t(hh) * size_t(m.hd);
        for (int j = 0; j < half; ++j) {
          const float a = v[j], b = v[j + half];
          v[j] = a * c[j] - b * s[j];
          v[j + half] = b * c[j] + a * s[j];
        }
      }
      for (int g = 0; g < m.nkv; ++g) {
        const size_t at = size_t(pos) * size_t(m.hd), from = size_t(g) * size_t(m.hd);
        std::memcpy(cacheOf(r, l, g, false) + at, row + m.qDim + from, size_t(m.hd) * sizeof(float));
        std::memcpy(cacheOf(r, l, g, true) + at, row + m.qDim + m.kvDim + from, size_t(m.hd) * sizeof(float));
      }
    }
    // Causal attention, one (row, head) per item.
    parallel(I.pool, rows * m.nh, 1, [&](int b, int e, int part) {
      float* sc = I.scores[size_t(part)].data();
      for (int item = b; item < e; ++item) {
        const int r = item / m.nh, hh = item % m.nh;
        const float* kCache = cacheOf(r, l, hh / group, false);
        const float* vCache = cacheOf(r, l, hh / group, true);
        const float* q = &I.qkv[size_t(r) * size_t(m.qkvDim) + size_t(hh) * size_t(m.hd)];
        const int len = I.rowPos[size_t(r)] + 1;
        float* out = &I.att[size_t(r) * size_t(m.qDim) + size_t(hh) * size_t(m.hd)];
        attendHead(q, kCache, vCache, m.hd, len, m.hd, attScale, sc, out);
      }
    });
    I.linear(L.wo, I.att.data(), rows, I.xb.data());
    for (size_t j = 0; j < size_t(rows) * d; ++j) I.x[j] += I.xb[j];
    for (int r = 0; r < rows; ++r) rmsnorm(&I.x[size_t(r) * d], L.ffnNorm.data(), &I.xb[size_t(r) * d], m.d, eps);
    // Gate and up rows are interleaved, so each part finishes silu(gate) * up for its own rows.
    parallel(I.pool, 2 * m.h, kPanelRows, [&](int b, int e, int) {
      L.wgu.apply(I.xb.data(), rows, I.gu.data(), 2 * m.h, b, e);
      for (int r = 0; r < rows; ++r) {
        const float* g = &I.gu[size_t(r) * 2 * size_t(m.h)];
        float* a = &I.act[size_t(r) * size_t(m.h)];
        for (int i = b / 2; i < e / 2; ++i) {
          const float gv = g[2 * i];
          a[i] = gv / (1.0f + std::exp(-gv)) * g[2 * i + 1];
        }
      }
    });
    I.linear(L.wdown, I.act.data(), rows, I.xb.data());
    for (size_t j = 0; j < size_t(rows) * d; ++j) I.x[j] += I.xb[j];
  }
  // The last row of each state goes through the head.
  int heads = 0;
  for (int r = 0; r < rows; ++r)
    if (r + 1 == rows || I.rowState[size_t(r + 1)] != I.rowState[size_t(r)])
      rmsnorm(&I.x[size_t(r) * d], I.finalNorm.data(), &I.xb[size_t(heads++) * d], m.d, eps);
  I.linear(I.lmHead, I.xb.data(), heads, I.logits.data());
  heads = 0;
  for (int r = 0; r < rows; ++r)
    if (r + 1 == rows || I.rowState[size_t(r + 1)] != I.rowState[size_t(r)]) {
      DecoderState& st = *I.rowState[size_t(r)];
      std::memcpy(st.logits_.data(), &I.logits[size_t(heads++) * size_t(m.vocab)], size_t(m.vocab) * 4);
      st.pos_ = I.rowPos[size_t(r)] + 1;
    }
}

size_t FastDecoder::weightBytesPerToken() const {
  const Impl& I = *d_;
  const size_t d = size_t(I.m.d);
  size_t bytes = I.lmHead.bytes() + 2 * d * sizeof(float);  // head, final norm, embedding row
  for (const auto& L : I.layers)
    bytes += L.wqkv.bytes() + L.wo.bytes() + L.wgu.bytes() + L.wdown.bytes() + 2 * d * sizeof(float);
  return bytes;
}

double FastDecoder::flopsPerToken(int context) const {
  const Dims& m = d_->m;
  const double d = m.d;
  const double matvec = m.layers * (double(m.qkvDim) * d + d * m.qDim + 3.0 * m.h * d) + double(m.vocab) * d;
  const double attention = double(m.layers) * m.nh * double(context) * m.hd * 4.0;
  return 2.0 * matvec + attention;
}

}  // namespace fedmrg::engine
