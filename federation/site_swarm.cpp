#include "federation/site_swarm.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "federation/peer_identity.h"
#include "federation/tls_credentials.h"
#include "fedmrg/federation/v1/federation.grpc.pb.h"

namespace fedmrg::federation {

namespace {

using Clock = std::chrono::steady_clock;

struct Swarm;

// One call in flight; the completion queue hands it back when the answer (or an error) arrived.
struct Call {
  virtual ~Call() = default;
  grpc::ClientContext ctx;
  grpc::Status status;
  Clock::time_point started = Clock::now();
  int site = 0, step = 0;  // step 0: Join; odd: GetTask; even: Heartbeat
};

template <typename Reply>
struct CallOf final : Call {
  Reply reply;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Reply>> rpc;
};

struct Swarm {
  SwarmSettings settings;
  std::vector<std::unique_ptr<v1::Federation::Stub>> stubs;
  grpc::CompletionQueue queue;
  std::atomic<int> sitesLeft{0};
  std::mutex mutex;  // guards result
  SwarmResult result;

  template <typename Reply, typename Start>
  void issue(int site, int step, Start start) {
    auto* c = new CallOf<Reply>;
    c->site = site;
    c->step = step;
    c->ctx.AddMetadata(kInsecureSiteIdMetadata, settings.sitePrefix + std::to_string(site));
    c->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(settings.callTimeoutSeconds));
    v1::Federation::Stub& stub = *stubs[size_t(site % int(stubs.size()))];
    c->rpc = start(stub, &c->ctx);
    c->rpc->StartCall();
    c->rpc->Finish(&c->reply, &c->status, c);
  }

  void next(int site, int step) {
    if (step == 0) {
      issue<v1::JoinReply>(site, step, [&](v1::Federation::Stub& s, grpc::ClientContext* ctx) {
        return s.PrepareAsyncJoin(ctx, v1::JoinRequest(), &queue);
      });
    } else if (step % 2) {
      issue<v1::TaskReply>(site, step, [&](v1::Federation::Stub& s, grpc::ClientContext* ctx) {
        return s.PrepareAsyncGetTask(ctx, v1::TaskRequest(), &queue);
      });
    } else {
      issue<v1::HeartbeatReply>(site, step, [&](v1::Federation::Stub& s, grpc::ClientContext* ctx) {
        return s.PrepareAsyncHeartbeat(ctx, v1::HeartbeatRequest(), &queue);
      });
    }
  }

  void completed(std::unique_ptr<Call> c) {
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - c->started).count();
    const bool ok = c->status.ok();
    {
      std::lock_guard lock(mutex);
      if (ok) {
        ++result.callsOk;
        (c->step == 0 ? result.joinMs : result.pollMs).push_back(ms);
        if (c->step == 0) ++result.joined;
      } else {
        ++result.callsFailed;
        const char* call = c->step == 0 ? "Join" : c->step % 2 ? "GetTask" : "Heartbeat";
        ++result.errors[std::string(call) + " " + std::to_string(int(c->status.error_code())) + ": " +
                        c->status.error_message()];
      }
    }
    // A site that could not join stops; the others poll until their last Heartbeat.
    if (ok && c->step < 2 * settings.polls) {
      next(c->site, c->step + 1);
    } else if (--sitesLeft == 0) {
      queue.Shutdown();
    }
  }
};

}  // namespace

SwarmResult runSiteSwarm(const SwarmSettings& settings) {
  if (!isLoopbackAddress(settings.target))
    throw std::invalid_argument(settings.target +
                                " is not a loopback address: simulated sites name themselves in "
                                "plain text, which only a loopback coordinator accepts");
  if (settings.sites < 1 || settings.channels < 1 || settings.threads < 1 || settings.polls < 0 ||
      settings.callTimeoutSeconds < 1)
    throw std::invalid_argument("sites, channels, threads and the call timeout must be at least 1, polls at least 0");
  Swarm swarm;
  swarm.settings = settings;
  for (int i = 0; i < settings.channels; ++i) {
    grpc::ChannelArguments args;
    // Each channel its own connection: channels with equal arguments would share one.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("fedmrg.swarm_channel", i);
    swarm.stubs.push_back(
        v1::Federation::NewStub(grpc::CreateCustomChannel(settings.target, grpc::InsecureChannelCredentials(), args)));
  }
  swarm.sitesLeft = settings.sites;
  std::vector<std::thread> threads;
  for (int t = 0; t < settings.threads; ++t)
    threads.emplace_back([&swarm] {
      void* tag = nullptr;
      bool ok = false;
      while (swarm.queue.Next(&tag, &ok)) swarm.completed(std::unique_ptr<Call>(static_cast<Call*>(tag)));
    });
  const auto t0 = Clock::now();
  for (int i = 0; i < settings.sites; ++i) swarm.next(i, 0);
  for (auto& t : threads) t.join();
  swarm.result.wallSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return std::move(swarm.result);
}

}  // namespace fedmrg::federation
