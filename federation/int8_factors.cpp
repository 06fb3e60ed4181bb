#include "federation/int8_factors.h"

#include <algorithm>
#include <cmath>

#include "federation/codec_random.h"

namespace fedmrg::federation {

Int8Factor quantizeStochastic(const Matrix& factor, bool scalePerRow, uint64_t seed) {
  Int8Factor q;
  q.rows = factor.rows;
  q.cols = factor.cols;
  q.scalePerRow = scalePerRow;
  q.scales.assign(size_t(scalePerRow ? factor.rows : factor.cols), 0.0f);
  for (int64_t r = 0; r < factor.rows; ++r)
    for (int64_t c = 0; c < factor.cols; ++c) {
      float& s = q.scales[size_t(scalePerRow ? r : c)];
      s = std::max(s, std::fabs(factor.at(r, c)));
    }
  for (auto& s : q.scales) s /= 127.0f;
  CodecRandom rng(seed);
  q.values.resize(factor.values.size());
  for (int64_t r = 0; r < factor.rows; ++r)
    for (int64_t c = 0; c < factor.cols; ++c) {
      const float s = q.scaleOf(r, c);
      const size_t i = size_t(r * factor.cols + c);
      if (s <= 0 || !std::isfinite(s)) {
        q.values[i] = 0;
        continue;
      }
      const double scaled = double(factor.values[i]) / s + rng.uniform();
      q.values[i] = int8_t(std::clamp(std::floor(scaled), -127.0, 127.0));
    }
  return q;
}

Matrix dequantize(const Int8Factor& q) {
  Matrix m(q.rows, q.cols);
  for (int64_t r = 0; r < q.rows; ++r)
    for (int64_t c = 0; c < q.cols; ++c) {
      const size_t i = size_t(r * q.cols + c);
      m.values[i] = float(q.values[i]) * q.scaleOf(r, c);
    }
  return m;
}

}  // namespace fedmrg::federation
