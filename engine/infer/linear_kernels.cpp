#include "engine/infer/linear_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <type_traits>

#include "engine/core/safetensors.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define FEDMRG_X86 1
#define FEDMRG_SIMD __attribute__((target("avx2,fma,f16c")))
#endif

namespace fedmrg::engine {
namespace {

inline float toFloat(float w) { return w; }
inline float toFloat(uint16_t w) { return halfToFloat(w); }

// Packed panels, portable form: the reference the SIMD form must match.
template <typename T>
void packedGeneric(const T* P, int rows, int k, const float* X, int ldx, int nx, float* Y, int ldy, int n0, int n1) {
  const int groups = (k + 7) / 8;
  for (int i0 = n0; i0 < n1; i0 += kPanelRows) {
    const T* panel = P + size_t(i0) * size_t(groups) * 8;
    const int live = std::min({kPanelRows, n1 - i0, rows - i0});
    for (int r = 0; r < nx; ++r) {
      const float* x = X + size_t(r) * size_t(ldx);
      float acc[kPanelRows] = {};
      for (int g = 0; g < groups; ++g) {
        const T* w = panel + size_t(g) * kPanelRows * 8;
        const int width = std::min(8, k - g * 8);
        for (int q = 0; q < kPanelRows; ++q)
          for (int l = 0; l < width; ++l) acc[q] += toFloat(w[q * 8 + l]) * x[g * 8 + l];
      }
      for (int q = 0; q < live; ++q) Y[size_t(r) * size_t(ldy) + size_t(i0 + q)] = acc[q];
    }
  }
}

// sc[t] = exp(sc[t] - mx) in place; returns 1 / sum of the results (mx is the maximum, so the sum is >= 1).
float expAndInverseSum(float* sc, int len, float mx) {
  float sum = 0;
  for (int t = 0; t < len; ++t) {
    sc[t] = std::exp(sc[t] - mx);
    sum += sc[t];
  }
  return 1.0f / sum;
}

void attendGeneric(const float* q, const float* K, const float* V, int stride, int len, int hd, float scale, float* sc,
                   float* out) {
  float mx = -INFINITY;
  for (int t = 0; t < len; ++t) {
    const float* k = K + size_t(t) * size_t(stride);
    float s = 0;
    for (int j = 0; j < hd; ++j) s += q[j] * k[j];
    sc[t] = s * scale;
    mx = std::max(mx, sc[t]);
  }
  const float inv = expAndInverseSum(sc, len, mx);
  for (int j = 0; j < hd; ++j) out[j] = 0.0f;
  for (int t = 0; t < len; ++t) {
    const float p = sc[t] * inv;
    const float* v = V + size_t(t) * size_t(stride);
    for (int j = 0; j < hd; ++j) out[j] += p * v[j];
  }
}

#ifdef FEDMRG_X86
FEDMRG_SIMD inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

FEDMRG_SIMD inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
FEDMRG_SIMD inline __m256 load8(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// Three input rows at once (prefill, beam 3): half a panel (4 weight rows) x 3 inputs = 12 accumulators, so each
// weight load feeds three FMAs and the loop is bound by the FMA units rather than by loads (one input row at a time
// needs 9 loads per 8 FMAs).
template <typename T>
FEDMRG_SIMD inline __attribute__((always_inline)) void fma4x3(const T* w, __m256 v0, __m256 v1, __m256 v2,
                                                              __m256 (&a)[4][3]) {
#pragma GCC unroll 4
  for (int q = 0; q < 4; ++q) {
    const __m256 wv = load8(w + q * 8);
    a[q][0] = _mm256_fmadd_ps(wv, v0, a[q][0]);
    a[q][1] = _mm256_fmadd_ps(wv, v1, a[q][1]);
    a[q][2] = _mm256_fmadd_ps(wv, v2, a[q][2]);
  }
}

template <typename T>
FEDMRG_SIMD void panelTimesThreeRows(const T* panel, int full, int tail, const float* X, int ldx, float* Y, int ldy,
                                     int live) {
  const float* x0 = X;
  const float* x1 = X + ldx;
  const float* x2 = X + 2 * size_t(ldx);
  alignas(32) float xt[3][8] = {};
  if (tail)
    for (int l = 0; l < tail; ++l) {
      xt[0][l] = x0[full * 8 + l];
      xt[1][l] = x1[full * 8 + l];
      xt[2][l] = x2[full * 8 + l];
    }
  for (int half = 0; half < 2; ++half) {
    __m256 a[4][3];
#pragma GCC unroll 4
    for (int q = 0; q < 4; ++q) a[q][0] = a[q][1] = a[q][2] = _mm256_setzero_ps();
    const T* w = panel + half * 4 * 8;
    for (int g = 0; g < full; ++g, w += kPanelRows * 8)
      fma4x3(w, _mm256_loadu_ps(x0 + g * 8), _mm256_loadu_ps(x1 + g * 8), _mm256_loadu_ps(x2 + g * 8), a);
    if (tail) fma4x3(w, _mm256_load_ps(xt[0]), _mm256_load_ps(xt[1]), _mm256_load_ps(xt[2]), a);
    for (int q = 0; q < 4; ++q) {
      const int row = half * 4 + q;
      if (row >= live) break;
      for (int i = 0; i < 3; ++i) Y[size_t(i) * size_t(ldy) + size_t(row)] = hsum(a[q][i]);
    }
  }
}

// Packed panels: eight accumulators (one per panel row) hide the FMA latency, and every load is the next 32 bytes.
// The loops over the panel's rows must be unrolled (the pragmas) so that the accumulators live in registers: left
// to itself, GCC -O2 keeps them on the stack and every FMA waits on a store-to-load round trip.
// Several input rows re-read the panel (k * 8 values, a few KiB) from L1, so prefill and beams read DRAM once too.
template <typename T>
FEDMRG_SIMD void packedSimd(const T* P, int rows, int k, const float* X, int ldx, int nx, float* Y, int ldy, int n0,
                            int n1) {
  const int groups = (k + 7) / 8, full = k / 8, tail = k - full * 8;
  alignas(32) float xt[8] = {};
  for (int i0 = n0; i0 < n1; i0 += kPanelRows) {
    const T* panel = P + size_t(i0) * size_t(groups) * 8;
    const int live = std::min({kPanelRows, n1 - i0, rows - i0});
    int r = 0;
    for (; r + 3 <= nx; r += 3)
      panelTimesThreeRows(panel, full, tail, X + size_t(r) * size_t(ldx), ldx, Y + size_t(r) * size_t(ldy) + size_t(i0),
                          ldy, live);
    for (; r < nx; ++r) {
      const float* x = X + size_t(r) * size_t(ldx);
      __m256 acc[kPanelRows];
#pragma GCC unroll 8
      for (int q = 0; q < kPanelRows; ++q) acc[q] = _mm256_setzero_ps();
      const T* w = panel;
      for (int g = 0; g < full; ++g, w += kPanelRows * 8) {
        const __m256 xv = _mm256_loadu_ps(x + g * 8);
#pragma GCC unroll 8
        for (int q = 0; q < kPanelRows; ++q) acc[q] = _mm256_fmadd_ps(load8(w + q * 8), xv, acc[q]);
      }
      if (tail) {  // the padded last group: zero weights, and x copied so nothing past its end is read
        for (int l = 0; l < 8; ++l) xt[l] = l < tail ? x[full * 8 + l] : 0.0f;
        const __m256 xv = _mm256_load_ps(xt);
#pragma GCC unroll 8
        for (int q = 0; q < kPanelRows; ++q) acc[q] = _mm256_fmadd_ps(load8(w + q * 8), xv, acc[q]);
      }
      float* y = Y + size_t(r) * size_t(ldy) + size_t(i0);
      if (live == kPanelRows) {
        // Transpose-and-add the eight accumulators into one vector of eight sums.
        const __m256 s01 = _mm256_hadd_ps(acc[0], acc[1]), s23 = _mm256_hadd_ps(acc[2], acc[3]);
        const __m256 s45 = _mm256_hadd_ps(acc[4], acc[5]), s67 = _mm256_hadd_ps(acc[6], acc[7]);
        const __m256 s0123 = _mm256_hadd_ps(s01, s23), s4567 = _mm256_hadd_ps(s45, s67);
        const __m256 lo = _mm256_permute2f128_ps(s0123, s4567, 0x20), hi = _mm256_permute2f128_ps(s0123, s4567, 0x31);
        _mm256_storeu_ps(y, _mm256_add_ps(lo, hi));
      } else {
        for (int q = 0; q < live; ++q) y[q] = hsum(acc[q]);
      }
    }
  }
}

// One function per head rather than a call per cached position: the dot products and the weighted sum of the
// values stay in registers for the usual head sizes (a multiple of 8).
FEDMRG_SIMD void attendSimd(const float* q, const float* K, const float* V, int stride, int len, int hd, float scale,
                            float* sc, float* out) {
  const int hd8 = hd & ~7;
  float mx = -INFINITY;
  for (int t = 0; t < len; ++t) {
    const float* k = K + size_t(t) * size_t(stride);
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    int j = 0;
    for (; j + 16 <= hd8; j += 16) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + j), _mm256_loadu_ps(k + j), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + j + 8), _mm256_loadu_ps(k + j + 8), a1);
    }
    for (; j < hd8; j += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + j), _mm256_loadu_ps(k + j), a0);
    float s = hsum(_mm256_add_ps(a0, a1));
    for (; j < hd; ++j) s += q[j] * k[j];
    sc[t] = s * scale;
    mx = std::max(mx, sc[t]);
  }
  const float inv = expAndInverseSum(sc, len, mx);
  int j = 0;
  for (; j + 32 <= hd8; j += 32) {  // four vectors of the output at a time
    __m256 o0 = _mm256_setzero_ps(), o1 = o0, o2 = o0, o3 = o0;
    for (int t = 0; t < len; ++t) {
      const float* v = V + size_t(t) * size_t(stride) + j;
      const __m256 p = _mm256_set1_ps(sc[t]);
      o0 = _mm256_fmadd_ps(p, _mm256_loadu_ps(v), o0);
      o1 = _mm256_fmadd_ps(p, _mm256_loadu_ps(v + 8), o1);
      o2 = _mm256_fmadd_ps(p, _mm256_loadu_ps(v + 16), o2);
      o3 = _mm256_fmadd_ps(p, _mm256_loadu_ps(v + 24), o3);
    }
    const __m256 iv = _mm256_set1_ps(inv);
    _mm256_storeu_ps(out + j, _mm256_mul_ps(o0, iv));
    _mm256_storeu_ps(out + j + 8, _mm256_mul_ps(o1, iv));
    _mm256_storeu_ps(out + j + 16, _mm256_mul_ps(o2, iv));
    _mm256_storeu_ps(out + j + 24, _mm256_mul_ps(o3, iv));
  }
  for (; j < hd; ++j) {
    float o = 0;
    for (int t = 0; t < len; ++t) o += sc[t] * V[size_t(t) * size_t(stride) + size_t(j)];
    out[j] = o * inv;
  }
}

