#pragma once
// The shared basis of the low-rank codec (docs/federation.md, "Codec"): one-sided PowerSGD.
//
// A site's change ΔW (m x n) of a federated matrix is sent as its projection on a basis every site
// holds identically: with the basis on the right (Q, n x k) the site sends F = ΔW Q (m x k), with the
// basis on the left (P, m x k) it sends G = Pᵀ ΔW (k x n). Because the basis is shared, encoding is
// linear: the weighted mean of the sites' factors is the factor of the weighted mean change, so the
// coordinator averages, bounds norms and adds noise on the factors themselves.
//
// The basis is seeded (from the consortium's seed, the tensor's name and a refresh epoch), and between
// refreshes it is warm-started from the previous round's aggregated factor, alternating sides: after a
// round on the right, P = orth(mean F); after a round on the left, Q = orth(mean Gᵀ). That is one
// power-iteration step per round on the consortium's mean change, so the basis follows the directions
// in which the sites actually move. Every site and the coordinator compute it from the same broadcast
// bytes with the same code, and a digest of the basis travels with each round's task to prove it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fedmrg::federation {

// A dense float32 matrix, row-major.
struct Matrix {
  int64_t rows = 0, cols = 0;
  std::vector<float> values;

  Matrix() = default;
  Matrix(int64_t r, int64_t c) : rows(r), cols(c), values(size_t(r * c), 0.0f) {}
  float& at(int64_t r, int64_t c) { return values[size_t(r * cols + c)]; }
  float at(int64_t r, int64_t c) const { return values[size_t(r * cols + c)]; }
  double squaredNorm() const;
};

// Which side of ΔW the basis multiplies, i.e. what the site sends.
enum class BasisSide : uint8_t {
  Right = 0,  // basis Q (n x k); the site sends ΔW Q (m x k)
  Left = 1,   // basis P (m x k); the site sends Pᵀ ΔW (k x n)
};

struct SharedBasis {
  BasisSide side = BasisSide::Right;
  Matrix vectors;  // orthonormal columns: n x k on the right, m x k on the left

  int rank() const { return int(vectors.cols); }
  // SHA-256 of side, shape and the vectors' bytes: equal digests mean every party projects alike.
  std::array<uint8_t, 32> digest() const;
};

// A deterministic pseudo-random orthonormal basis of `dim` x `rank` from the consortium seed, the
// tensor name and the refresh epoch. Identical on every machine: it uses its own generator, not the
// standard library's distributions (whose output the C++ standard leaves to each implementation).
Matrix seededOrthonormalBasis(int64_t dim, int rank, uint64_t seed, std::string_view tensorName, uint64_t epoch);

// Orthonormalizes the columns in place (modified Gram-Schmidt, twice, in double precision). A column
// that vanishes (the input had lower rank) is replaced by a seeded pseudo-random column, so that the
// result always has `cols` orthonormal columns. Throws std::invalid_argument when rows < cols.
void orthonormalizeColumns(Matrix& m, uint64_t fallbackSeed);

// The basis for a tensor of `rows` x `cols` in the first round of an epoch, on `side`. Throws
// std::invalid_argument when the rank exceeds the dimension the basis spans.
SharedBasis initialBasis(int64_t rows, int64_t cols, int rank, BasisSide side, uint64_t seed,
                         std::string_view tensorName, uint64_t epoch);

// The factor the site sends: ΔW Q (m x k) or Pᵀ ΔW (k x n). Throws std::invalid_argument on a shape mismatch.
Matrix projectOnBasis(const Matrix& change, const SharedBasis& basis);
// The change a factor stands for: F Qᵀ or P G (m x n).
Matrix expandFactor(const Matrix& factor, const SharedBasis& basis);
// The expected shape of the factor for a change of `rows` x `cols`.
std::pair<int64_t, int64_t> factorShape(int64_t rows, int64_t cols, const SharedBasis& basis);

// Next round's basis, warm-started from this round's aggregated factor and on the other side (one
// power-iteration step on the mean change). `fallbackSeed` fills directions the factor lacks.
SharedBasis nextBasis(const Matrix& aggregatedFactor, const SharedBasis& current, uint64_t fallbackSeed);

}  // namespace fedmrg::federation
