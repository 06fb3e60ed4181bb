#include "engine/infer/fast_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>
#include <type_traits>

#include "engine/infer/linear_kernels.h"
#include "engine/infer/thread_pool.h"
#include "engine/infer/weight_arena.h"

namespace fedmrg::engine {
namespace {

using Dims = DecoderDims;

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

}  // namespace

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
