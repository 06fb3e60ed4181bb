#pragma once
// The coordinator's gRPC endpoint for fedmrg.federation.v1 (docs/federation.md, "Protocol"): maps each call
// to the RoundManager and each refusal to a gRPC status with its reason, checks the framing of streamed
// uploads (size limit, truncation, digest, malformed chunks) before the manager sees them, bounds the
// number of concurrent upload streams overall and per site, enforces each site's quotas per round, cancels
// streams that stop sending, and runs the timer that closes rounds at their deadline.
#include <memory>
#include <string>

#include "coordinator/round_manager.h"

namespace grpc {
class ServerCredentials;
}

namespace fedmrg::coordinator {

class SiteAdmission;

class CoordinatorService {
 public:
  // `credentials`: TLS (federation/tls_credentials.h) or insecure; `insecureLoopback` makes the site's
  // identity come from the "fedmrg-site-id" metadata instead of its certificate. `admission`, when given,
  // checks every certificate-identified call (revocation list, registered fingerprint; Join registers).
  CoordinatorService(std::shared_ptr<RoundManager> rounds, std::shared_ptr<grpc::ServerCredentials> credentials,
                     bool insecureLoopback, int maxConcurrentUploads, RoundManager::Logger log,
                     std::shared_ptr<SiteAdmission> admission = nullptr);
  ~CoordinatorService();
  CoordinatorService(const CoordinatorService&) = delete;
  CoordinatorService& operator=(const CoordinatorService&) = delete;

  // Per-site quotas and stream limits (coordinator_config.h); before start(). The defaults otherwise.
  void setUploadLimits(const UploadLimits& limits);

  // Listens ("127.0.0.1:0" picks a free port); returns the bound port. Throws std::runtime_error on failure.
  int start(const std::string& address);
  // Stops accepting calls, lets the running ones finish (up to a few seconds), stops the timer.
  void shutdown();

 private:
  class Service;
  std::unique_ptr<Service> service_;
  struct Running;
  std::unique_ptr<Running> running_;
  std::shared_ptr<RoundManager> rounds_;
  std::shared_ptr<grpc::ServerCredentials> credentials_;
  RoundManager::Logger log_;
};

}  // namespace fedmrg::coordinator
