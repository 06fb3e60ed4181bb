#pragma once
// A deliberately naive decoder for tests: scalar loops in double precision that recompute the whole sequence,
// written straight from the model-folder contract, against which FastDecoder is checked.
#include <cmath>
#include <vector>

#include "engine/infer/fast_decoder.h"

namespace fedmrg::testing {

using engine::DecoderConfig;
using engine::DecoderWeights;

// y[o] = sum_i W[o, i] x[i]
inline std::vector<double> refMatvec(const std::vector<float>& W, const std::vector<double>& x, size_t out) {
  std::vector<double> y(out, 0.0);
  for (size_t o = 0; o < out; ++o)
    for (size_t i = 0; i < x.size(); ++i) y[o] += double(W[o * x.size() + i]) * x[i];
  return y;
}

inline std::vector<double> refRmsnorm(const std::vector<double>& x, const std::vector<float>& w, double eps) {
  double ss = 0;
  for (double v : x) ss += v * v;
  const double s = 1.0 / std::sqrt(ss / double(x.size()) + eps);
  std::vector<double> y(x.size());
  for (size_t j = 0; j < x.size(); ++j) y[j] = x[j] * s * double(w[j]);
  return y;
}

// Rotary positions, rotate_half convention, on one head vector.
inline void refRope(double* v, int hd, int pos, double theta) {
  for (int j = 0; j < hd / 2; ++j) {
    const double angle = pos * std::pow(theta, -2.0 * j / hd);
    const double a = v[j], b = v[j + hd / 2];
    v[j] = a * std::cos(angle) - b * std::sin(angle);
    v[j + hd / 2] = b * std::cos(angle) + a * std::sin(angle);
  }
}

// Logits of every position for the input rows [T][dim].
inline std::vector<std::vector<double>> referenceLogits(const DecoderConfig& c, const DecoderWeights& w,
                                                        const std::vector<std::vector<float>>& inputs) {
  const size_t nT = inputs.size();
  const int T = int(nT), d = c.dim, nh = c.nHeads, nkv = c.nKvHeads, hd = d / nh, h = c.hiddenDim;
  std::vector<std::vector<double>> x(nT);
  for (int t = 0; t < T; ++t) x[size_t(t)].assign(inputs[size_t(t)].begin(), inputs[size_t(t)].end());
  for (int l = 0; l < c.nLayers; ++l) {
    const auto& L = w.layers[size_t(l)];
    std::vector<std::vector<double>> q(nT), k(nT), v(nT);
    for (int t = 0; t < T; ++t) {
      const auto xn = refRmsnorm(x[size_t(t)], L.inputNorm, c.normEps);
      q[size_t(t)] = refMatvec(L.q, xn, size_t(nh * hd));
      k[size_t(t)] = refMatvec(L.k, xn, size_t(nkv * hd));
      v[size_t(t)] = refMatvec(L.v, xn, size_t(nkv * hd));
      for (int hh = 0; hh < nh; ++hh) refRope(&q[size_t(t)][size_t(hh * hd)], hd, t, c.ropeTheta);
      for (int hh = 0; hh < nkv; ++hh) refRope(&k[size_t(t)][size_t(hh * hd)], hd, t, c.ropeTheta);
    }
    std::vector<std::vector<double>> next(nT);
    for (int t = 0; t < T; ++t) {
      std::vector<double> att(size_t(nh * hd), 0.0);
      for (int hh = 0; hh < nh; ++hh) {
        const int kvh = hh / (nh / nkv);
        std::vector<double> s(size_t(t + 1));
        double mx = -1e300;
        for (int u = 0; u <= t; ++u) {
          double dot = 0;
          for (int j = 0; j < hd; ++j) dot += q[size_t(t)][size_t(hh * hd + j)] * k[size_t(u)][size_t(kvh * hd + j)];
          s[size_t(u)] = dot / std::sqrt(double(hd));
          mx = std::max(mx, s[size_t(u)]);
        }
        double sum = 0;
        for (double& e : s) sum += (e = std::exp(e - mx));
        for (int u = 0; u <= t; ++u)
          for (int j = 0; j < hd; ++j)
            att[size_t(hh * hd + j)] += s[size_t(u)] / sum * v[size_t(u)][size_t(kvh * hd + j)];
      }
      const auto o = refMatvec(L.o, att, size_t(d));
      std::vector<double> hres(static_cast<size_t>(d));
      for (int j = 0; j < d; ++j) hres[size_t(j)] = x[size_t(t)][size_t(j)] + o[size_t(j)];
      const auto hn = refRmsnorm(hres, L.postNorm, c.normEps);
      const auto g = refMatvec(L.gate, hn, size_t(h));
      const auto up = refMatvec(L.up, hn, size_t(h));
      std::vector<double> a(static_cast<size_t>(h));
      for (int j = 0; j < h; ++j) a[size_t(j)] = g[size_t(j)] / (1.0 + std::exp(-g[size_t(j)])) * up[size_t(j)];
      const auto down = refMatvec(L.down, a, size_t(d));
      next[size_t(t)].resize(size_t(d));
      for (int j = 0; j < d; ++j) next[size_t(t)][size_t(j)] = hres[size_t(j)] + down[size_t(j)];
    }
    x = std::move(next);
  }
  std::vector<std::vector<double>> logits(nT);
  const std::vector<float>& head = c.tieEmbeddings ? w.embed : w.lmHead;
  for (int t = 0; t < T; ++t)
    logits[size_t(t)] = refMatvec(head, refRmsnorm(x[size_t(t)], w.finalNorm, c.normEps), size_t(c.vocabSize));
  return logits;
}

// Largest absolute difference between FastDecoder logits and reference logits.
inline double maxAbsDiff(const float* a, const std::vector<double>& b) {
  double m = 0;
  for (size_t i = 0; i < b.size(); ++i) m = std::max(m, std::fabs(double(a[i]) - b[i]));
  return m;
}

inline DecoderConfig tinyGqaConfig() {
  DecoderConfig c;
  c.vocabSize = 53;
  c.dim = 32;
  c.nLayers = 2;
  c.nHeads = 4;
  c.nKvHeads = 2;
  c.hiddenDim = 44;  // not a multiple of 8: exercises the kernels' tails
  c.maxSeqLen = 32;
  c.ropeTheta = 10000.0;
  c.normEps = 1e-5;
  c.tieEmbeddings = false;
  return c;
}

}  // namespace fedmrg::testing
