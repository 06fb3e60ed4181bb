#pragma once
// Matrix kernels of the fast decoder: Y = X W^T over a range of W's rows, vectorized with AVX2+FMA(+F16C) when
// the CPU has it (chosen at run time; the project is not built with -march) and plain loops otherwise.
// Weights are float32, or IEEE half (uint16_t) converted on the fly; inputs and outputs are float32.
#include <cstdint>

namespace fedmrg::engine {

// For i in [n0, n1) and r in [0, rows): Y[r * ldy + i] = sum_j W[i * k + j] * X[r * ldx + j].
void linearRows(const float* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1);
void linearRows(const uint16_t* W, int k, const float* X, int ldx, int rows, float* Y, int ldy, int n0, int n1);
// Dot product of two float vectors of length n.
float dotProduct(const float* a, const float* b, int n);
// y[j] += a * x[j] for j < n.
void axpy(float a, const float* x, float* y, int n);
const char* linearKernelName();

}  // namespace fedmrg::engine
