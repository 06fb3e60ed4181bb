#include "federation/lowrank_basis.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "federation/codec_random.h"

namespace fedmrg::federation {

namespace {

std::string shapeText(int64_t r, int64_t c) { return std::to_string(r) + " x " + std::to_string(c); }

// Column j as doubles.
std::vector<double> column(const Matrix& m, int64_t j) {
  std::vector<double> v(static_cast<size_t>(m.rows));
  for (int64_t i = 0; i < m.rows; ++i) v[size_t(i)] = m.at(i, j);
  return v;
}

void setColumn(Matrix& m, int64_t j, const std::vector<double>& v) {
  for (int64_t i = 0; i < m.rows; ++i) m.at(i, j) = float(v[size_t(i)]);
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

std::vector<double> randomColumn(int64_t rows, CodecRandom& rng) {
  std::vector<double> v(static_cast<size_t>(rows));
  for (auto& x : v) x = rng.normal();
  return v;
}

}  // namespace

double Matrix::squaredNorm() const {
  double s = 0;
  for (float v : values) s += double(v) * v;
  return s;
}

std::array<uint8_t, 32> SharedBasis::digest() const {
  std::array<uint8_t, 32> out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
  const uint8_t s = uint8_t(side);
  const int64_t dims[2] = {vectors.rows, vectors.cols};
  EVP_DigestUpdate(ctx, &s, 1);
  EVP_DigestUpdate(ctx, dims, sizeof dims);
  EVP_DigestUpdate(ctx, vectors.values.data(), vectors.values.size() * sizeof(float));
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

void orthonormalizeColumns(Matrix& m, uint64_t fallbackSeed) {
  if (m.rows < m.cols)
    throw std::invalid_argument("cannot orthonormalize " + std::to_string(m.cols) + " columns of length " +
                                std::to_string(m.rows));
  CodecRandom rng(fallbackSeed);
  std::vector<std::vector<double>> done;
  done.reserve(size_t(m.cols));
  for (int64_t j = 0; j < m.cols; ++j) {
    std::vector<double> v = column(m, j);
    const double original = std::sqrt(dot(v, v));
    // A column that keeps less than this share of its length is numerically inside the span of the
    // columns before it; its direction would be rounding noise, so a random one replaces it.
    constexpr double kKeep = 1e-6;
    for (int attempt = 0;; ++attempt) {
      for (int pass = 0; pass < 2; ++pass)  // "twice is enough" (Kahan, Parlett)
        for (const auto& q : done) {
          const double c = dot(v, q);
          for (size_t i = 0; i < v.size(); ++i) v[i] -= c * q[i];
        }
      const double norm = std::sqrt(dot(v, v));
      if (norm > kKeep * std::max(original, 1e-30) && norm > 1e-30) {
        for (auto& x : v) x /= norm;
        break;
      }
      if (attempt > 8) throw std::runtime_error("could not complete an orthonormal basis");
      v = randomColumn(m.rows, rng);
      const double fresh = std::sqrt(dot(v, v));
      if (fresh > 0) for (auto& x : v) x /= fresh;
    }
    done.push_back(v);
    setColumn(m, j, v);
  }
}

Matrix seededOrthonormalBasis(int64_t dim, int rank, uint64_t seed, std::string_view tensorName, uint64_t epoch) {
  if (rank <= 0 || dim < rank)
    throw std::invalid_argument("a rank-" + std::to_string(rank) + " basis needs a dimension of at least " +
                                std::to_string(rank) + " (tensor '" + std::string(tensorName) + "' has " +
                                std::to_string(dim) + ")");
  const uint64_t mixed = seed ^ stableHash(tensorName) ^ (epoch * 0x9e3779b97f4a7c15ull);
  CodecRandom rng(mixed);
  Matrix m(dim, rank);
  for (auto& v : m.values) v = float(rng.normal());
  orthonormalizeColumns(m, mixed + 1);
  return m;
}

SharedBasis initialBasis(int64_t rows, int64_t cols, int rank, BasisSide side, uint64_t seed,
                         std::string_view tensorName, uint64_t epoch) {
  SharedBasis b;
  b.side = side;
  b.vectors = seededOrthonormalBasis(side == BasisSide::Right ? cols : rows, rank, seed, tensorName, epoch);
  return b;
}

std::pair<int64_t, int64_t> factorShape(int64_t rows, int64_t cols, const SharedBasis& basis) {
  return basis.side == BasisSide::Right ? std::pair{rows, basis.vectors.cols}
                                        : std::pair{basis.vectors.cols, cols};
}

Matrix projectOnBasis(const Matrix& change, const SharedBasis& basis) {
  const Matrix& b = basis.vectors;
  const int64_t k = b.cols;
  if (basis.side == BasisSide::Right) {
    if (change.cols != b.rows)
      throw std::invalid_argument("change of " + shapeText(change.rows, change.cols) +
                                  " does not fit a right basis of " + shapeText(b.rows, b.cols));
    Matrix f(change.rows, k);
    for (int64_t i = 0; i < change.rows; ++i) {
      const float* row = &change.values[size_t(i * change.cols)];
      for (int64_t c = 0; c < k; ++c) {
        double s = 0;
        for (int64_t j = 0; j < change.cols; ++j) s += double(row[j]) * b.at(j, c);
        f.at(i, c) = float(s);
      }
    }
    return f;
  }
  if (change.rows != b.rows)
    throw std::invalid_argument("change of " + shapeText(change.rows, change.cols) +
                                " does not fit a left basis of " + shapeText(b.rows, b.cols));
  std::vector<double> acc(size_t(k * change.cols), 0.0);
  for (int64_t i = 0; i < change.rows; ++i) {
    const float* row = &change.values[size_t(i * change.cols)];
    for (int64_t c = 0; c < k; ++c) {
      const double p = b.at(i, c);
      double* out = &acc[size_t(c * change.cols)];
      for (int64_t j = 0; j < change.cols; ++j) out[j] += p * row[j];
    }
  }
  Matrix g(k, change.cols);
  for (size_t i = 0; i < acc.size(); ++i) g.values[i] = float(acc[i]);
  return g;
}

Matrix expandFactor(const Matrix& factor, const SharedBasis& basis) {
  const Matrix& b = basis.vectors;
  const int64_t k = b.cols;
  if (basis.side == BasisSide::Right) {
    if (factor.cols != k) throw std::invalid_argument("factor of " + shapeText(factor.rows, factor.cols) +
                                                      " does not fit a rank-" + std::to_string(k) + " right basis");
    Matrix m(factor.rows, b.rows);
    for (int64_t i = 0; i < factor.rows; ++i)
      for (int64_t j = 0; j < b.rows; ++j) {
        double s = 0;
        for (int64_t c = 0; c < k; ++c) s += double(factor.at(i, c)) * b.at(j, c);
        m.at(i, j) = float(s);
      }
    return m;
  }
  if (factor.rows != k) throw std::invalid_argument("factor of " + shapeText(factor.rows, factor.cols) +
                                                    " does not fit a rank-" + std::to_string(k) + " left basis");
  Matrix m(b.rows, factor.cols);
  for (int64_t i = 0; i < b.rows; ++i)
    for (int64_t j = 0; j < factor.cols; ++j) {
      double s = 0;
      for (int64_t c = 0; c < k; ++c) s += b.at(i, c) * double(factor.at(c, j));
      m.at(i, j) = float(s);
    }
  return m;
}

SharedBasis nextBasis(const Matrix& aggregatedFactor, const SharedBasis& current, uint64_t fallbackSeed) {
  SharedBasis next;
  if (current.side == BasisSide::Right) {
    // F = ΔW Q (m x k): its columns span the left directions; P = orth(F).
    next.side = BasisSide::Left;
    next.vectors = aggregatedFactor;
  } else {
    // G = Pᵀ ΔW (k x n): its rows span the right directions; Q = orth(Gᵀ).
    next.side = BasisSide::Right;
    next.vectors = Matrix(aggregatedFactor.cols, aggregatedFactor.rows);
    for (int64_t i = 0; i < aggregatedFactor.rows; ++i)
      for (int64_t j = 0; j < aggregatedFactor.cols; ++j) next.vectors.at(j, i) = aggregatedFactor.at(i, j);
  }
  orthonormalizeColumns(next.vectors, fallbackSeed);
  return next;
}

}  // namespace fedmrg::federation
