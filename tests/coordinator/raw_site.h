#pragma once
// A site speaking fedmrg.federation.v1 directly over an insecure loopback channel, naming itself with the
// fedmrg-site-id metadata: for the tests that send what no honest site sends.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "federation/payload_stream.h"
#include "fedmrg/federation/v1/federation.grpc.pb.h"

namespace fedmrg::test {

// A site speaking the protocol directly (to send what no honest site sends).
class RawSite {
 public:
  RawSite(int port, std::string siteId)
      : stub_(federation::v1::Federation::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()))),
        siteId_(std::move(siteId)) {}
  std::unique_ptr<grpc::ClientContext> context() const {
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!siteId_.empty()) c->AddMetadata("fedmrg-site-id", siteId_);
    return c;
  }
  grpc::Status join() {
    federation::v1::JoinReply r;
    return stub_->Join(context().get(), {}, &r);
  }
  grpc::Status task(federation::v1::TaskReply& t) { return stub_->GetTask(context().get(), {}, &t); }
  grpc::Status status(federation::v1::StatusReply& s) { return stub_->GetStatus(context().get(), {}, &s); }
  // Downloads the broadcast that produced `version` into `out`.
  grpc::Status download(uint64_t version, federation::Payload& out) {
    federation::v1::DownloadGlobalRequest req;
    req.set_version(version);
    auto ctx = context();
    auto r = stub_->DownloadGlobal(ctx.get(), req);
    federation::PayloadAssembler assembler(uint64_t(1) << 30);
    federation::v1::PayloadChunk c;
    bool framed = true;
    while (r->Read(&c))
      if (!c.has_trailer()) framed = framed && assembler.add(c);
    grpc::Status s = r->Finish();
    if (s.ok() && !(framed && assembler.finish())) return {grpc::StatusCode::DATA_LOSS, assembler.error()};
    out = assembler.take();
    return s;
  }
  // Sends the chunks as they are and returns the status (and the reply).
  grpc::Status upload(const std::vector<federation::v1::PayloadChunk>& chunks,
                      federation::v1::UploadReply* reply = nullptr) {
    federation::v1::UploadReply r;
    auto ctx = context();
    auto w = stub_->UploadUpdate(ctx.get(), &r);
    for (const auto& c : chunks)
      if (!w->Write(c)) break;
    w->WritesDone();
    grpc::Status s = w->Finish();
    if (reply) *reply = r;
    return s;
  }

  // For calls the helpers above do not cover (a stream held open, say); use context() for its metadata.
  federation::v1::Federation::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<federation::v1::Federation::Stub> stub_;
  std::string siteId_;
};

}  // namespace fedmrg::test