bool haveSimd() {
  static const bool have =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
  return have;
}
#else
bool haveSimd() { return false; }
#endif

template <typename T>
void packAny(const float* W, int rows, int k, T* dst) {
  const int groups = (k + 7) / 8;
  const int padded = (rows + kPanelRows - 1) / kPanelRows * kPanelRows;
  for (int i0 = 0; i0 < padded; i0 += kPanelRows)
    for (int g = 0; g < groups; ++g)
      for (int q = 0; q < kPanelRows; ++q)
        for (int l = 0; l < 8; ++l) {
          const int i = i0 + q, j = g * 8 + l;
          const float v = (i < rows && j < k) ? W[size_t(i) * size_t(k) + size_t(j)] : 0.0f;
          if constexpr (std::is_same_v<T, float>) {
            *dst++ = v;
          } else {
            *dst++ = floatToHalf(v);
          }
        }
}

template <typename T>
void packedAny(const T* P, int rows, int k, const float* X, int ldx, int nx, float* Y, int ldy, int n0, int n1) {
  if (n0 % kPanelRows != 0) throw std::invalid_argument("linearPacked: n0 must be a multiple of kPanelRows");
  n1 = std::min(n1, rows);
  if (n0 >= n1 || nx <= 0) return;
#ifdef FEDMRG_X86
  if (haveSimd()) return packedSimd(P, rows, k, X, ldx, nx, Y, ldy, n0, n1);
#endif
  packedGeneric(P, rows, k, X, ldx, nx, Y, ldy, n0, n1);
}

}  // namespace

