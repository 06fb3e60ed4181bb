#pragma once
// The coordinator's gRPC endpoint: receives streamed site updates, validates them, and streams
// the current global update back. Round bookkeeping builds on top of this transport.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "federation/payload.h"

namespace fedmrg::federation {

struct CoordinatorLimits {
  uint64_t maxPayloadBytes = uint64_t(1) << 31;  // 2 GiB
};

struct AcceptedUpload {
  Payload payload;
  Sha256 digest{};
};

class CoordinatorServer {
 public:
  explicit CoordinatorServer(CoordinatorLimits limits = {});
  ~CoordinatorServer();
  CoordinatorServer(const CoordinatorServer&) = delete;
  CoordinatorServer& operator=(const CoordinatorServer&) = delete;

  // Listens on address ("127.0.0.1:0" picks a free port); returns the bound port. Throws on failure.
  int start(const std::string& address);
  void stop();
  void wait();

  // What Download streams to sites.
  void setGlobal(Payload global);
  std::vector<AcceptedUpload> acceptedUploads() const;

 private:
  class Service;
  std::unique_ptr<Service> service_;
  struct ServerHolder;
  std::unique_ptr<ServerHolder> server_;
};

}  // namespace fedmrg::federation
