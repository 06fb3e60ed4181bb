#pragma once
// The coordinator's rounds (docs/federation.md, "The round state machine"): open -> aggregating -> closed
// (a version is published) or failed (too few sites by the deadline); then the next round opens, until the
// maximum number of versions. Independent of gRPC: the service (coordinator_service.h) maps its refusals
// to statuses, so the whole state machine is testable without a network.
//
// Uploads are checked (site, round, base, tensors, NaN/Inf, norm bound, duplicate key), spilled to disk and
// recorded in the CoordinatorState before they are acknowledged, and added to the round's RoundAggregator as
// they arrive, so its memory grows with the model, not with the sites. After a restart the manager replays
// the published versions and the open round's recorded uploads and carries on with the same round.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "coordinator/coordinator_config.h"
#include "coordinator/coordinator_state.h"
#include "coordinator/round_blobs.h"
#include "federation/global_model.h"

namespace fedmrg::federation::v1 {
class TaskReply;
class StatusReply;
}  // namespace fedmrg::federation::v1

namespace fedmrg::coordinator {

// Why a call was refused, in the terms of the gRPC status the service answers with.
enum class Refusal {
  None,
  Unauthenticated,
  PermissionDenied,
  NotFound,
  FailedPrecondition,
  InvalidArgument,
  AlreadyExists,
  ResourceExhausted,
  DataLoss,
  Internal
};

struct Outcome {
  Refusal refusal = Refusal::None;
  std::string reason;  // for the site's administrator; never echoes client data other than tensor names
  bool ok() const { return refusal == Refusal::None; }
};

struct UploadAck {
  Outcome outcome;
  uint64_t round = 0;
  std::string digestHex;  // the payload digest the coordinator computed
  std::string idempotencyKey;
  bool duplicate = false;
};

struct UploadTrailerInfo {
  std::string sha256;  // 32 bytes
  uint64_t sampleCount = 0;
  std::string idempotencyKey;
};

class RoundManager {
 public:
  using Clock = std::function<int64_t()>;                  // Unix milliseconds
  using Logger = std::function<void(const std::string&)>;  // one structured line per event

  RoundManager(std::unique_ptr<CoordinatorState> state, std::string blobFolder,
               std::vector<federation::FederatedTensorSpec> tensors, federation::CodecPlan codec,
               RoundSettings settings, Clock clock, Logger log);
  ~RoundManager();

  // Registers (or refreshes) a site. Refused for a site outside the allowed list or a revoked one.
  Outcome join(const std::string& siteId, const std::string& certFingerprint);
  Outcome task(const std::string& siteId, federation::v1::TaskReply& reply);
  Outcome heartbeat(const std::string& siteId, uint64_t& round, std::string& phase);
  // `wireBytes`: the protocol bytes the upload took. `payloadDigestHex`: computed by the assembler.
  UploadAck upload(const std::string& siteId, federation::Payload payload, const std::string& payloadDigestHex,
                   const UploadTrailerInfo& trailer, uint64_t wireBytes);
  // The broadcast that produced `version`, with the wire bytes to count as sent.
  Outcome global(const std::string& siteId, uint64_t version, federation::Payload& out);
  void countDownloadBytes(uint64_t bytes);
  // `withSites` false leaves out the list of sites (a Join needs only the round and version).
  void status(federation::v1::StatusReply& reply, bool withSites = true);
  void countRefusal();

  // Advances the state machine by the clock: opens a round, closes one at its deadline. Called by the
  // service's timer and after each accepted upload.
  void tick();
  uint64_t maxUploadBytes() const;
  // Whether every version has been published.
  bool done();
  // How a log line names the caller: its id when it is a registered site, "<unknown>" otherwise (an id
  // nobody registered is client data, which never reaches a log verbatim).
  std::string logName(const std::string& siteId);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A site id fit for a log line: letters, digits, '.', '_' and '-', at most 64; others are shown as "<invalid>".
std::string loggableSiteId(const std::string& siteId);

}  // namespace fedmrg::coordinator
