#pragma once
// A site's upload as the round's aggregator reads it back from its spilled file (round_blobs.h), one tensor
// at a time: the file is checked against its digest once, its tensors are indexed by file offset, and each
// read decodes only the tensor asked for. The aggregator's robust rules read every upload again in blocks at
// the end of the round, so the coordinator never holds more than one decoded tensor of an upload.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "federation/payload.h"
#include "federation/round_aggregator.h"

namespace fedmrg::coordinator {

class SpilledUpdate final : public federation::UpdateSource {
 public:
  // `shapes`: the matrix each tensor decodes to (the aggregator's shapes). Throws std::runtime_error naming
  // the file when it cannot be read, does not match `digestHex`, or is not a well-formed payload.
  SpilledUpdate(std::string path, const std::string& digestHex,
                std::map<std::string, std::pair<int64_t, int64_t>> shapes);

  std::vector<std::string> names() const override;
  federation::Matrix tensor(const std::string& name) const override;

 private:
  struct Piece {
    uint64_t offset, size;  // in the file
  };
  struct Entry {
    federation::WireTensor meta;  // without its bytes
    std::vector<Piece> pieces;    // where its bytes lie (data chunks run across tensor boundaries)
  };
  void index();

  std::string path_;
  std::map<std::string, std::pair<int64_t, int64_t>> shapes_;
  std::vector<Entry> entries_;
};

}  // namespace fedmrg::coordinator
