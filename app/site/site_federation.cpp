#include "app/site/site_federation.h"

#include <QDir>
#include <QTime>
#include <chrono>

#include "app/site/draft_activity.h"
#include "app/site/federation_settings.h"
#include "app/site/low_priority.h"
#include "app/site/site.h"
#include "app/site/stored_time.h"
#include "engine/model/model_folder.h"
#include "federation/federated_site.h"
#include "federation/rate_limiter.h"
#include "federation/site_client.h"
#include "federation/tls_credentials.h"

namespace fedmrg::app {
namespace {

using Phase = SiteFederationState::Phase;
using Clock = std::chrono::steady_clock;

constexpr const char* kRegisteredVersion = "federation.registered_version";

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

const char* phaseName(Phase p) {
  switch (p) {
    case Phase::Off: return "off";
    case Phase::Waiting: return "waiting for a round";
    case Phase::WaitingForApproval: return "waiting for approval";
    case Phase::Paused: return "not taking part";
    case Phase::Training: return "training";
    case Phase::Uploading: return "uploading";
    case Phase::Syncing: return "downloading the global version";
    case Phase::Gating: return "checking the new version";
    case Phase::Failed: return "stopped";
  }
  return "?";
}

// The site's transport as the workstation's rules see it: a Train task for a round the site may not take part in
// now becomes a Wait (with no download outside the site's hours), and every call's bytes and outcome go to the
// round's record. The bytes themselves are paced by the gRPC transport's RateLimiter.
class SiteFederation::GateTransport final : public federation::SiteTransport {
 public:
  GateTransport(SiteFederation& owner, std::unique_ptr<federation::SiteTransport> inner, std::string target,
                std::shared_ptr<grpc::ChannelCredentials> credentials, std::string insecureSiteId)
      : owner_(owner),
        inner_(std::move(inner)),
        target_(std::move(target)),
        credentials_(std::move(credentials)),
        siteId_(std::move(insecureSiteId)) {}

  federation::CallResult join() override { return inner_->join(); }

  federation::CallResult task(federation::SiteTask& out) override {
    federation::CallResult r = inner_->task(out);
    if (!r.ok) return r;
    if (out.round != seenRound_) {  // a new round: the coordinator's state (and whether it runs central DP)
      seenRound_ = out.round;
      snapshot();
    }
    const bool train = out.kind == federation::SiteTask::Kind::Train;
    const std::string why = owner_.whyNot(out.round, coordinatorDp_, train && out.round != uploadedRound_);
    if (!why.empty()) {
      // Approval concerns training and upload only: global versions may still be downloaded.
      const bool approval = why.find("approval") != std::string::npos;
      if (!approval) out.baseVersion = std::min(out.baseVersion, applied_);
      if (train) {
        out.kind = federation::SiteTask::Kind::Wait;
        out.baseDigest.clear();
      }
      owner_.update([&](SiteFederationState& s) {
        s.round = out.round;
        s.phase = approval ? Phase::WaitingForApproval : Phase::Paused;
        s.detail = why;
      });
      return r;
    }
    owner_.update([&](SiteFederationState& s) {
      s.round = out.round;
      s.detail.clear();
      if (out.kind == federation::SiteTask::Kind::Train && out.round != uploadedRound_) {
        s.phase = Phase::Training;
        s.step = 0;
      } else if (s.phase != Phase::Gating) {
        s.phase = Phase::Waiting;
      }
    });
    if (train) base_[out.round] = out.baseVersion;
    return r;
  }

  federation::CallResult download(uint64_t version, federation::Payload& out, uint64_t& bytes) override {
    const Phase before = owner_.state().phase;
    owner_.update([](SiteFederationState& s) { s.phase = Phase::Syncing; });
    const auto t0 = Clock::now();
    federation::CallResult r = inner_->download(version, out, bytes);
    if (r.ok) {
      applied_ = version;
      owner_.recordTransfer({"download", version, bytes, secondsSince(t0)});
    }
    owner_.update([&](SiteFederationState& s) { s.phase = before; });
    return r;
  }

