#pragma once
// Payload files of the rounds (uploads received, versions published), named by the SHA-256 of the file, in a
// folder the caller gives. A file is written to a temporary name, flushed to disk and renamed, so an upload is
// on disk before it is acknowledged and a SIGKILL leaves either the whole file or none.
// (fed-state's BlobStore replaces this at merge; the file format is the payload's protocol chunks, each
// preceded by its length, so reading back re-checks the payload's digest.)
#include <string>

#include "federation/payload.h"

namespace fedmrg::coordinator {

class RoundBlobs {
 public:
  explicit RoundBlobs(std::string folder);  // creates it; throws std::runtime_error naming it
  // Writes the payload; returns the file's digest (lower-case hex).
  std::string put(const federation::Payload& payload);
  // Reads it back; throws std::runtime_error naming the file and the reason.
  federation::Payload get(const std::string& digestHex) const;
  // The file of a payload put here (spilled_update.h reads it tensor by tensor).
  std::string path(const std::string& digestHex) const;

 private:
  std::string folder_;
};

}  // namespace fedmrg::coordinator
