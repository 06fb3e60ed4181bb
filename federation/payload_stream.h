#pragma once
// Splits a Payload into protocol chunks and reassembles it, validating as it goes, so that a
// payload of any size streams through gRPC without approaching a message size limit.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "federation/payload.h"

namespace fedmrg::federation::v1 {
class PayloadChunk;
}

namespace fedmrg::federation {

// Default data chunk: 1 MiB keeps each message far below gRPC's 4 MiB default limit.
constexpr size_t kDefaultChunkBytes = 1u << 20;

// Calls `send` with the header chunk and then the data chunks; stops early when send returns false.
// Returns false when a send failed.
bool streamPayload(const Payload& payload, size_t chunkBytes,
                   const std::function<bool(const v1::PayloadChunk&)>& send);

// Every byte the payload puts on the wire: the serialized sizes of its chunk messages, as both
// sides count them for the round's byte totals.
uint64_t wirePayloadBytes(const Payload& payload, size_t chunkBytes);

// Rebuilds a Payload from chunks. Rejects (with a reason) a missing or repeated header, data past
// the announced size, bad shapes, an oversized payload and a digest mismatch.
class PayloadAssembler {
 public:
  explicit PayloadAssembler(uint64_t maxBytes);
  ~PayloadAssembler();
  // False on a protocol violation; error() then says why.
  bool add(const v1::PayloadChunk& chunk);
  // Checks completeness and the digest; false with error() set otherwise.
  bool finish();
  const std::string& error() const { return error_; }
  uint64_t receivedBytes() const { return received_; }
  const Sha256& digest() const { return digest_; }
  Payload take() { return std::move(payload_); }

 private:
  bool fail(std::string why);
  uint64_t maxBytes_;
  bool haveHeader_ = false;
  uint64_t expected_ = 0;
  uint64_t received_ = 0;
  size_t tensorIndex_ = 0;
  std::vector<uint64_t> sizes_;  // each tensor's announced byte_size
  Sha256 announced_{};
  Sha256 digest_{};
  std::string error_;
  Payload payload_;
};

}  // namespace fedmrg::federation
