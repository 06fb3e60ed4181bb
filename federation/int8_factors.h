#pragma once
// Int8 factors with stochastic rounding: each value x becomes q = floor(x / s + u) with u uniform in
// [0, 1), so that E[q s] = x (the rounding adds noise, not bias, and averages out over sites and
// rounds) and |q s - x| < s. One scale s = max|x| / 127 per basis vector: the factor's columns for a
// right basis, its rows for a left basis, because the basis vectors carry very different energy.
#include <cstdint>
#include <vector>

#include "federation/lowrank_basis.h"

namespace fedmrg::federation {

struct Int8Factor {
  int64_t rows = 0, cols = 0;
  bool scalePerRow = false;   // true: one scale per row (left basis); false: per column
  std::vector<float> scales;  // rows or cols entries
  std::vector<int8_t> values; // row-major

  float scaleOf(int64_t r, int64_t c) const { return scales[size_t(scalePerRow ? r : c)]; }
};

// Quantizes `factor`; `seed` drives the rounding (a site uses a fresh seed per round and tensor).
Int8Factor quantizeStochastic(const Matrix& factor, bool scalePerRow, uint64_t seed);
Matrix dequantize(const Int8Factor& q);

}  // namespace fedmrg::federation
