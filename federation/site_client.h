#pragma once
// A site's connection to the coordinator: streams its update up and the global update down.
#include <memory>
#include <string>

#include "federation/payload.h"

namespace fedmrg::federation {

struct UploadResult {
  bool accepted = false;
  std::string reason;        // the coordinator's or the transport's reason when not accepted
  uint64_t bytesSent = 0;    // serialized protocol bytes, as counted for the traffic figures
  Sha256 coordinatorDigest{};
};

struct DownloadResult {
  bool ok = false;
  std::string reason;
  uint64_t bytesReceived = 0;
  Payload payload;
};

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
