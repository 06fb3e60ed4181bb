#pragma once
// An update payload: the tensors one site sends (or the coordinator returns) in one round,
// with the identity fields every upload carries. Plain C++ so that codecs and tests need no gRPC.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace fedmrg::federation {

enum class WireDType : uint8_t { Float32 = 1, Float16 = 2, Int8 = 3 };
enum class WireEncoding : uint8_t { Dense = 1, LowRankP = 2, LowRankQ = 3 };

struct WireTensor {
  std::string name;
  WireDType dtype = WireDType::Float32;
  WireEncoding encoding = WireEncoding::Dense;
  std::vector<int64_t> shape;
  // Plain: little-endian element data. Framed: a codec frame (tensor_codec.h) whose body may be
  // compressed, so its size is bounded by the shape rather than equal to it.
  std::string bytes;
  bool framed = false;

  size_t elementSize() const { return dtype == WireDType::Float16 ? 2 : dtype == WireDType::Int8 ? 1 : 4; }
  int64_t elementCount() const;
};

struct Payload {
  std::string siteId;
  uint64_t round = 0;
  uint64_t baseVersion = 0;
  uint64_t sampleCount = 0;
  std::vector<WireTensor> tensors;

  uint64_t totalBytes() const;
};

using Sha256 = std::array<uint8_t, 32>;

// Digest of the tensors' bytes in order, as carried in the payload header.
Sha256 payloadDigest(const Payload& p);
std::string toHex(const Sha256& d);

}  // namespace fedmrg::federation
