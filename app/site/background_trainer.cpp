#include "app/site/background_trainer.h"

#include <QDir>
#include <QFileInfo>

#include <dlfcn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "app/site/audit_trail.h"
#include "app/site/draft_activity.h"
#include "app/site/low_priority.h"
#include "app/site/site.h"
#include "engine/model/model_folder.h"

namespace fedmrg::app {
namespace {

QString relativeVersionDir(const std::string& runId) {
  return QStringLiteral("adapters/") + QString::fromStdString(runId);
}

}  // namespace

BackgroundTrainer::BackgroundTrainer(Site& site, QString shippedModel, std::shared_ptr<DraftActivity> drafts,
                                     BackgroundTrainingOptions options, QObject* parent)
    : QObject(parent),
      site_(site),
      shippedModel_(std::move(shippedModel)),
      drafts_(std::move(drafts)),
      options_(options) {
  poll_.setInterval(std::max(1, options_.pollSeconds) * 1000);
  connect(&poll_, &QTimer::timeout, this, [this] {
    if (!isRunning()) startRun();
  });
}

BackgroundTrainer::~BackgroundTrainer() {
  stop_ = true;  // not a cancel: the run stays 'running' with its checkpoint, and the next start resumes it
  joinWorker();
}

void BackgroundTrainer::joinWorker() {
  if (worker_.joinable()) worker_.join();
}

void BackgroundTrainer::startWatching() {
  poll_.start();
  if (!isRunning() && !resumeGate()) startRun();
}

int BackgroundTrainer::pendingCount() { return TrainingQueue(site_).pendingCount(); }

std::optional<TrainedAdapters> BackgroundTrainer::latestTrainedAdapters() {
  const auto run = TrainingQueue(site_).latestCommitted();
  if (!run) return std::nullopt;
  TrainedAdapters a;
  a.dir = QDir(site_.dir()).filePath(run->adapterDir);
  a.committedAt = QDateTime::fromString(QString::fromStdString(run->finishedAt), Qt::ISODateWithMs);
  a.runId = run->id;
  a.steps = run->steps;
  a.examples = run->examples;
  return a;
}

bool BackgroundTrainer::due(QString* why) {
  TrainingQueue queue(site_);
  const int pending = queue.pendingCount();
  if (pending >= options_.queueThreshold && pending > 0) return true;
  if (pending > 0 && options_.scheduleHours > 0) {
    // Since the last committed run, or since the oldest waiting report when no run was made yet.
    const auto last = queue.latestCommitted();
    const std::string since = last ? last->finishedAt : queue.oldestPendingAt();
    const QDateTime t = QDateTime::fromString(QString::fromStdString(since), Qt::ISODateWithMs);
    if (t.isValid() && t.secsTo(QDateTime::currentDateTimeUtc()) >= qint64(options_.scheduleHours) * 3600) return true;
  }
  if (why)
    *why = pending == 0 ? QStringLiteral("no signed report is waiting for training")
                        : QStringLiteral("%1 of %2 signed reports wait; training starts at %2 or on schedule")
                              .arg(pending)
                              .arg(options_.queueThreshold);
  return false;
}

bool BackgroundTrainer::takeLock(QString* why) {
  // Another process training this site (the workstation and `fedmrg-cli site-train`) would resume the same run,
  // or gate the same version.
  makePrivateDir(QDir(site_.dir()).filePath(QStringLiteral("training")));
  lock_ = std::make_unique<QLockFile>(QDir(site_.dir()).filePath(QStringLiteral("training/.lock")));
  if (lock_->tryLock(0)) return true;
  lock_.reset();
  if (why) *why = QStringLiteral("another program is training this site");
  return false;
}

bool BackgroundTrainer::startRun(bool force, QString* why) {
  if (isRunning()) {
    if (why)
      *why = gating_ ? QStringLiteral("the quality gate is checking the last run's version")
                     : QStringLiteral("a training run is in progress");
    return false;
  }
  try {
    if (!takeLock(why)) return false;
    if (startLocked(force, why)) return true;
    lock_.reset();
    return false;
  } catch (const std::exception& e) {
    lock_.reset();
    if (why) *why = QString::fromStdString(e.what());
    return false;
  }
}

bool BackgroundTrainer::startLocked(bool force, QString* why) {
  TrainingQueue queue(site_);
  if (const auto interrupted = queue.runningRun()) {  // killed or closed during the run: same studies, same run
    launch(*interrupted);
    return true;
  }
  if (force ? queue.pendingCount() == 0 : !due(why)) {
    if (force && why) *why = QStringLiteral("no signed report is waiting for training");
    return false;
  }
  // Each run continues the last trained version, so every report is trained in once and stays in.
  const auto latest = latestTrainedAdapters();
  const QString start =
      latest && engine::ModelFolder(latest->dir.toStdString()).problem().empty() ? latest->dir : shippedModel_;
  if (const std::string problem = engine::ModelFolder(start.toStdString()).problem(); !problem.empty()) {
    if (why) *why = QStringLiteral("no model to train: %1").arg(QString::fromStdString(problem));
    return false;
  }
  const auto run = queue.claim(QFileInfo(start).absoluteFilePath().toStdString(), options_.steps, options_.maxStudies);
  if (!run) return false;
  launch(*run);
  return true;
}

void BackgroundTrainer::launch(const TrainingRun& run) {
  SiteTrainingJob job;
  job.runId = run.id;
  job.startModel = run.startModel;
  job.checkpointDir = trainingCheckpointDir(site_.dir(), run.id);
  job.versionDir = adapterVersionDir(site_.dir(), run.id);
  job.studies = TrainingQueue(site_).studies(run.id);
  job.options.steps = run.steps;
  job.options.batchSize = options_.batchSize;
  job.options.learningRate = options_.learningRate;
  job.options.warmupSteps = std::max(1, run.steps / 20);
  job.options.checkpointEvery = options_.checkpointEvery;
  job.options.seed = options_.seed;
  job.options.threads = options_.threads;
  const bool resumed = QFileInfo::exists(QDir(job.checkpointDir).filePath(QStringLiteral("checkpoint.pt")));
  stop_ = false;
  cancelled_ = false;
  paused_ = false;
  worker_ = std::thread([this, job, vault = site_.vault(), niceness = options_.niceness, threads = options_.threads] {
    lowerThisThread(niceness);
    limitBlasThreads(threads);
    const SiteTrainingOutcome outcome = runSiteTraining(job, *vault, [this](const engine::TrainProgress& p) {
      // Between steps: a draft in progress has the machine to itself until it is done.
      if (drafts_ && drafts_->active()) {
        paused_ = true;
        emit pausedChanged(true);
        drafts_->waitWhileActive(stop_);
        paused_ = false;
        emit pausedChanged(false);
      }
      emit progress(p.step, p.steps, p.etaSeconds);
      return !stop_;
    });
    if (stop_ && !cancelled_) return;  // shut down: the run stays 'running' and resumes at the next start
    QMetaObject::invokeMethod(
        this, [this, id = job.runId, outcome] { finish(id, outcome); }, Qt::QueuedConnection);
  });
  emit started(QString::fromStdString(run.id), int(job.studies.size()), resumed);
}

namespace {

// The origin of a run's model version, also how a restart finds whether the run was registered.
std::string localOrigin(const std::string& runId) { return "local training, run " + runId; }

}  // namespace

int64_t BackgroundTrainer::registerRun(const std::string& runId) {
  ModelVersions versions(site_, kSystemUser);
  versions.ensureBase(shippedModel_);
  // The run's adapters apply to the model it started from, which descends from the shipped one: a version is
  // registered on that base only (an administrator may have made a version of another base model active).
  const std::string base = QFileInfo(shippedModel_).absoluteFilePath().toStdString();
  if (const auto active = versions.active(); !active || active->baseDir != base)
    throw ModelVersionError("the active model version is not on the base model " + base + " that the run trained");
  const engine::ModelFolder folder(adapterVersionDir(site_.dir(), runId).toStdString());
  QString files[2];
  int i = 0;
  for (auto kind : engine::kAdapterKinds) {
    if (folder.hasAdapter(kind)) files[i] = QString::fromStdString(folder.adapterPath(kind));
    ++i;
  }
  if (files[0].isEmpty() && files[1].isEmpty())
    throw ModelVersionError(folder.dir() + ": the run wrote no adapter file");
  return versions.registerAdapters(files[0], files[1], "local", localOrigin(runId)).id;
}

bool BackgroundTrainer::resumeGate() {
  if (isRunning()) return false;
  try {
    if (!takeLock(nullptr)) return false;
    std::optional<int64_t> id;
    if (const auto run = TrainingQueue(site_).latestCommitted()) {
      auto st = site_.store().prepare("SELECT id FROM model_versions WHERE origin = 'local' AND origin_detail = ?");
      st.bind(1, localOrigin(run->id));
      if (!st.step()) id = registerRun(run->id);
    }
    if (!id) {
      auto st = site_.store().prepare(
          "SELECT id FROM model_versions WHERE origin = 'local' AND gate_state = 'pending' AND origin_detail LIKE ? "
          "ORDER BY id DESC LIMIT 1");
      st.bind(1, localOrigin("%"));
      const auto active = ModelVersions(site_, kSystemUser).active();
      if (st.step() && !(active && active->id == st.int64(0))) id = st.int64(0);
    }
    if (id) {
      const int heldBack = launchGate(*id);
      emit gateStarted(qint64(*id), heldBack);
      return true;
    }
  } catch (const std::exception&) {
    // Nothing to gate that can be gated (no base model, a version that cannot be laid out): training goes on.
  }
  lock_.reset();
  return false;
}

int BackgroundTrainer::launchGate(int64_t versionId) {
  const GatePlan plan = ModelVersions(site_, kSystemUser).planGate(versionId);
  stop_ = false;
  cancelled_ = false;
  paused_ = false;
  gating_ = true;
  const HeldBackDrafter drafter = draftServiceDrafter(site_.vault(), &stop_, drafts_);
  worker_ = std::thread([this, plan, drafter, niceness = options_.niceness, threads = options_.threads] {
    lowerThisThread(niceness);
    limitBlasThreads(threads);
    std::optional<GateScores> scores;
    QString error;
    try {
      scores = scoreGate(plan, drafter);
    } catch (const GateStopped&) {
      error = QStringLiteral("the quality gate was cancelled: v%1 stays unchecked until the next start")
                  .arg(plan.candidate);
    } catch (const std::exception& e) {
      error = QStringLiteral("the quality gate failed: %1").arg(e.what());
    }
    if (stop_ && !cancelled_) return;  // shut down: the version stays pending and is gated at the next start
    QMetaObject::invokeMethod(
        this, [this, plan, scores, error] { gateDone(plan, scores, error); }, Qt::QueuedConnection);
  });
  return plan.tooFew() ? 0 : int(plan.reports.size());
}

void BackgroundTrainer::gateDone(const GatePlan& plan, const std::optional<GateScores>& scores, const QString& error) {
  joinWorker();
  gating_ = false;
  bool accepted = false;
  QString reason = error;
  if (scores) {
    try {
      const GateDecision d = ModelVersions(site_, kSystemUser).decideGate(plan, *scores);
      accepted = d.accepted;
      reason = QString::fromStdString(d.reason);
    } catch (const std::exception& e) {
      reason = QStringLiteral("the quality gate's decision could not be recorded: %1").arg(e.what());
    }
  }
  lock_.reset();
  emit gateFinished(qint64(plan.candidate), accepted, reason);
}

void BackgroundTrainer::finish(const std::string& runId, const SiteTrainingOutcome& outcome) {
  joinWorker();
  TrainingQueue queue(site_);
  const QString checkpoint = trainingCheckpointDir(site_.dir(), runId);
  bool committed = false;
  QString message;
  try {
    switch (outcome.end) {
      case SiteTrainingOutcome::End::Completed:
        queue.commit(runId, relativeVersionDir(runId), outcome.examples, outcome.unusable);
        committed = true;
        message = QStringLiteral("Adapters trained on %1 signed reports (%2 steps): version %3")
                      .arg(outcome.examples)
                      .arg(outcome.steps)
                      .arg(QString::fromStdString(runId));
        break;
      case SiteTrainingOutcome::End::Stopped:
        queue.release(runId, "cancelled", "cancelled at step " + std::to_string(outcome.steps), outcome.unusable);
        message = QStringLiteral("Training cancelled; its signed reports wait for the next run");
        break;
      case SiteTrainingOutcome::End::Failed:
        queue.release(runId, "failed", outcome.error, outcome.unusable);
        message = QStringLiteral("Training failed: %1").arg(QString::fromStdString(outcome.error));
        break;
    }
    // Only once the store says how the run ended: before that, the checkpoint is what a restart resumes.
    QDir(checkpoint).removeRecursively();
    if (!committed) QDir(adapterVersionDir(site_.dir(), runId)).removeRecursively();
  } catch (const std::exception& e) {
    message = QStringLiteral("Training run %1 could not be recorded: %2").arg(QString::fromStdString(runId), e.what());
  }
  // The committed adapters become a model version and go through the gate, still under the lock, on the
  // worker (launched before `finished`, so that a listener sees isGating()).
  int64_t version = 0;
  int heldBack = 0;
  if (committed) {
    try {
      version = registerRun(runId);
      heldBack = launchGate(version);
    } catch (const std::exception& e) {
      message += QStringLiteral("; not made a model version: %1").arg(e.what());
    }
  }
  if (!isRunning()) lock_.reset();
  emit finished(committed, message);
  if (isGating()) emit gateStarted(qint64(version), heldBack);
}

void BackgroundTrainer::cancel() {
  if (!isRunning()) return;
  cancelled_ = true;
  stop_ = true;
}

}  // namespace fedmrg::app
