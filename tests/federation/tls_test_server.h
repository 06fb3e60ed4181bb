#pragma once
// A real gRPC server on 127.0.0.1 for the TLS and admission suites. Its one method, "/fedmrg.test.Identity/Who"
// (a generic service, so the suites do not depend on the federation protocol's messages), answers with what
// federation::peerIdentity() found for the caller, after an optional admission check that may refuse the call.
// whoIs() calls it from a channel and returns the status and the answer.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "federation/peer_identity.h"

namespace tlstest {

using Check = std::function<grpc::Status(const std::optional<fedmrg::federation::PeerIdentity>&)>;

class IdentityService final : public grpc::CallbackGenericService {
 public:
  IdentityService(bool insecureLoopback, Check check) : insecure_(insecureLoopback), check_(std::move(check)) {}
  std::atomic<int> calls{0};  // calls that reached the handler (a refused handshake never does)

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    ++calls;
    return new Reactor(ctx, insecure_, check_);
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(grpc::GenericCallbackServerContext* ctx, bool insecure, const Check& check) {
      const auto id = fedmrg::federation::peerIdentity(*ctx, insecure);
      const grpc::Status verdict = check ? check(id) : grpc::Status::OK;
      if (!verdict.ok()) {
        Finish(verdict);
        return;
      }
      if (!id) {
        Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no identity"));
        return;
      }
      const std::string text = id->siteId + "\n" + id->certFingerprint + "\n" + id->certSerial + "\n" +
                               (id->fromCertificate ? "certificate" : "metadata");
      grpc::Slice slice(text);
      answer_ = grpc::ByteBuffer(&slice, 1);
      StartWriteAndFinish(&answer_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    grpc::ByteBuffer answer_;
  };
  bool insecure_;
  Check check_;
};

struct Server {
  std::unique_ptr<IdentityService> service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  std::string target() const { return "127.0.0.1:" + std::to_string(port); }
  ~Server() {
    if (server) server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }
};

inline std::unique_ptr<Server> startServer(const std::shared_ptr<grpc::ServerCredentials>& credentials,
                                           bool insecureLoopback = false, Check check = {}) {
  auto s = std::make_unique<Server>();
  s->service = std::make_unique<IdentityService>(insecureLoopback, std::move(check));
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", credentials, &s->port);
  builder.RegisterCallbackGenericService(s->service.get());
  s->server = builder.BuildAndStart();
  if (!s->server || s->port == 0) return nullptr;
  return s;
}

struct Answer {
  grpc::Status status;
  std::string siteId, fingerprint, serial, source;
};

inline Answer whoIs(const std::shared_ptr<grpc::Channel>& channel, const std::string& siteIdMetadata = {}) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!siteIdMetadata.empty()) ctx.AddMetadata(fedmrg::federation::kInsecureSiteIdMetadata, siteIdMetadata);
  grpc::Slice empty("");
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(&ctx, "/fedmrg.test.Identity/Who", request, &cq);
  call->StartCall();
  Answer a;
  call->Finish(&response, &a.status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (a.status.ok()) {
    std::vector<grpc::Slice> slices;
    response.Dump(&slices);
    std::string text;
    for (const auto& s : slices) text.append(reinterpret_cast<const char*>(s.begin()), s.size());
    const auto next = [&text]() {
      const size_t nl = text.find('\n');
      std::string field = text.substr(0, nl);
      text = nl == std::string::npos ? std::string() : text.substr(nl + 1);
      return field;
    };
    a.siteId = next();
    a.fingerprint = next();
    a.serial = next();
    a.source = next();
  }
  return a;
}

}  // namespace tlstest
