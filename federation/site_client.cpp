#include "federation/site_client.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <set>

#include "federation/payload_stream.h"
#include "federation/peer_identity.h"
#include "fedmrg/federation/v1/federation.grpc.pb.h"

namespace fedmrg::federation {

struct SiteClient::Impl {
  std::unique_ptr<v1::Federation::Stub> stub;
};

SiteClient::SiteClient(const std::string& target) : impl_(std::make_unique<Impl>()) {
  impl_->stub = v1::Federation::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
}

SiteClient::~SiteClient() = default;

namespace {
std::chrono::system_clock::time_point deadlineIn(int seconds) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}
}  // namespace

UploadResult SiteClient::upload(const Payload& payload, int timeoutSeconds) {
  UploadResult result;
  grpc::ClientContext ctx;
  ctx.set_deadline(deadlineIn(timeoutSeconds));
  v1::UploadReply reply;
  auto writer = impl_->stub->Upload(&ctx, &reply);
  streamPayload(payload, kDefaultChunkBytes, [&](const v1::PayloadChunk& c) {
    result.bytesSent += c.ByteSizeLong();
    return writer->Write(c);
  });
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  result.accepted = status.ok() && reply.accepted();
  if (!result.accepted) result.reason = !reply.reason().empty() ? reply.reason() : status.error_message();
  if (reply.sha256().size() == result.coordinatorDigest.size())
    std::memcpy(result.coordinatorDigest.data(), reply.sha256().data(), result.coordinatorDigest.size());
  return result;
}

DownloadResult SiteClient::download(uint64_t version, int timeoutSeconds) {
  DownloadResult result;
  grpc::ClientContext ctx;
  ctx.set_deadline(deadlineIn(timeoutSeconds));
  v1::DownloadRequest req;
  req.set_version(version);
  auto reader = impl_->stub->Download(&ctx, req);
  PayloadAssembler assembler(uint64_t(1) << 31);
  v1::PayloadChunk chunk;
  bool protocolOk = true;
  while (reader->Read(&chunk)) {
    result.bytesReceived += chunk.ByteSizeLong();
    if (protocolOk && !assembler.add(chunk)) protocolOk = false;
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    result.reason = status.error_message();
    return result;
  }
  if (!protocolOk || !assembler.finish()) {
    result.reason = assembler.error();
    return result;
  }
  result.ok = true;
  result.payload = assembler.take();
  return result;
}

}  // namespace fedmrg::federation

namespace fedmrg::federation {

namespace {

CallResult fromStatus(const grpc::Status& s) {
  CallResult r;
  r.ok = s.ok();
  if (!r.ok) {
    const auto c = s.error_code();
    r.retryable = c == grpc::StatusCode::UNAVAILABLE || c == grpc::StatusCode::DEADLINE_EXCEEDED ||
                  c == grpc::StatusCode::RESOURCE_EXHAUSTED || c == grpc::StatusCode::ABORTED ||
                  c == grpc::StatusCode::INTERNAL || c == grpc::StatusCode::UNKNOWN;
    r.reason = s.error_message().empty() ? "gRPC status " + std::to_string(int(c)) : s.error_message();
  }
  return r;
}

class GrpcSiteTransport final : public SiteTransport {
 public:
  GrpcSiteTransport(const std::string& target, std::shared_ptr<grpc::ChannelCredentials> creds, std::string siteId,
                    int timeout, std::shared_ptr<RateLimiter> limiter)
      : stub_(v1::Federation::NewStub(grpc::CreateChannel(target, std::move(creds)))),
        siteId_(std::move(siteId)),
        timeout_(timeout),
        limiter_(limiter ? std::move(limiter) : std::make_shared<RateLimiter>()) {}

  CallResult join() override {
    Call c(*this);
    v1::JoinRequest req;
    req.set_software_version("fedmrg site client");
    v1::JoinReply reply;
    return fromStatus(stub_->Join(c.ctx.get(), req, &reply));
  }

  CallResult task(SiteTask& out) override {
    Call c(*this);
    v1::TaskReply t;
    CallResult r = fromStatus(stub_->GetTask(c.ctx.get(), v1::TaskRequest(), &t));
    if (!r.ok) return r;
    out = SiteTask();
    out.kind = t.kind() == v1::TaskReply::TRAIN  ? SiteTask::Kind::Train
               : t.kind() == v1::TaskReply::DONE ? SiteTask::Kind::Done
                                                 : SiteTask::Kind::Wait;
    out.round = t.round();
    out.baseVersion = t.base_version();
    out.baseDigest = t.base_digest();
    out.strategy = t.strategy();
    out.proximalMu = t.proximal_mu();
    out.deadlineUnixMs = t.deadline_unix_ms();
    out.note = t.note();
    for (const auto& ts : t.tensors()) {
      out.tensors.push_back({ts.name(), {ts.shape().begin(), ts.shape().end()}});
      if (ts.low_rank() && ts.basis_sha256().size() == 32) {
        Sha256 d{};
        std::memcpy(d.data(), ts.basis_sha256().data(), 32);
        out.basisDigests[ts.name()] = toHex(d);
      }
    }
    out.codec.lowRank = t.codec().low_rank();
    out.codec.settings.rank = int(t.codec().rank());
    out.codec.seed = t.codec().seed();
    out.codec.refreshEvery = t.codec().refresh_every();
    out.codec.settings.int8Factors = t.codec().int8_factors();
    out.codec.settings.zstd = t.codec().zstd();
    return r;
  }

