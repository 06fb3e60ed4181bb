#pragma once
// Payload bytes of the coordinator (spilled uploads, published global versions), content-addressed: each
// blob is a file in one folder named by the SHA-256 of its bytes, so a record needs only the digest and a
// blob is never half written under its name (temp file, fsync, rename, fsync of the folder).
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/coordinator_state.h"

namespace fedmrg::coordinator {

// A blob that is missing or whose bytes no longer hash to its name; what() names the file.
class BlobError : public StateError {
 public:
  using StateError::StateError;
};

class BlobStore {
 public:
  // Creates the folder (mode 0700) when it is missing; StateError when it cannot.
  explicit BlobStore(std::string folder);

  const std::string& folder() const { return folder_; }

  // Stores bytes and returns their digest (lower-case hex). Storing the same bytes twice is a no-op.
  std::string put(std::string_view bytes);
  // A fresh temporary file in the store's folder for a writer that spills as data arrives (same file
  // system, so putFile() only renames it).
  std::string newTempPath();
  // Moves an already written file into the store under its digest (hashed while read back, fsynced)
  // and returns the digest; the temp file is gone afterwards. A file on another file system is copied.
  std::string putFile(const std::string& tempPath);

  bool contains(const std::string& digestHex) const;
  std::string pathOf(const std::string& digestHex) const;
  // The blob's bytes, verified against its name; BlobError when it is missing or damaged.
  std::string get(const std::string& digestHex) const;
  // True when the blob exists and its bytes hash to its name.
  bool verify(const std::string& digestHex) const;
  // Digests of every blob in the folder (temp files excluded), sorted.
  std::vector<std::string> list() const;

  // Removes blobs that no record references and temp files left by a killed writer, when their last
  // change is older than minAgeSeconds (a blob put a moment ago may not be recorded yet). Returns the
  // number of files removed.
  size_t collectGarbage(const std::set<std::string>& referenced, int64_t minAgeSeconds = 3600);

 private:
  std::string folder_;
};

// SHA-256 of bytes, lower-case hex.
std::string sha256Hex(std::string_view bytes);

}  // namespace fedmrg::coordinator
