#include "engine/infer/linear_kernels.h"

#include <cstddef>

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

template <typename T>
void linearGeneric(const T* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1) {
  for (int i = n0; i < n1; ++i) {
    const T* w = W + size_t(i) * size_t(k);
    for (int r = 0; r < rows; ++r) {
      const float* x = X + size_t(r) * size_t(ldx);
      float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      int j = 0;
      for (; j + 8 <= k; j += 8)
        for (int l = 0; l < 8; ++l) acc[l] += toFloat(w[j + l]) * x[j + l];
      float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
      for (; j < k; ++j) s += toFloat(w[j]) * x[j];
      Y[size_t(r) * size_t(ldy) + size_t(i)] = s;
    }
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

// R input rows share each load of a weight row: prefill and batched beams read the weights once.
template <int R, typename T>
FEDMRG_SIMD void rowsSimd(const T* W, int k, const float* X, int ldx, float* Y, int ldy, int n0, int n1) {
  const int k8 = k & ~7;
  for (int i = n0; i < n1; ++i) {
    const T* w = W + size_t(i) * size_t(k);
    __m256 acc[R];
    for (int q = 0; q < R; ++q) acc[q] = _mm256_setzero_ps();
    for (int j = 0; j < k8; j += 8) {
      const __m256 wv = load8(w + j);
      for (int q = 0; q < R; ++q) acc[q] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(X + size_t(q) * size_t(ldx) + j), acc[q]);
    }
    for (int q = 0; q < R; ++q) {
      const float* x = X + size_t(q) * size_t(ldx);
      float s = hsum(acc[q]);
      for (int j = k8; j < k; ++j) s += toFloat(w[j]) * x[j];
      Y[size_t(q) * size_t(ldy) + size_t(i)] = s;
    }
  }
}

// One input row (the decode step): four weight rows share each load of the input.
template <typename T>
FEDMRG_SIMD void rowSimd(const T* W, int k, const float* x, float* y, int n0, int n1) {
  const int k8 = k & ~7;
  int i = n0;
  for (; i + 4 <= n1; i += 4) {
    const T* w0 = W + size_t(i) * size_t(k);
    const T* w1 = w0 + k;
    const T* w2 = w1 + k;
    const T* w3 = w2 + k;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int j = 0; j < k8; j += 8) {
      const __m256 xv = _mm256_loadu_ps(x + j);
      a0 = _mm256_fmadd_ps(load8(w0 + j), xv, a0);
      a1 = _mm256_fmadd_ps(load8(w1 + j), xv, a1);
      a2 = _mm256_fmadd_ps(load8(w2 + j), xv, a2);
      a3 = _mm256_fmadd_ps(load8(w3 + j), xv, a3);
    }
    float s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
    for (int j = k8; j < k; ++j) {
      s0 += toFloat(w0[j]) * x[j];
      s1 += toFloat(w1[j]) * x[j];
      s2 += toFloat(w2[j]) * x[j];
      s3 += toFloat(w3[j]) * x[j];
    }
    y[i] = s0;
    y[i + 1] = s1;
    y[i + 2] = s2;
    y[i + 3] = s3;
  }
  if (i < n1) rowsSimd<1>(W, k, x, k, y, 0, i, n1);
}

template <typename T>
FEDMRG_SIMD void linearSimd(const T* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1) {
  int r = 0;
  for (; r + 4 <= rows; r += 4)
    rowsSimd<4>(W, k, X + size_t(r) * size_t(ldx), ldx, Y + size_t(r) * size_t(ldy), ldy, n0, n1);
  const float* x = X + size_t(r) * size_t(ldx);
  float* y = Y + size_t(r) * size_t(ldy);
  switch (rows - r) {
    case 3:
      rowsSimd<3>(W, k, x, ldx, y, ldy, n0, n1);
      break;
    case 2:
      rowsSimd<2>(W, k, x, ldx, y, ldy, n0, n1);
      break;
    case 1:
      rowSimd(W, k, x, y, n0, n1);
      break;
    default:
      break;
  }
}

FEDMRG_SIMD float dotSimd(const float* a, const float* b, int n) {
  __m256 acc = _mm256_setzero_ps();
  int j = 0;
  for (; j + 8 <= n; j += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), acc);
  float s = hsum(acc);
  for (; j < n; ++j) s += a[j] * b[j];
  return s;
}

FEDMRG_SIMD void axpySimd(float a, const float* x, float* y, int n) {
  const __m256 av = _mm256_set1_ps(a);
  int j = 0;
  for (; j + 8 <= n; j += 8)
    _mm256_storeu_ps(y + j, _mm256_fmadd_ps(av, _mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
  for (; j < n; ++j) y[j] += a * x[j];
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
void linearAny(const T* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1) {
#ifdef FEDMRG_X86
  if (haveSimd()) return linearSimd(W, k, X, ldx, rows, Y, ldy, n0, n1);
#endif
  linearGeneric(W, k, X, ldx, rows, Y, ldy, n0, n1);
}

}  // namespace

void linearRows(const float* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1) {
  linearAny(W, k, X, ldx, rows, Y, ldy, n0, n1);
}

void linearRows(const uint16_t* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1) {
  linearAny(W, k, X, ldx, rows, Y, ldy, n0, n1);
}

float dotProduct(const float* a, const float* b, int n) {
#ifdef FEDMRG_X86
  if (haveSimd()) return dotSimd(a, b, n);
#endif
  float s = 0;
  for (int j = 0; j < n; ++j) s += a[j] * b[j];
  return s;
}

void axpy(float a, const float* x, float* y, int n) {
#ifdef FEDMRG_X86
  if (haveSimd()) return axpySimd(a, x, y, n);
#endif
  for (int j = 0; j < n; ++j) y[j] += a * x[j];
}

const char* linearKernelName() { return haveSimd() ? "avx2+fma+f16c" : "generic"; }

}  // namespace fedmrg::engine