  federation::CallResult upload(const federation::Payload& update, const std::string& key,
                                federation::UploadReceipt& out) override {
    owner_.update([](SiteFederationState& s) { s.phase = Phase::Uploading; });
    const auto t0 = Clock::now();
    federation::CallResult r = inner_->upload(update, key, out);
    const uint64_t round = update.round;
    if (r.ok || !r.retryable) {
      uploadedRound_ = round;
      const auto base = base_.count(round) ? base_[round] : round - 1;
      {
        std::lock_guard lock(owner_.mutex_);
        owner_.roundOfVersion_[base + 1] = round;
      }
      owner_.recordTransfer({"upload", round, out.bytesSent, secondsSince(t0)});
      FederationSettingsStore(owner_.site_, 0)
          .recordRound(round, base, out.bytesSent, 0, r.ok ? "uploaded" : "upload refused: " + r.reason);
      owner_.audit(r.ok ? "federation update uploaded" : "federation update refused",
                   "round " + std::to_string(round) + ", " + std::to_string(out.bytesSent) + " bytes" +
                       (r.ok ? std::string() : ": " + r.reason));
      owner_.update([](SiteFederationState& s) { s.phase = Phase::Waiting; });
    }
    return r;
  }

  federation::CallResult heartbeat(uint64_t round) override { return inner_->heartbeat(round); }
  void cancel() override { inner_->cancel(); }

  // The coordinator's state, kept as the last sync for the panel.
  void snapshot() {
    federation::CoordinatorStatus status;
    if (!federation::coordinatorStatus(target_, credentials_, siteId_, status, 10).ok) return;
    coordinatorDp_ = status.centralDp;
    FederationSettingsStore(owner_.site_, 0)
        .storeSnapshot({nowUtc(), status.round, status.phase, status.globalVersion, status.centralDp});
  }