size_t packedSize(int rows, int k) {
  return size_t((rows + kPanelRows - 1) / kPanelRows) * kPanelRows * size_t((k + 7) / 8) * 8;
}
void packRows(const float* W, int rows, int k, float* dst) { packAny(W, rows, k, dst); }
void packRows(const float* W, int rows, int k, uint16_t* dst) { packAny(W, rows, k, dst); }
void linearPacked(const float* P, int rows, int k, const float* X, int ldx, int nx, float* Y, int ldy, int n0,
                  int n1) {
  packedAny(P, rows, k, X, ldx, nx, Y, ldy, n0, n1);
}
void linearPacked(const uint16_t* P, int rows, int k, const float* X, int ldx, int nx, float* Y, int ldy, int n0,
                  int n1) {
  packedAny(P, rows, k, X, ldx, nx, Y, ldy, n0, n1);
}

void attendHead(const float* q, const float* K, const float* V, int stride, int len, int hd, float scale,
                float* scores, float* out) {
  if (len <= 0) return;
#ifdef FEDMRG_X86
  if (haveSimd()) return attendSimd(q, K, V, stride, len, hd, scale, scores, out);
#endif
  attendGeneric(q, K, V, stride, len, hd, scale, scores, out);
}

const char* linearKernelName() { return haveSimd() ? "avx2+fma+f16c" : "generic"; }

}  // namespace fedmrg::engine
