#pragma once
// Trains the site's adapters on its signed final reports in the background: a run starts when the
// training queue holds a set number of reports or when the schedule says so, on a worker thread at low
// priority (nice, one LibTorch thread), pauses while a draft is generated, reports progress, can be
// cancelled, and resumes from its checkpoint after a crash or a restart. Each committed run is a new
// model folder of the site (latestTrainedAdapters()), registered as a model version ("local training, run
// <id>", model_versions.h) and put through the quality gate on the same worker: accepted, it becomes the
// version drafts use; refused (or too few held-back reports), it stays inactive with the reason. Reports held
// back for the gate are never trained on (training_queue.h).
// The store is touched on the owner's thread only; the worker gets the run's studies (or the gate's plan) and
// gives back its outcome (or the scores). Queue semantics: training_queue.h.
#include <QDateTime>
#include <QLockFile>
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "app/site/model_versions.h"
#include "app/site/site_training.h"

namespace fedmrg::app {

class DraftActivity;
class Site;

struct BackgroundTrainingOptions {
  int queueThreshold = 20;  // pending signed reports that start a run
  int scheduleHours = 24;   // also a run this long after the last one when anything is pending; 0: off
  int pollSeconds = 60;     // how often the queue is looked at
  int maxStudies = 256;     // signed reports one run takes
  int steps = 100;          // optimizer steps of a run
  int batchSize = 4;
  double learningRate = 5e-4;
  int checkpointEvery = 10;  // steps
  uint64_t seed = 0;
  int niceness = 19;  // of the worker thread
  int threads = 1;    // LibTorch and OpenBLAS threads of the run
};

// The newest committed local adapter version.
struct TrainedAdapters {
  QString dir;            // absolute model folder (config, weights, both adapters, tokenizer)
  QDateTime committedAt;  // UTC
  std::string runId;
  int steps = 0, examples = 0;
};

class BackgroundTrainer : public QObject {
  Q_OBJECT

 public:
  // `shippedModel`: the model folder the first run starts from (later runs start from the latest
  // trained version). `drafts`: marked by the draft service; training waits while a draft runs.
  BackgroundTrainer(Site& site, QString shippedModel, std::shared_ptr<DraftActivity> drafts,
                    BackgroundTrainingOptions options = {}, QObject* parent = nullptr);
  // Stops a running run without ending it: its checkpoint is kept and the next start resumes it.
  ~BackgroundTrainer() override;

  // Looks at the queue every pollSeconds and starts a run when one is due; now, resumes an interrupted gate
  // (resumeGate()) or else an interrupted run.
  void startWatching();
  // Starts a run now: the interrupted one, else a new one when the threshold or the schedule is met
  // (`force`: whenever anything is pending). False with the reason when nothing starts.
  bool startRun(bool force = false, QString* why = nullptr);
  // Ends the running run as cancelled: its signed reports go back to the queue, its checkpoint is removed.
  void cancel();
  // Gates the last run's version when a stop left it unchecked: registers the newest committed run when it has
  // no version yet (a kill between its commit and its registration), then gates the newest local version still
  // pending. True when a gate started (gateStarted).
  bool resumeGate();
  bool isRunning() const { return worker_.joinable(); }  // a run or the gate of its version
  bool isGating() const { return gating_; }
  bool isPaused() const { return paused_; }
  int pendingCount();
  std::optional<TrainedAdapters> latestTrainedAdapters();
  const BackgroundTrainingOptions& options() const { return options_; }

 signals:
  // resumed: the run continues from its checkpoint (its first progress names the step).
  void started(const QString& runId, int studies, bool resumed);
  void progress(int step, int steps, double etaSeconds);
  void pausedChanged(bool paused);
  // committed: a new adapter version exists (latestTrainedAdapters()); message: what happened, for the user.
  void finished(bool committed, const QString& message);
  // The committed run's version `versionId` is being scored on `heldBack` held-back signed reports.
  void gateStarted(qint64 versionId, int heldBack);
  // The gate's decision (reason: the scores and the margin, or why it could not judge; in English, from app).
  // Not accepted: drafts stay on the active version. A cancel leaves the version pending for the next start.
  void gateFinished(qint64 versionId, bool accepted, const QString& reason);

 private:
  bool due(QString* why);
  bool startLocked(bool force, QString* why);  // startRun() holding the site's training lock
  void launch(const TrainingRun& run);
  void finish(const std::string& runId, const SiteTrainingOutcome& outcome);
  void joinWorker();
  bool takeLock(QString* why);
  int64_t registerRun(const std::string& runId);  // the committed run as a pending model version
  int launchGate(int64_t versionId);  // the plan's held-back reports to draft (0: too few)
  void gateDone(const GatePlan& plan, const std::optional<GateScores>& scores, const QString& error);

  Site& site_;
  QString shippedModel_;
  std::shared_ptr<DraftActivity> drafts_;
  BackgroundTrainingOptions options_;
  QTimer poll_;
  // <site>/training/.lock while a run is in progress: one training process per site (a killed one's lock is
  // stale and taken over, QLockFile checks its process).
  std::unique_ptr<QLockFile> lock_;
  std::thread worker_;
  std::atomic<bool> stop_{false};       // shutdown or cancel: the worker ends after its current step
  std::atomic<bool> cancelled_{false};  // the stop is the user's cancel
  std::atomic<bool> paused_{false};
  bool gating_ = false;  // owner's thread
};

}  // namespace fedmrg::app
