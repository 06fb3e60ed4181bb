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

  std::vector<std::string> names() const override;
  federation::Matrix tensor(const std::string& name) const override;

 private:
  // Held per upload for the whole round: 32 bytes per tensor, 16 per data chunk.
  struct Entry {
    const SpillShapes::value_type* tensor;  // in *shapes_
    uint64_t begin, size;                   // its bytes in the data stream
    federation::WireDType dtype;
    federation::WireEncoding encoding;
    bool framed;
  };
  struct Chunk {
    uint64_t begin, offset;  // where a data chunk starts in the data stream and in the file
  };
  void index();

  std::string path_;
  std::shared_ptr<const SpillShapes> shapes_;
  std::vector<Entry> entries_;
  std::vector<Chunk> chunks_;
  uint64_t dataBytes_ = 0;
};

}  // namespace fedmrg::coordinator
