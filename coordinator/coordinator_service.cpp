#include "coordinator/coordinator_service.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "coordinator/site_admission.h"
#include "coordinator/upload_streams.h"
#include "federation/payload_stream.h"
#include "federation/peer_identity.h"
#include "fedmrg/federation/v1/federation.grpc.pb.h"

namespace fedmrg::coordinator {

namespace v1 = federation::v1;

namespace {

grpc::Status toStatus(const Outcome& o) {
  switch (o.refusal) {
    case Refusal::None: return grpc::Status::OK;
    case Refusal::Unauthenticated: return {grpc::StatusCode::UNAUTHENTICATED, o.reason};
    case Refusal::PermissionDenied: return {grpc::StatusCode::PERMISSION_DENIED, o.reason};
    case Refusal::NotFound: return {grpc::StatusCode::NOT_FOUND, o.reason};
    case Refusal::FailedPrecondition: return {grpc::StatusCode::FAILED_PRECONDITION, o.reason};
    case Refusal::InvalidArgument: return {grpc::StatusCode::INVALID_ARGUMENT, o.reason};
    case Refusal::AlreadyExists: return {grpc::StatusCode::ALREADY_EXISTS, o.reason};
    case Refusal::ResourceExhausted: return {grpc::StatusCode::RESOURCE_EXHAUSTED, o.reason};
    case Refusal::DataLoss: return {grpc::StatusCode::DATA_LOSS, o.reason};
    case Refusal::Internal: return {grpc::StatusCode::INTERNAL, o.reason};
  }
  return {grpc::StatusCode::INTERNAL, o.reason};
}

// A state or disk failure inside a call becomes INTERNAL with a reason, instead of escaping into gRPC's
// thread (which would end the process).
template <typename F>
grpc::Status guarded(const RoundManager::Logger& log, F body) {
  try {
    return body();
  } catch (const std::exception& e) {
    log(std::string("event=call_failed reason=\"") + e.what() + "\"");
    return {grpc::StatusCode::INTERNAL, "the coordinator failed to answer; retry later"};
  }
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const grpc::Status kNoIdentity(grpc::StatusCode::UNAUTHENTICATED,
                               "the call carries no site identity (a client certificate, or fedmrg-site-id in "
                               "insecure loopback mode)");

}  // namespace

// Join, GetTask, Heartbeat and GetStatus use gRPC's callback API: a call waiting for the round manager queues
// on gRPC's own threads instead of taking a thread of the bounded pool, which a thousand sites polling at once
// would exhaust ("Server Threadpool Exhausted"). Uploads and downloads stay synchronous, bounded by that pool.
using PollingService = v1::Federation::WithCallbackMethod_Join<
    v1::Federation::WithCallbackMethod_GetTask<v1::Federation::WithCallbackMethod_Heartbeat<
        v1::Federation::WithCallbackMethod_GetStatus<v1::Federation::Service>>>>;

// A unary callback call answered at once with what `body` returns.
template <typename F>
grpc::ServerUnaryReactor* answer(grpc::CallbackServerContext* ctx, const RoundManager::Logger& log, F body) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(guarded(log, body));
  return reactor;
}

class CoordinatorService::Service final : public PollingService {
 public:
  Service(std::shared_ptr<RoundManager> rounds, bool insecure, int maxUploads, RoundManager::Logger log,
          std::shared_ptr<SiteAdmission> admission)
      : rounds_(std::move(rounds)),
        insecure_(insecure),
        maxUploads_(maxUploads),
        log_(std::move(log)),
        admission_(std::move(admission)),
        streams_(std::make_unique<UploadStreams>(UploadLimits{}, rounds_->maxUploadBytes())) {}

  void setLimits(const UploadLimits& l) { streams_ = std::make_unique<UploadStreams>(l, rounds_->maxUploadBytes()); }
  UploadStreams& streams() { return *streams_; }

  // The calling site, admitted: its certificate's identity, checked against the revocation list and the
  // registered fingerprint on every call (Join registers a new site). Nullopt with `refused` set otherwise.
  std::optional<federation::PeerIdentity> who(grpc::ServerContextBase* ctx, grpc::Status& refused,
                                              bool joining = false) {
    auto id = federation::peerIdentity(*ctx, insecure_);
    if (!id) {
      refused = kNoIdentity;
      return std::nullopt;
    }
    if (admission_ && id->fromCertificate) {
      const int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
      const Admission a = joining ? admission_->join(id, nowMs) : admission_->admit(id);
      if (!a.admitted()) {
        refused = admissionStatus(a);
        return std::nullopt;
      }
    }
    return id;
  }

  grpc::ServerUnaryReactor* Join(grpc::CallbackServerContext* ctx, const v1::JoinRequest*,
                                 v1::JoinReply* reply) override {
    return answer(ctx, log_, [&]() -> grpc::Status {
      grpc::Status refused;
      auto id = who(ctx, refused, true);
      if (!id) return refused;
      if (Outcome o = rounds_->join(id->siteId, id->certFingerprint); !o.ok()) return toStatus(o);
      v1::StatusReply s;
      rounds_->status(s, false);
      reply->set_site_id(id->siteId);
      reply->set_strategy(s.strategy());
      reply->set_current_round(s.round());
      reply->set_global_version(s.global_version());
      return grpc::Status::OK;
    });
  }

