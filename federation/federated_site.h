#pragma once
// A site's side of the federation (docs/federation.md, "Site client"): join, poll for a task, download the
// global versions it lacks, train through the caller's callback (sending heartbeats meanwhile), encode the
// change (low-rank with error feedback under FedMRG), upload with retry and exponential backoff, and start
// over, on its own thread so that it never blocks its caller. What must survive a restart (the upload in
// flight with its idempotency key, the error-feedback residuals) is kept in a small file the caller names;
// the global versions are downloaded again after a restart.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "federation/global_model.h"
#include "federation/site_transport.h"

namespace fedmrg::federation {

struct TrainRequest {
  uint64_t round = 0;
  uint64_t baseVersion = 0;
  std::string strategy;
  double proximalMu = 0;  // FedProx: weight of the proximal term |w - global|² / 2 in the site's loss
  const std::vector<FederatedTensorSpec>* tensors = nullptr;
  // The global change accumulated since the base model, per federated tensor (rows x cols).
  const std::map<std::string, Matrix>* global = nullptr;
  const std::atomic<bool>* cancelled = nullptr;  // training should poll it and stop early
};

struct TrainResult {
  std::map<std::string, Matrix> tensors;  // the site's new values, same convention and shapes as `global`
  uint64_t sampleCount = 0;               // its weight in the average
};

using TrainFunction = std::function<TrainResult(const TrainRequest&)>;

struct FederatedSiteOptions {
  // The site's id in the consortium: with the codec's seed and the round it seeds the stochastic rounding of the
  // site's low-rank uploads (round_seeds.h), so that the same training gives the same upload bytes.
  std::string siteId;
  std::string stateFile;       // the site's small state file (and stateFile + ".ef" for the residuals)
  uint64_t stopAtVersion = 0;  // stop once this global version is applied (0: when the coordinator says done)
  int pollMs = 300;
  int maxAttempts = 8;  // per call, for transient failures
  int backoffMs = 200;  // first retry delay, doubled each time up to maxBackoffMs
  int maxBackoffMs = 5000;
  // While the training callback runs, a Heartbeat every this many ms: a long local training is a live site
  // to the coordinator (its last-seen time in GetStatus), not a silent one. 0: none.
  int heartbeatMs = 10000;
  std::function<void(const std::string&)> onEvent;  // one line per event, from the site's thread
  // After each global version is applied, with its number and the accumulated global change (from the site's
  // thread): a site keeps its model of each version this way (the FL benchmark scores them). Optional.
  std::function<void(uint64_t version, const std::map<std::string, Matrix>& global)> onApplied;
};

class FederatedSite {
 public:
  FederatedSite(std::unique_ptr<SiteTransport> transport, TrainFunction train, FederatedSiteOptions options);
  ~FederatedSite();  // cancels and joins
  FederatedSite(const FederatedSite&) = delete;
  FederatedSite& operator=(const FederatedSite&) = delete;

  void start();
  void cancel();
  // Waits for the loop to end (timeoutMs < 0: for ever); true when it has.
  bool wait(int timeoutMs = -1);
  bool finished() const;
  // Empty after a clean finish; the reason otherwise (including "cancelled").
  std::string error() const;
  uint64_t version() const;
  std::string modelDigest() const;  // of the accumulated global change, as the coordinator's status reports it

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedmrg::federation
