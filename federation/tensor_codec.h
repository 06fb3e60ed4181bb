#pragma once
// Encodes one federated tensor's change for the wire and decodes it back (docs/federation.md, "Codec").
//
// A matrix change goes low-rank when that is smaller: its factor on the shared basis
// (lowrank_basis.h), as int8 with stochastic rounding (int8_factors.h) or as fp32, in a codec frame
// whose body zstd compresses. A tensor too small to gain goes dense (fp32 or fp16), framed and
// compressed the same way. The frame is what crosses the wire, so its size is the exact byte count.
//
// Frame (little-endian): "FMRC", format version (1), body kind, compression, reserved (0),
// u64 body bytes before compression, then the body. Body kinds: 1 fp32 values, 2 fp16 values,
// 3 int8 factor (u8 scale axis: 0 per column, 1 per row; f32 scales; int8 values).
#include <cstdint>
#include <stdexcept>
#include <string>

#include "federation/int8_factors.h"
#include "federation/lowrank_basis.h"
#include "federation/payload.h"

namespace fedmrg::federation {

// A frame that cannot be decoded; what() names the tensor and the reason.
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CodecSettings {
  int rank = 4;                         // basis vectors per low-rank tensor
  bool int8Factors = true;              // factors as int8 with stochastic rounding (else fp32)
  bool zstd = true;                     // compress every frame's body
  int zstdLevel = 3;
  WireDType denseType = WireDType::Float32;  // how tensors that go dense travel (fp32 or fp16)
  // A matrix goes low-rank only when its factor's body is at most this share of its dense body.
  double lowRankAtMostShare = 0.5;
  // Smaller matrices go dense: their bytes hardly count, and dense carries them without rounding.
  int64_t lowRankFromElements = 256;
};

// Whether a tensor of this shape goes low-rank under `settings` (a matrix that gains enough).
bool goesLowRank(int64_t rows, int64_t cols, const CodecSettings& settings);

// Dense frame of a change (any shape; `values` row-major).
WireTensor encodeDense(const std::string& name, const std::vector<int64_t>& shape, const std::vector<float>& values,
                       const CodecSettings& settings);
// Low-rank frame: the factor of `change` on `basis`. `roundingSeed` drives the int8 rounding.
// `sent`, when given, receives the change the frame stands for (what the receiver reconstructs), for
// error feedback.
WireTensor encodeLowRank(const std::string& name, const Matrix& change, const SharedBasis& basis,
                         const CodecSettings& settings, uint64_t roundingSeed, Matrix* sent = nullptr);
// An already aggregated factor, framed as fp32 or int8 (the coordinator's broadcast of the global change).
WireTensor encodeFactor(const std::string& name, const Matrix& factor, BasisSide side, const CodecSettings& settings,
                        uint64_t roundingSeed, Matrix* sentFactor = nullptr);

// Decodes the values of a frame: the dense values, or the factor (rows x cols as the tensor's shape).
// Throws CodecError for a damaged, truncated or inconsistent frame, or a non-finite value.
Matrix decodeFrame(const WireTensor& tensor);

// The largest frame a tensor of this shape and encoding may have: the receiver refuses to buffer more.
uint64_t maxFrameBytes(const std::vector<int64_t>& shape);

}  // namespace fedmrg::federation