  grpc::ServerUnaryReactor* GetTask(grpc::CallbackServerContext* ctx, const v1::TaskRequest*,
                                    v1::TaskReply* reply) override {
    return answer(ctx, log_, [&]() -> grpc::Status {
      grpc::Status refused;
      auto id = who(ctx, refused);
      if (!id) return refused;
      return toStatus(rounds_->task(id->siteId, *reply));
    });
  }

  grpc::ServerUnaryReactor* Heartbeat(grpc::CallbackServerContext* ctx, const v1::HeartbeatRequest*,
                                      v1::HeartbeatReply* reply) override {
    return answer(ctx, log_, [&]() -> grpc::Status {
      grpc::Status refused;
      auto id = who(ctx, refused);
      if (!id) return refused;
      uint64_t round = 0;
      std::string phase;
      if (Outcome o = rounds_->heartbeat(id->siteId, round, phase); !o.ok()) return toStatus(o);
      reply->set_current_round(round);
      reply->set_phase(phase);
      return grpc::Status::OK;
    });
  }

  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* ctx, const v1::StatusRequest*,
                                      v1::StatusReply* reply) override {
    return answer(ctx, log_, [&]() -> grpc::Status {
      grpc::Status refused;
      if (!who(ctx, refused)) return refused;
      rounds_->status(*reply);
      return grpc::Status::OK;
    });
  }

  grpc::Status DownloadGlobal(grpc::ServerContext* ctx, const v1::DownloadGlobalRequest* req,
                              grpc::ServerWriter<v1::PayloadChunk>* writer) override {
    return guarded(log_, [&]() -> grpc::Status {
      grpc::Status refused;
      auto id = who(ctx, refused);
      if (!id) return refused;
      federation::Payload p;
      if (Outcome o = rounds_->global(id->siteId, req->version(), p); !o.ok()) return toStatus(o);
      uint64_t bytes = 0;
      const bool sent = federation::streamPayload(p, federation::kDefaultChunkBytes, [&](const v1::PayloadChunk& c) {
        bytes += c.ByteSizeLong();
        return writer->Write(c);
      });
      rounds_->countDownloadBytes(bytes);
      return sent ? grpc::Status::OK : grpc::Status(grpc::StatusCode::CANCELLED, "the site stopped reading");
    });
  }

  grpc::Status UploadUpdate(grpc::ServerContext* ctx, grpc::ServerReader<v1::PayloadChunk>* reader,
                            v1::UploadReply* reply) override {
    return guarded(log_, [&]() -> grpc::Status {
      grpc::Status refused;
      auto id = who(ctx, refused);
      if (!id) return refused;
      // Bounded streams: a stream holds at most its received bytes, never what its header announced.
      struct Slot {
        std::atomic<int>& n;
        ~Slot() { --n; }
      } slot{active_};
      if (++active_ > maxUploads_) {
        rounds_->countRefusal();
        return {grpc::StatusCode::RESOURCE_EXHAUSTED, "too many uploads in progress; retry later"};
      }
      const auto refuse = [&](grpc::StatusCode code, const std::string& why) {
        rounds_->countRefusal();
        // Only the kind of refusal: the framing's detail may quote a tensor name the client sent.
        log_("event=upload_refused site=" + rounds_->logName(id->siteId) + " reason=\"" + why.substr(0, why.find(':')) +
             "\"");
        return grpc::Status(code, why);
      };
      // The site's quotas in the current round (which also refuses an unknown site before it sends).
      uint64_t round = 0;
      std::string phase, why;
      if (Outcome o = rounds_->heartbeat(id->siteId, round, phase); !o.ok()) {
        const grpc::Status s = toStatus(o);
        return refuse(s.error_code(), s.error_message());
      }
      const uint64_t stream = streams_->open(
          id->siteId, round, nowMs(), [ctx] { ctx->TryCancel(); }, why);
      if (!stream) return refuse(grpc::StatusCode::RESOURCE_EXHAUSTED, why);
      struct Open {
        UploadStreams& s;
        uint64_t id;
        ~Open() { s.close(id); }
      } open{*streams_, stream};
      federation::PayloadAssembler assembler(rounds_->maxUploadBytes());
      v1::PayloadChunk chunk;
      uint64_t wire = 0;
      std::optional<UploadTrailerInfo> trailer;
      while (reader->Read(&chunk)) {
        wire += chunk.ByteSizeLong();
        if (!streams_->received(stream, chunk.ByteSizeLong(), nowMs(), why))
          return refuse(grpc::StatusCode::RESOURCE_EXHAUSTED, why);
        if (trailer)
          return refuse(grpc::StatusCode::INVALID_ARGUMENT, "malformed upload: a chunk arrived after the trailer");
        if (chunk.has_trailer()) {
          trailer = UploadTrailerInfo{chunk.trailer().sha256(), chunk.trailer().sample_count(),
                                      chunk.trailer().idempotency_key()};
          continue;
        }
        if (chunk.part_case() == v1::PayloadChunk::PART_NOT_SET)
          return refuse(grpc::StatusCode::INVALID_ARGUMENT, "malformed upload: an empty chunk");
        if (!assembler.add(chunk)) {
          const bool tooBig = assembler.error().find("larger than") != std::string::npos ||
                              assembler.error().find("limit") != std::string::npos;
          return refuse(tooBig ? grpc::StatusCode::RESOURCE_EXHAUSTED : grpc::StatusCode::INVALID_ARGUMENT,
                        "malformed upload: " + assembler.error());
        }
      }
      streams_->readDone(stream);
      // A stalled stream: what it sent is dropped with the assembler (nothing of it reached the disk).
      if (streams_->idleCancelled(stream, why)) return refuse(grpc::StatusCode::DEADLINE_EXCEEDED, why);
      if (ctx->IsCancelled()) return refuse(grpc::StatusCode::CANCELLED, "the site cancelled the upload");
      if (!assembler.finish()) {
        const bool digest = assembler.error().find("digest") != std::string::npos;
        return refuse(digest ? grpc::StatusCode::DATA_LOSS : grpc::StatusCode::INVALID_ARGUMENT,
                      (digest ? "" : "truncated or malformed upload: ") + assembler.error());
      }
      if (!trailer)
        return refuse(grpc::StatusCode::INVALID_ARGUMENT, "truncated upload: the stream ended without its trailer");
      const std::string digestHex = federation::toHex(assembler.digest());
      UploadAck ack = rounds_->upload(id->siteId, assembler.take(), digestHex, *trailer, wire);
      if (!ack.outcome.ok()) return toStatus(ack.outcome);
      reply->set_accepted(true);
      reply->set_received_bytes(wire);
      federation::Sha256 d{};
      for (size_t i = 0; i < 32 && 2 * i + 1 < ack.digestHex.size(); ++i)
        d[i] = uint8_t(std::stoi(ack.digestHex.substr(2 * i, 2), nullptr, 16));
      reply->set_sha256(d.data(), d.size());
      reply->set_idempotency_key(ack.idempotencyKey);
      reply->set_round(ack.round);
      reply->set_duplicate(ack.duplicate);
      return grpc::Status::OK;
    });
  }

