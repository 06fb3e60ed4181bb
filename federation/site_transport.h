#pragma once
// What a federated site needs from the wire (docs/federation.md, "Site client"), in plain C++ so that the
// site's loop and its training code never see gRPC: another FL engine's protocol (Flower's Fleet API, say)
// would be one more implementation of this interface. The gRPC one is grpcSiteTransport() (site_client.h).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "federation/global_model.h"
#include "federation/payload.h"

namespace fedmrg::federation {

struct CallResult {
  bool ok = false;
  bool retryable = false;  // the coordinator was unreachable or busy: try again later
  std::string reason;      // the coordinator's reason, to show the site's administrator
};

struct SiteTask {
  enum class Kind { Wait, Train, Done } kind = Kind::Wait;
  uint64_t round = 0;
  uint64_t baseVersion = 0;
  std::string baseDigest;  // hex SHA-256 of the base version's broadcast payload
  std::string strategy;
  double proximalMu = 0;
  std::vector<FederatedTensorSpec> tensors;
  std::map<std::string, std::string> basisDigests;  // low-rank tensors: hex digest of the round's basis
  CodecPlan codec;
  int64_t deadlineUnixMs = 0;
  std::string note;
};

struct UploadReceipt {
  std::string digestHex;   // what the coordinator computed
  bool duplicate = false;  // a retry answered with the first acknowledgement
  uint64_t bytesSent = 0;
};

class SiteTransport {
 public:
  virtual ~SiteTransport() = default;
  virtual CallResult join() = 0;
  virtual CallResult task(SiteTask& out) = 0;
  virtual CallResult download(uint64_t version, Payload& out, uint64_t& bytesReceived) = 0;
  virtual CallResult upload(const Payload& update, const std::string& idempotencyKey, UploadReceipt& out) = 0;
  virtual CallResult heartbeat(uint64_t round) = 0;
  // Cancels the calls in flight and makes later ones fail at once (from any thread).
  virtual void cancel() = 0;
};

}  // namespace fedmrg::federation
