#pragma once
// Test matrices for the codec suites: seeded noise, and changes with a decaying spectrum like the
// updates of a LoRA adapter (a few strong directions and a tail).
#include <cmath>
#include <random>

#include "federation/lowrank_basis.h"

namespace fedmrg::federation::testing {

inline Matrix randomMatrix(int64_t rows, int64_t cols, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  Matrix m(rows, cols);
  for (auto& v : m.values) v = normal(rng);
  return m;
}

// sum over i < terms of 2^-i u_i v_iᵀ with random u, v: singular values fall by half per term.
inline Matrix decayingSpectrum(int64_t rows, int64_t cols, int terms, uint32_t seed) {
  const Matrix u = randomMatrix(rows, terms, seed);
  const Matrix v = randomMatrix(cols, terms, seed + 1);
  Matrix m(rows, cols);
  for (int t = 0; t < terms; ++t) {
    const float w = std::ldexp(1.0f, -t);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) m.at(i, j) += w * u.at(i, t) * v.at(j, t);
  }
  return m;
}

inline Matrix difference(const Matrix& a, const Matrix& b) {
  Matrix d = a;
  for (size_t i = 0; i < d.values.size(); ++i) d.values[i] -= b.values[i];
  return d;
}

inline double relativeError(const Matrix& approximation, const Matrix& truth) {
  return std::sqrt(difference(approximation, truth).squaredNorm() / truth.squaredNorm());
}

}  // namespace fedmrg::federation::testing
