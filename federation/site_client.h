#pragma once
// A site's connection to the coordinator over gRPC: the rounds protocol behind SiteTransport
// (grpcSiteTransport), and the transport prototype's plain upload and download (SiteClient).
#include <memory>
#include <string>

#include "federation/payload.h"
#include "federation/rate_limiter.h"
#include "federation/site_transport.h"

namespace grpc {
class ChannelCredentials;
}

namespace fedmrg::federation {

struct UploadResult {
  bool accepted = false;
  std::string reason;      // the coordinator's or the transport's reason when not accepted
  uint64_t bytesSent = 0;  // serialized protocol bytes, as counted for the traffic figures
  Sha256 coordinatorDigest{};
};

struct DownloadResult {
  bool ok = false;
  std::string reason;
  uint64_t bytesReceived = 0;
  Payload payload;
};

// The rounds protocol over gRPC. `credentials`: mutual TLS (federation/tls_credentials.h) or insecure;
// `insecureSiteId`, when not empty, names the site in the "fedmrg-site-id" metadata (insecure loopback mode).
// `limiter`, when given, paces every upload and download chunk to the site's bandwidth cap.
std::unique_ptr<SiteTransport> grpcSiteTransport(const std::string& target,
                                                 std::shared_ptr<grpc::ChannelCredentials> credentials,
                                                 const std::string& insecureSiteId, int callTimeoutSeconds = 60,
                                                 std::shared_ptr<RateLimiter> limiter = nullptr);

// The coordinator's state as GetStatus reports it: what a site's administrator sees when testing the connection.
struct CoordinatorStatus {
  uint64_t round = 0;
  std::string phase;  // "open", "aggregating", "closed", "failed", "waiting"
  uint64_t globalVersion = 0;
  std::string strategy;
  bool centralDp = false;
  size_t sites = 0;
};
// One GetStatus call (mutual TLS or insecure loopback, as grpcSiteTransport takes them).
CallResult coordinatorStatus(const std::string& target, std::shared_ptr<grpc::ChannelCredentials> credentials,
                             const std::string& insecureSiteId, CoordinatorStatus& out, int timeoutSeconds = 10);

class SiteClient {
 public:
  explicit SiteClient(const std::string& target);  // "127.0.0.1:port"
  ~SiteClient();
  UploadResult upload(const Payload& payload, int timeoutSeconds = 120);
  DownloadResult download(uint64_t version = 0, int timeoutSeconds = 120);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedmrg::federation
