// fedmrg:internal
#pragma once
// Kernels of the fast decoder: Y = X W^T over a range of W's rows, and attention of one head. Vectorized with
// AVX2+FMA(+F16C) when the CPU has it (chosen at run time; the project is not built with -march), plain loops
// otherwise. Weights are float32, or IEEE half (uint16_t) converted on the fly; inputs and outputs are float32.
#include <cstddef>
#include <cstdint>

namespace fedmrg::engine {

// Panel-packed matrices: what the decoder stores. A row-major [rows, k] matrix is cut into panels of kPanelRows
// rows (the last one padded with zero rows); inside a panel, for each group of 8 columns (the last one padded with
// zeros), the panel's rows' 8 values follow each other. A matrix-vector product then reads memory strictly front
// to back, which is what keeps a memory-bound decode step near the bandwidth of a plain sequential read (row-major
// rows read four at a time stall the prefetchers: about a quarter of that bandwidth on a 23 MB matrix here).
constexpr int kPanelRows = 8;
// Elements of the packed form of a [rows, k] matrix.
size_t packedSize(int rows, int k);
void packRows(const float* W, int rows, int k, float* dst);
void packRows(const float* W, int rows, int k, uint16_t* dst);  // converted to IEEE half, round to nearest even
// Y[r * ldy + i] = sum_j W[i, j] * X[r * ldx + j] for r < nx and i in [n0, n1) with n0 a multiple of kPanelRows;
// P is the packed form of W [rows, k]. Rows of a panel at or beyond `rows` are not written.
void linearPacked(const float* P, int rows, int k, const float* X, int ldx, int nx, float* Y, int ldy, int n0, int n1);
void linearPacked(const uint16_t* P, int rows, int k, const float* X, int ldx, int nx, float* Y, int ldy, int n0,
                  int n1);
// Causal attention of one query head over len cached positions: out[hd] = sum_t softmax(scale * q.k_t) v_t, where
// k_t = K + t * stride and v_t = V + t * stride. scores needs len floats of scratch.
void attendHead(const float* q, const float* K, const float* V, int stride, int len, int hd, float scale,
                float* scores, float* out);
const char* linearKernelName();

}  // namespace fedmrg::engine
