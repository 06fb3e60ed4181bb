#pragma once
// A site's upload as the round's aggregator reads it back from its spilled file (round_blobs.h), one tensor
// at a time: the file is checked against its digest once, its tensors are indexed by file offset, and each
// read decodes only the tensor asked for. The aggregator's robust rules read every upload again in blocks at
// the end of the round, so the coordinator never holds more than one decoded tensor of an upload.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "federation/payload.h"
#include "federation/round_aggregator.h"

namespace fedmrg::coordinator {

// The matrix each federated tensor of the round decodes to (the aggregator's shapes), shared by every upload
// of the round so that a held upload costs a few bytes per tensor, not a copy of the names.
using SpillShapes = std::map<std::string, std::pair<int64_t, int64_t>>;

class SpilledUpdate final : public federation::UpdateSource {
 public:
  // Throws std::runtime_error naming the file when it cannot be read, does not match `digestHex`, is not a
  // well-formed payload or carries a tensor that `shapes` does not name.
  SpilledUpdate(std::string path, const std::string& digestHex, std::shared_ptr<const SpillShapes> shapes);

  ~SpilledUpdate() override;
  SpilledUpdate(const SpilledUpdate&) = delete;
  SpilledUpdate& operator=(const SpilledUpdate&) = delete;

  std::vector<std::string> names() const override;
  federation::Matrix tensor(const std::string& name) const override;
  // Writes every tensor's decoded fp32 values, in the round's order, to a scratch file beside the upload
  // (removed with this object), so that values() reads a range instead of decoding a tensor per block.
  // Without it (or when it cannot be written) values() decodes.
  void keep() const override;
  void values(const std::string& name, size_t begin, size_t end, float* out) const override;

 private:
  // Held per upload for the whole round: 16 bytes per tensor, 16 per data chunk.
  struct Entry {
    uint64_t begin;   // its bytes in the data stream
    uint32_t size;    // a frame is bounded by its shape: far below 4 GiB for a federated tensor
    uint16_t tensor;  // its position in *shapes_
    federation::WireDType dtype;
    uint8_t encoding : 7, framed : 1;
  };
  struct Chunk {
    uint64_t begin, offset;  // where a data chunk starts in the data stream and in the file
  };
  void index();
  const SpillShapes::value_type& tensorAt(uint16_t position) const;

  std::string path_;
  std::shared_ptr<const SpillShapes> shapes_;
  std::vector<Entry> entries_;
  std::vector<Chunk> chunks_;
  uint64_t dataBytes_ = 0;
  mutable bool decoded_ = false;  // the scratch file of decoded values is complete
};

}  // namespace fedmrg::coordinator