  CallResult download(uint64_t version, Payload& out, uint64_t& bytes) override {
    Call c(*this);
    v1::DownloadGlobalRequest req;
    req.set_version(version);
    auto reader = stub_->DownloadGlobal(c.ctx.get(), req);
    PayloadAssembler assembler(uint64_t(1) << 33);
    v1::PayloadChunk chunk;
    bool framingOk = true;
    bytes = 0;
    while (reader->Read(&chunk)) {
      bytes += chunk.ByteSizeLong();
      limiter_->take(chunk.ByteSizeLong());  // not reading on holds the coordinator back through flow control
      if (framingOk && !assembler.add(chunk)) framingOk = false;
    }
    CallResult r = fromStatus(reader->Finish());
    if (!r.ok) return r;
    if (!framingOk || !assembler.finish()) {
      r.ok = false;
      r.retryable = true;  // damaged in transit: download it again
      r.reason = "the global version arrived damaged: " + assembler.error();
      return r;
    }
    out = assembler.take();
    return r;
  }

  CallResult upload(const Payload& update, const std::string& key, UploadReceipt& out) override {
    Call c(*this);
    v1::UploadReply reply;
    auto writer = stub_->UploadUpdate(c.ctx.get(), &reply);
    out = UploadReceipt();
    bool sent = streamPayload(update, limiter_->chunkBytes(kDefaultChunkBytes), [&](const v1::PayloadChunk& ch) {
      out.bytesSent += ch.ByteSizeLong();
      limiter_->take(ch.ByteSizeLong());
      return writer->Write(ch);
    });
    if (sent) {
      v1::PayloadChunk trailer;
      const Sha256 d = payloadDigest(update);
      trailer.mutable_trailer()->set_sha256(d.data(), d.size());
      trailer.mutable_trailer()->set_sample_count(update.sampleCount);
      trailer.mutable_trailer()->set_idempotency_key(key);
      out.bytesSent += trailer.ByteSizeLong();
      sent = writer->Write(trailer);
    }
    writer->WritesDone();
    CallResult r = fromStatus(writer->Finish());
    if (r.ok && !reply.accepted()) {
      r.ok = false;
      r.reason = reply.reason();
    }
    if (reply.sha256().size() == 32) {
      Sha256 d{};
      std::memcpy(d.data(), reply.sha256().data(), 32);
      out.digestHex = toHex(d);
    }
    out.duplicate = reply.duplicate();
    return r;
  }

  CallResult heartbeat(uint64_t round) override {
    Call c(*this);
    v1::HeartbeatRequest req;
    req.set_round(round);
    v1::HeartbeatReply reply;
    return fromStatus(stub_->Heartbeat(c.ctx.get(), req, &reply));
  }

  void cancel() override {
    limiter_->cancel();
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    for (grpc::ClientContext* c : current_) c->TryCancel();
  }

 private:
  // One call's context, registered so that cancel() can reach it from another thread (the site's loop and
  // its heartbeat during training may each have a call in flight).
  struct Call {
    GrpcSiteTransport& t;
    std::unique_ptr<grpc::ClientContext> ctx = std::make_unique<grpc::ClientContext>();
    explicit Call(GrpcSiteTransport& owner) : t(owner) {
      ctx->set_deadline(deadlineIn(t.timeout_));
      if (!t.siteId_.empty()) ctx->AddMetadata(kInsecureSiteIdMetadata, t.siteId_);
      std::lock_guard lock(t.mutex_);
      if (t.cancelled_) ctx->TryCancel();
      t.current_.insert(ctx.get());
    }
    ~Call() {
      std::lock_guard lock(t.mutex_);
      t.current_.erase(ctx.get());
    }
  };
  std::unique_ptr<v1::Federation::Stub> stub_;
  std::string siteId_;
  int timeout_;
  std::shared_ptr<RateLimiter> limiter_;
  std::mutex mutex_;
  bool cancelled_ = false;
  std::set<grpc::ClientContext*> current_;
};

}  // namespace

std::unique_ptr<SiteTransport> grpcSiteTransport(const std::string& target,
                                                 std::shared_ptr<grpc::ChannelCredentials> credentials,
                                                 const std::string& insecureSiteId, int callTimeoutSeconds,
                                                 std::shared_ptr<RateLimiter> limiter) {
  return std::make_unique<GrpcSiteTransport>(target, std::move(credentials), insecureSiteId, callTimeoutSeconds,
                                             std::move(limiter));
}

CallResult coordinatorStatus(const std::string& target, std::shared_ptr<grpc::ChannelCredentials> credentials,
                             const std::string& insecureSiteId, CoordinatorStatus& out, int timeoutSeconds) {
  auto stub = v1::Federation::NewStub(grpc::CreateChannel(target, std::move(credentials)));
  grpc::ClientContext ctx;
  ctx.set_deadline(deadlineIn(timeoutSeconds));
  if (!insecureSiteId.empty()) ctx.AddMetadata(kInsecureSiteIdMetadata, insecureSiteId);
  v1::StatusReply reply;
  const CallResult r = fromStatus(stub->GetStatus(&ctx, v1::StatusRequest(), &reply));
  if (!r.ok) return r;
  out = {reply.round(), reply.phase(), reply.global_version(), reply.strategy(), reply.central_dp(),
         size_t(reply.sites_size())};
  return r;
}

}  // namespace fedmrg::federation
