#include "engine/infer/linear_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define FEDMRG_X86 1
#endif

namespace fedmrg::engine {
namespace {

void linearGeneric(const float* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1) {
  for (int i = n0; i < n1; ++i) {
    const float* w = W + size_t(i) * size_t(k);
    for (int r = 0; r < rows; ++r) {
      const float* x = X + size_t(r) * size_t(ldx);
      float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      int j = 0;
      for (; j + 8 <= k; j += 8)
        for (int l = 0; l < 8; ++l) acc[l] += w[j + l] * x[j + l];
      float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
      for (; j < k; ++j) s += w[j] * x[j];
      Y[size_t(r) * size_t(ldy) + size_t(i)] = s;
    }
  }
}

#ifdef FEDMRG_X86
__attribute__((target("avx2,fma"))) inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// R input rows share each load of a weight row: prefill and batched beams read the weights once.
template <int R>
__attribute__((target("avx2,fma"))) void rowsAvx2(const float* W, int k, const float* X, int ldx, float* Y, int ldy,
                                                  int n0, int n1) {
  const int k8 = k & ~7;
  for (int i = n0; i < n1; ++i) {
    const float* w = W + size_t(i) * size_t(k);
    __m256 acc[R];
    for (int q = 0; q < R; ++q) acc[q] = _mm256_setzero_ps();
    for (int j = 0; j < k8; j += 8) {
      const __m256 wv = _mm256_loadu_ps(w + j);
      for (int q = 0; q < R; ++q) acc[q] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(X + size_t(q) * size_t(ldx) + j), acc[q]);
    }
    for (int q = 0; q < R; ++q) {
      const float* x = X + size_t(q) * size_t(ldx);
      float s = hsum(acc[q]);
      for (int j = k8; j < k; ++j) s += w[j] * x[j];
      Y[size_t(q) * size_t(ldy) + size_t(i)] = s;
    }
  }
}

// One input row (the decode step): four weight rows share each load of the input.
__attribute__((target("avx2,fma"))) void rowAvx2(const float* W, int k, const float* x, float* y, int n0, int n1) {
  const int k8 = k & ~7;
  int i = n0;
  for (; i + 4 <= n1; i += 4) {
    const float* w0 = W + size_t(i) * size_t(k);
    const float* w1 = w0 + k;
    const float* w2 = w1 + k;
    const float* w3 = w2 + k;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int j = 0; j < k8; j += 8) {
      const __m256 xv = _mm256_loadu_ps(x + j);
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + j), xv, a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + j), xv, a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + j), xv, a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + j), xv, a3);
    }
    float s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
    for (int j = k8; j < k; ++j) {
      s0 += w0[j] * x[j];
      s1 += w1[j] * x[j];
      s2 += w2[j] * x[j];
      s3 += w3[j] * x[j];
    }
    y[i] = s0;
    y[i + 1] = s1;
    y[i + 2] = s2;
    y[i + 3] = s3;
  }
  if (i < n1) rowsAvx2<1>(W, k, x, k, y, 0, i, n1);
}

__attribute__((target("avx2,fma"))) void linearAvx2(const float* W, int k, const float* X, int ldx, int rows,
                                                    float* Y, int ldy, int n0, int n1) {
  int r = 0;
  for (; r + 4 <= rows; r += 4)
    rowsAvx2<4>(W, k, X + size_t(r) * size_t(ldx), ldx, Y + size_t(r) * size_t(ldy), ldy, n0, n1);
  const float* x = X + size_t(r) * size_t(ldx);
  float* y = Y + size_t(r) * size_t(ldy);
  switch (rows - r) {
    case 3:
      rowsAvx2<3>(W, k, x, ldx, y, ldy, n0, n1);
      break;
    case 2:
      rowsAvx2<2>(W, k, x, ldx, y, ldy, n0, n1);
      break;
    case 1:
      rowAvx2(W, k, x, y, n0, n1);
      break;
    default:
      break;
  }
}

__attribute__((target("avx2,fma"))) float dotAvx2(const float* a, const float* b, int n) {
  __m256 acc = _mm256_setzero_ps();
  int j = 0;
  for (; j + 8 <= n; j += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), acc);
  float s = hsum(acc);
  for (; j < n; ++j) s += a[j] * b[j];
  return s;
}

__attribute__((target("avx2,fma"))) void axpyAvx2(float a, const float* x, float* y, int n) {
  const __m256 av = _mm256_set1_ps(a);
  int j = 0;
  for (; j + 8 <= n; j += 8)
    _mm256_storeu_ps(y + j, _mm256_fmadd_ps(av, _mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
  for (; j < n; ++j) y[j] += a * x[j];
}

bool haveAvx2() {
  static const bool have = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return have;
}
#else
bool haveAvx2() { return false; }
#endif

}  // namespace

void linearRows(const float* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1) {
#ifdef FEDMRG_X86
  if (haveAvx2()) return linearAvx2(W, k, X, ldx, rows, Y, ldy, n0, n1);
#endif
  linearGeneric(W, k, X, ldx, rows, Y, ldy, n0, n1);
}

float dotProduct(const float* a, const float* b, int n) {
#ifdef FEDMRG_X86
  if (haveAvx2()) return dotAvx2(a, b, n);
#endif
  float s = 0;
  for (int j = 0; j < n; ++j) s += a[j] * b[j];
  return s;
}

void axpy(float a, const float* x, float* y, int n) {
#ifdef FEDMRG_X86
  if (haveAvx2()) return axpyAvx2(a, x, y, n);
#endif
  for (int j = 0; j < n; ++j) y[j] += a * x[j];
}

const char* linearKernelName() { return haveAvx2() ? "avx2+fma" : "generic"; }

}  // namespace fedmrg::engine