 private:
  std::shared_ptr<RoundManager> rounds_;
  bool insecure_;
  int maxUploads_;
  RoundManager::Logger log_;
  std::shared_ptr<SiteAdmission> admission_;
  std::atomic<int> active_{0};
  std::unique_ptr<UploadStreams> streams_;
};

struct CoordinatorService::Running {
  std::unique_ptr<grpc::Server> server;
  std::thread timer;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
};

CoordinatorService::CoordinatorService(std::shared_ptr<RoundManager> rounds,
                                       std::shared_ptr<grpc::ServerCredentials> credentials, bool insecureLoopback,
                                       int maxConcurrentUploads, RoundManager::Logger log,
                                       std::shared_ptr<SiteAdmission> admission)
    : service_(std::make_unique<Service>(rounds, insecureLoopback, maxConcurrentUploads, log, std::move(admission))),
      rounds_(std::move(rounds)),
      credentials_(std::move(credentials)),
      log_(std::move(log)) {}

CoordinatorService::~CoordinatorService() { shutdown(); }

void CoordinatorService::setUploadLimits(const UploadLimits& limits) {
  if (running_) throw std::logic_error("setUploadLimits after start");
  service_->setLimits(limits);
}

int CoordinatorService::start(const std::string& address) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, credentials_, &port);
  builder.RegisterService(service_.get());
  // Bounded threads: many sites polling at once queue rather than each getting a thread.
  grpc::ResourceQuota quota("fedmrg-coordinator");
  quota.SetMaxThreads(64);
  builder.SetResourceQuota(quota);
  auto r = std::make_unique<Running>();
  r->server = builder.BuildAndStart();
  if (!r->server || port == 0) throw std::runtime_error("cannot listen on " + address);
  r->timer = std::thread([this, rr = r.get()] {
    std::unique_lock lock(rr->mutex);
    while (!rr->stopping) {
      lock.unlock();
      try {
        if (const int n = service_->streams().cancelIdle(nowMs()); n > 0)
          log_("event=uploads_idle_cancelled count=" + std::to_string(n));
        rounds_->tick();
      } catch (const std::exception& e) {
        log_("event=tick_failed reason=\"" + std::string(e.what()) + "\"");
      }
      lock.lock();
      rr->wake.wait_for(lock, std::chrono::milliseconds(100));
    }
  });
  running_ = std::move(r);
  return port;
}

void CoordinatorService::shutdown() {
  if (!running_) return;
  {
    std::lock_guard lock(running_->mutex);
    running_->stopping = true;
  }
  running_->wake.notify_all();
  running_->timer.join();
  running_->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(3));
  running_->server->Wait();
  running_.reset();
}

}  // namespace fedmrg::coordinator
