#pragma once
// The coordinator's durable state behind one interface (docs/federation.md, "State"): registered sites,
// rounds and their phases, uploads received, published global versions, and a few named values (the
// codec's basis digests, the server's own error feedback). Backends: memory (tests), SQLite in WAL mode
// (the embedded default) and PostgreSQL (a consortium that outgrows one machine).
//
// Every call is one transaction. The coordinator acknowledges an upload to its site only after
// recordUpload() returned, and publishes a global version only through publishGlobal(), which also closes
// the round: after a SIGKILL at any point a restart sees every acknowledged upload and either the closed
// round with its version or the open round without it. Payload bytes are not kept here but in a
// BlobStore (files named by their digest); records hold the digests.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::coordinator {

// A state failure; what() names the backend (file or server, never a password) and the reason.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class RoundPhase {
  Open,         // accepting uploads until the deadline or enough sites
  Aggregating,  // no more uploads; the aggregate is being computed
  Closed,       // its global version is published
  Failed,       // closed without a version (too few sites by the deadline); `note` says why
};
const char* roundPhaseName(RoundPhase p);  // "open", "aggregating", "closed", "failed"
std::optional<RoundPhase> parseRoundPhase(const std::string& name);

struct RoundRecord {
  uint64_t round = 0;         // 1, 2, ...
  RoundPhase phase = RoundPhase::Open;
  uint64_t baseVersion = 0;   // the global version the sites start from
  int64_t openedAtMs = 0;     // Unix time in milliseconds
  int64_t deadlineMs = 0;
  std::string task;           // what GetTask answers for this round (serialized; opaque to the store)
  std::string note;           // why the round failed, when it did
};

struct GlobalVersion {
  uint64_t version = 0;       // 1, 2, ... (0 is the base model and is never stored)
  uint64_t round = 0;         // the round that produced it
  std::string digestHex;      // SHA-256 of the payload's tensor bytes (federation::payloadDigest)
  std::string blobDigest;     // where the serialized payload lies in the blob store
  int64_t createdAtMs = 0;
};

struct SiteRecord {
  std::string siteId;           // the certificate's common name
  std::string certFingerprint;  // SHA-256 of the DER certificate, lower-case hex
  bool revoked = false;
  int64_t joinedAtMs = 0;
  int64_t lastSeenMs = 0;
  int64_t certNotBefore = 0;  // the registered certificate's notBefore (Unix s): a later one is a renewal
};

struct UploadRecord {
  uint64_t round = 0;
  std::string siteId;
  std::string idempotencyKey;   // chosen by the site; a retry carries the same key
  std::string blobDigest;       // the spilled upload in the blob store
  uint64_t sampleCount = 0;
  uint64_t wireBytes = 0;       // serialized protocol bytes received
  int64_t receivedAtMs = 0;
};

class CoordinatorState {
 public:
  virtual ~CoordinatorState() = default;
  // "memory", "sqlite:<file>" or "postgresql:<host:port/db>" (no password), for logs and errors.
  virtual std::string describe() const = 0;

  // Sites: insert or update by siteId.
  virtual void putSite(const SiteRecord& site) = 0;
  virtual std::optional<SiteRecord> site(const std::string& siteId) = 0;
  virtual std::vector<SiteRecord> sites() = 0;  // ordered by siteId

  // Rounds: insert or update by round number.
  virtual void putRound(const RoundRecord& round) = 0;
  virtual std::optional<RoundRecord> round(uint64_t round) = 0;
  virtual std::optional<RoundRecord> latestRound() = 0;

  // Records an accepted upload. False (and nothing written) when the round already has an upload from
  // this site or one with this idempotency key: a duplicate, which the caller answers with the first
  // upload's acknowledgement.
  virtual bool recordUpload(const UploadRecord& upload) = 0;
  virtual std::optional<UploadRecord> uploadByKey(const std::string& idempotencyKey) = 0;
  virtual std::vector<UploadRecord> uploads(uint64_t round) = 0;  // ordered by receivedAtMs, siteId

  // Publishes `version` and stores `closedRound` (phase Closed) in one transaction.
  virtual void publishGlobal(const GlobalVersion& version, const RoundRecord& closedRound) = 0;
  virtual std::optional<GlobalVersion> latestGlobal() = 0;
  virtual std::optional<GlobalVersion> global(uint64_t version) = 0;

  // Small named values (a few KB at most).
  virtual void putValue(const std::string& key, const std::string& value) = 0;
  virtual std::optional<std::string> value(const std::string& key) = 0;
};

// State in memory: for tests, and for a coordinator run with --state memory (lost at exit).
std::unique_ptr<CoordinatorState> openMemoryState();

}  // namespace fedmrg::coordinator
