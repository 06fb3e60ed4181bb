#pragma once
// The workstation's part in the federation's rounds (docs/workstation.md, "Federation in the workstation"): while
// the site is joined, a federation::FederatedSite takes part in the coordinator's rounds on its own threads, as
// the administrator's settings (federation_settings.h) allow: a round waits for an administrator's approval when
// the site approves each one, nothing happens outside the site's hours or when central DP is required but off,
// and every chunk up and down is paced to the bandwidth cap. Its training is the site's (federated_training.h).
// Each round's bytes and outcome and the coordinator's latest state are recorded for the panel; each new global
// version becomes a model version (origin "federation", "round N") that the quality gate accepts (drafts use it)
// or refuses (it stays inactive, with the reason). Everything is audit-logged; no log line or message carries
// report text, pixels or patient identifiers.
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/site/federated_training.h"
#include "app/site/model_versions.h"

namespace fedmrg::federation {
class FederatedSite;
class RateLimiter;
}  // namespace fedmrg::federation

namespace fedmrg::app {

class DraftActivity;
class Site;

struct SiteFederationOptions {
  QString baseModel;  // the model folder registered as the base version when the site has none yet
  FederatedTrainingOptions training;
  int pollMs = 1000;         // how often the coordinator is asked for a task
  int heartbeatMs = 10000;   // while training
  int callTimeoutSeconds = 60;
  // Not empty: plain text on a loopback coordinator, the site named by this id (tests and the demo); otherwise
  // mutual TLS with the certificates imported in the panel.
  std::string insecureSiteId;
  HeldBackDrafter drafter;  // the gate's drafter; empty: the draft service
};

// What the panel shows while the loop runs.
struct SiteFederationState {
  enum class Phase { Off, Waiting, WaitingForApproval, Paused, Training, Uploading, Syncing, Gating, Failed };
  Phase phase = Phase::Off;
  uint64_t round = 0;          // the coordinator's current round, as the site last saw it
  uint64_t globalVersion = 0;  // the newest global version the site applied
  int step = 0, steps = 0;     // training progress in the round
  std::string detail;          // why the site waits or pauses, or why the loop failed
  std::string gateOutcome;     // the last global version's gate decision ("v3 accepted: ...", "v4 refused: ...")
};
const char* phaseName(SiteFederationState::Phase p);  // "off", "waiting", "waiting for approval", ...

// One transfer's bytes and how long it took, as paced (the panel's traffic and the bandwidth cap's check).
struct TransferRecord {
  std::string kind;  // "upload" or "download"
  uint64_t round = 0, bytes = 0;
  double seconds = 0;
};

class SiteFederation : public QObject {
  Q_OBJECT

 public:
  SiteFederation(Site& site, std::shared_ptr<DraftActivity> drafts, SiteFederationOptions options,
                 QObject* parent = nullptr);
  ~SiteFederation() override;  // stops the loop

  // Starts the loop when the site is joined and not running yet; stops it when the site has left. Call after
  // sign-in and after the administrator joins or leaves. False (with the reason in state().detail) when no loop
  // runs afterwards.
  bool refresh();
  // Cancels the loop and waits for it (a round in progress is resumed by the next start: FederatedSite's state
  // file keeps the upload in flight).
  void stop();
  bool isRunning() const;
  SiteFederationState state() const;
  std::vector<TransferRecord> transfers() const;

 signals:
  // From any thread (queued to the receiver's): the state changed.
  void stateChanged();
  // A global version was registered as model version `versionId` and gated.
  void versionGated(qint64 versionId, bool accepted, const QString& reason);

 private:
  class GateTransport;
  void update(const std::function<void(SiteFederationState&)>& change);
  // The reason the site does not take part in `round` now (empty when it may); records a pending approval.
  std::string whyNot(uint64_t round, bool coordinatorDp, bool training);
  void onApplied(uint64_t version, const std::map<std::string, federation::Matrix>& global);
  void versionLoop();
  void registerVersion(uint64_t version, const std::map<std::string, federation::Matrix>& global);
  void recordTransfer(const TransferRecord& t);
  void audit(const std::string& action, const std::string& detail);
  std::shared_ptr<const FederatedBase> base();

  Site& site_;
  std::shared_ptr<DraftActivity> drafts_;
  SiteFederationOptions options_;
  std::shared_ptr<const FederatedBase> base_;  // loaded on first use (base())
  std::shared_ptr<federation::RateLimiter> limiter_;
  std::unique_ptr<federation::FederatedSite> loop_;
  std::thread watcher_;  // ends the loop's life: records its outcome
  std::thread versions_;  // registers and gates global versions off the loop's thread
  mutable std::mutex mutex_;
  std::condition_variable versionReady_;
  std::map<uint64_t, std::map<std::string, federation::Matrix>> pendingVersions_;  // newest wins
  bool stopping_ = false;
  SiteFederationState state_;
  std::vector<TransferRecord> transfers_;
  std::map<uint64_t, uint64_t> bytesUp_, bytesDown_;  // by round
  std::map<uint64_t, uint64_t> roundOfVersion_;       // the round that produced a version (upload base + 1)
  QTimer retry_;  // refresh() now and then: a loop that ended (coordinator away, done) starts again
};

}  // namespace fedmrg::app