 private:
  SiteFederation& owner_;
  std::unique_ptr<federation::SiteTransport> inner_;
  std::string target_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::string siteId_;
  // The loop's thread only (FederatedSite calls task, download and upload from it).
  uint64_t seenRound_ = 0, uploadedRound_ = 0, applied_ = 0;
  bool coordinatorDp_ = false;
  std::map<uint64_t, uint64_t> base_;  // a round's base version
};

SiteFederation::SiteFederation(Site& site, std::shared_ptr<DraftActivity> drafts, SiteFederationOptions options,
                               QObject* parent)
    : QObject(parent), site_(site), drafts_(std::move(drafts)), options_(std::move(options)) {
  retry_.setInterval(60 * 1000);
  connect(&retry_, &QTimer::timeout, this, [this] { refresh(); });
}

SiteFederation::~SiteFederation() { stop(); }

bool SiteFederation::isRunning() const { return loop_ && !loop_->finished(); }

SiteFederationState SiteFederation::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::vector<TransferRecord> SiteFederation::transfers() const {
  std::lock_guard lock(mutex_);
  return transfers_;
}

void SiteFederation::update(const std::function<void(SiteFederationState&)>& change) {
  {
    std::lock_guard lock(mutex_);
    change(state_);
  }
  emit stateChanged();
}

void SiteFederation::audit(const std::string& action, const std::string& detail) {
  site_.audit(0, action, 0, detail);  // 0: the system, not a user
}

std::shared_ptr<const FederatedBase> SiteFederation::base() {
  std::lock_guard lock(mutex_);
  if (!base_) {
    const auto active = ModelVersions(site_, 0).active();
    if (!active) throw std::runtime_error("the site has no model version");
    base_ = std::make_shared<const FederatedBase>(QString::fromStdString(active->baseDir));
  }
  return base_;
}

bool SiteFederation::refresh() {
  retry_.start();
  FederationSettingsStore settings(site_, 0);
  const FederationSettings s = settings.load();
  if (!s.joined) {
    if (loop_) {
      stop();
      audit("federation rounds stopped", "the site left the federation");
    }
    update([](SiteFederationState& st) {
      st.phase = Phase::Off;
      st.detail = "the site has not joined the federation";
    });
    return false;
  }
  if (isRunning()) return true;
  stop();  // a loop that ended: its threads are joined before the next one starts
  try {
    ModelVersions versions(site_, 0);
    if (!versions.active() && !options_.baseModel.isEmpty()) versions.ensureBase(options_.baseModel);
    if (!versions.active()) throw std::runtime_error("no model version to train (no model installed)");
    std::shared_ptr<grpc::ChannelCredentials> credentials =
        options_.insecureSiteId.empty()
            ? federation::mutualTlsChannelCredentials({settings.caFile().toStdString(),
                                                       settings.certFile().toStdString(),
                                                       settings.keyFile().toStdString()})
            : federation::siteCredentials(s.coordinator, {}, true);
    limiter_ = std::make_shared<federation::RateLimiter>(s.bandwidthKbps);
    auto inner = federation::grpcSiteTransport(s.coordinator, credentials, options_.insecureSiteId,
                                               options_.callTimeoutSeconds, limiter_);
    auto transport =
        std::make_unique<GateTransport>(*this, std::move(inner), s.coordinator, credentials, options_.insecureSiteId);
    const QString dir = QDir(site_.dir()).filePath(QStringLiteral("federation"));
    makePrivateDir(dir);
    federation::FederatedSiteOptions o;
    o.stateFile = QDir(dir).filePath(QStringLiteral("site-state.txt")).toStdString();
    o.pollMs = options_.pollMs;
    o.heartbeatMs = options_.heartbeatMs;
    o.onApplied = [this](uint64_t v, const std::map<std::string, federation::Matrix>& g) { onApplied(v, g); };
    auto train = siteTrainFunction(
        site_, [this] { return base(); }, drafts_, options_.training, [this](int step, int steps) {
          update([&](SiteFederationState& st) {
            st.phase = Phase::Training;
            st.step = step;
            st.steps = steps;
          });
        });
    {
      std::lock_guard lock(mutex_);
      stopping_ = false;
    }
    loop_ = std::make_unique<federation::FederatedSite>(std::move(transport), std::move(train), o);
    versions_ = std::thread([this] { versionLoop(); });
    loop_->start();
    watcher_ = std::thread([this] {
      loop_->wait();
      const std::string why = loop_->error();
      bool stopping;
      {
        std::lock_guard lock(mutex_);
        stopping = stopping_;
      }
      if (stopping) return;
      audit("federation rounds stopped", why.empty() ? "the coordinator has no more rounds" : why);
      update([&](SiteFederationState& st) {
        st.phase = why.empty() ? Phase::Off : Phase::Failed;
        st.detail = why.empty() ? "the coordinator has no more rounds" : why;
      });
    });
    audit("federation rounds started", s.coordinator);
    update([](SiteFederationState& st) {
      st.phase = Phase::Waiting;
      st.detail.clear();
    });
    return true;
  } catch (const std::exception& e) {
    update([&](SiteFederationState& st) {
      st.phase = Phase::Failed;
      st.detail = e.what();
    });
    return false;
  }
}

void SiteFederation::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  versionReady_.notify_all();
  if (loop_) loop_->cancel();
  if (limiter_) limiter_->cancel();
  if (watcher_.joinable()) watcher_.join();
  if (versions_.joinable()) versions_.join();
  loop_.reset();
}

std::string SiteFederation::whyNot(uint64_t round, bool coordinatorDp, bool training) {
  FederationSettingsStore settings(site_, 0);
  limiter_->setKbps(settings.load().bandwidthKbps);  // a new cap applies to the next chunk
  std::string why = settings.notTakingPart(round, QTime::currentTime().hour(), coordinatorDp, training);
  if (why.empty() && training && federatedTrainingReports(site_) == 0)
    why = "no signed final report to train on yet";
  if (training && why.find("approval") != std::string::npos) {
    // The panel shows the round with an Approve button; it is recorded once, as waiting.
    const auto rounds = settings.rounds();
    const bool known = std::any_of(rounds.begin(), rounds.end(), [&](const RoundTraffic& t) { return t.round == round; });
    if (!known) {
      settings.recordRound(round, round - 1, 0, 0, "waiting for approval");
      audit("federation round waits for approval", "round " + std::to_string(round));
    }
  }
  return why;
}

void SiteFederation::recordTransfer(const TransferRecord& t) {
  std::lock_guard lock(mutex_);
  transfers_.push_back(t);
  (t.kind == "upload" ? bytesUp_ : bytesDown_)[t.round] += t.bytes;
}

void SiteFederation::onApplied(uint64_t version, const std::map<std::string, federation::Matrix>& global) {
  uint64_t round, up, down;
  {
    std::lock_guard lock(mutex_);
    round = roundOfVersion_.count(version) ? roundOfVersion_[version] : version;
    up = bytesUp_[round];
    down = bytesDown_[version];
  }
  FederationSettingsStore(site_, 0).recordRound(round, version - 1, up, down, up ? "completed" : "synced");
  const uint64_t registered = uint64_t(std::stoull(site_.store().setting(kRegisteredVersion).value_or("0")));
  update([&](SiteFederationState& s) { s.globalVersion = version; });
  if (version <= registered) return;  // downloaded again after a restart: its model version exists
  std::lock_guard lock(mutex_);
  pendingVersions_[version] = global;
  versionReady_.notify_all();
}

void SiteFederation::versionLoop() {
  lowerThisThread(options_.training.niceness);
  for (;;) {
    uint64_t version;
    std::map<std::string, federation::Matrix> global;
    {
      std::unique_lock lock(mutex_);
      versionReady_.wait(lock, [&] { return stopping_ || !pendingVersions_.empty(); });
      if (stopping_) return;
      // Only the newest matters: an older one waiting behind it would be refused or replaced at once.
      auto newest = std::prev(pendingVersions_.end());
      version = newest->first;
      global = std::move(newest->second);
      pendingVersions_.clear();
    }
    registerVersion(version, global);
  }
}

void SiteFederation::registerVersion(uint64_t version, const std::map<std::string, federation::Matrix>& global) {
  uint64_t round;
  {
    std::lock_guard lock(mutex_);
    round = roundOfVersion_.count(version) ? roundOfVersion_[version] : version;
  }
  update([](SiteFederationState& s) { s.phase = Phase::Gating; });
  std::string outcome;
  try {
    const QString dir = writeGlobalVersionFolder(site_, *base(), global, version);
    ModelVersions versions(site_, 0);
    const ModelVersion v = versions.registerAdapters(
        QString::fromStdString(engine::ModelFolder(dir.toStdString()).adapterPath(engine::AdapterKind::Generic)), {},
        "federation", "federation round " + std::to_string(round) + ", global version " + std::to_string(version));
    const GateDecision d = versions.gate(v.id, options_.drafter ? options_.drafter : draftServiceDrafter(site_));
    site_.store().setSetting(kRegisteredVersion, std::to_string(version));
    outcome = "global version " + std::to_string(version) + " (model version " + std::to_string(v.id) + ") " +
              (d.accepted ? "accepted" : "refused") + ": " + d.reason;
    audit("federation version registered", outcome);
    emit versionGated(qint64(v.id), d.accepted, QString::fromStdString(d.reason));
  } catch (const std::exception& e) {
    outcome = "global version " + std::to_string(version) + " could not be registered: " + e.what();
    audit("federation version not registered", outcome);
  }
  update([&](SiteFederationState& s) {
    s.gateOutcome = outcome;
    if (s.phase == Phase::Gating) s.phase = Phase::Waiting;
  });
}

}  // namespace fedmrg::app
