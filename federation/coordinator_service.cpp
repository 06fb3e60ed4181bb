#include "federation/coordinator_service.h"

#include <grpcpp/grpcpp.h>

#include <stdexcept>

#include "fedmrg/federation/v1/federation.grpc.pb.h"
#include "federation/payload_stream.h"

namespace fedmrg::federation {

class CoordinatorServer::Service final : public v1::Federation::Service {
 public:
  explicit Service(CoordinatorLimits limits) : limits_(limits) {}

  grpc::Status Upload(grpc::ServerContext*, grpc::ServerReader<v1::PayloadChunk>* reader,
                      v1::UploadReply* reply) override {
    PayloadAssembler assembler(limits_.maxPayloadBytes);
    v1::PayloadChunk chunk;
    while (reader->Read(&chunk)) {
      if (!assembler.add(chunk)) break;  // stop reading; the reply says why
    }
    reply->set_received_bytes(assembler.receivedBytes());
    if (!assembler.finish()) {
      reply->set_accepted(false);
      reply->set_reason(assembler.error());
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, assembler.error());
    }
    reply->set_accepted(true);
    reply->set_sha256(assembler.digest().data(), assembler.digest().size());
    std::lock_guard<std::mutex> lock(mutex_);
    uploads_.push_back({assembler.take(), assembler.digest()});
    return grpc::Status::OK;
  }

  grpc::Status Download(grpc::ServerContext*, const v1::DownloadRequest*,
                        grpc::ServerWriter<v1::PayloadChunk>* writer) override {
    std::shared_ptr<const Payload> global;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      global = global_;
    }
    if (!global) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no global update has been published yet");
    const bool ok = streamPayload(*global, kDefaultChunkBytes,
                                  [&](const v1::PayloadChunk& c) { return writer->Write(c); });
    return ok ? grpc::Status::OK : grpc::Status(grpc::StatusCode::CANCELLED, "the site closed the stream");
  }

  void setGlobal(Payload p) {
    std::lock_guard<std::mutex> lock(mutex_);
    global_ = std::make_shared<const Payload>(std::move(p));
  }
  std::vector<AcceptedUpload> uploads() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return uploads_;
  }

 private:
  CoordinatorLimits limits_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Payload> global_;
  std::vector<AcceptedUpload> uploads_;
};

struct CoordinatorServer::ServerHolder {
  std::unique_ptr<grpc::Server> server;
};

CoordinatorServer::CoordinatorServer(CoordinatorLimits limits)
    : service_(std::make_unique<Service>(limits)), server_(std::make_unique<ServerHolder>()) {}

CoordinatorServer::~CoordinatorServer() { stop(); }

int CoordinatorServer::start(const std::string& address) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service_.get());
  server_->server = builder.BuildAndStart();
  if (!server_->server || port == 0) throw std::runtime_error("cannot listen on " + address);
  return port;
}

void CoordinatorServer::stop() {
  if (server_ && server_->server) {
    server_->server->Shutdown();
    server_->server->Wait();
    server_->server.reset();
  }
}

void CoordinatorServer::wait() {
  if (server_->server) server_->server->Wait();
}

void CoordinatorServer::setGlobal(Payload global) { service_->setGlobal(std::move(global)); }

std::vector<AcceptedUpload> CoordinatorServer::acceptedUploads() const { return service_->uploads(); }

}  // namespace fedmrg::federation
