// BackgroundTrainer (app/site/background_trainer): real LibTorch training of a tiny model's adapters on a
// real encrypted site's signed FL-MRG-Synth studies. A run writes a new adapter version that differs from
// its start and consumes the queue; cancel gives the reports back; a draft pauses training; and a
// `fedmrg-cli site-train` process killed with SIGKILL mid-run is resumed from its checkpoint, with every
// signed report trained in once. A committed run's adapters become a model version that the quality gate
// accepts (drafts move to it) or refuses (drafts stay), and reports held back for the gate are never trained on.
#include <QCryptographicHash>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/background_trainer.h"
#include "app/site/draft_activity.h"
#include "app/site/model_identity.h"
#include "app/site/model_versions.h"
#include "app/site/study_catalog.h"
#include "app/site/training_queue.h"
#include "app/training_site.h"
#include "engine/model/model_folder.h"

using namespace fedmrg::app;
using fedmrg::engine::ModelFolder;
using fedmrg::engine::Trainer;

namespace {

QByteArray fileHash(const std::string& path) {
  QFile f(QString::fromStdString(path));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

// The largest absolute difference between two folders' federated tensors (generic adapter and head).
double federatedChange(const QString& a, const QString& b) {
  const auto ta = Trainer::fromFolder(a.toStdString()).federatedTensors();
  const auto tb = Trainer::fromFolder(b.toStdString()).federatedTensors();
  double most = 0;
  for (const auto& [name, t] : ta)
    for (size_t i = 0; i < t.values.size(); ++i)
      most = std::max(most, double(std::abs(t.values[i] - tb.at(name).values[i])));
  return most;
}

BackgroundTrainingOptions quickOptions(int steps) {
  BackgroundTrainingOptions o;
  o.queueThreshold = 3;
  o.scheduleHours = 0;
  o.pollSeconds = 3600;
  o.steps = steps;
  o.batchSize = 2;
  o.checkpointEvery = 2;
  o.learningRate = 5e-3;
  o.niceness = 0;  // the test machine is shared: at nice 19 a run may wait minutes; the priority is not tested here
  return o;
}

}  // namespace

class TestBackgroundTrainer : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString model_;
  fedmrg::testing::TrainingSite t_;

  int queueCount(const std::string& state) { return TrainingQueue(*t_.site).count(state); }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    t_ = fedmrg::testing::makeTrainingSite(dir_.path(), 12);
    model_ = dir_.filePath("model");
    fedmrg::testing::writeTinyTrainingModel(model_, t_.records);
    QVERIFY(ModelFolder(model_.toStdString()).problem().empty());
    // These tests count every signed report as trained; the gate's held-back reports have their own test.
    fedmrg::testing::setHeldBackEvery(*t_.site, fedmrg::testing::kHoldNothingBack);
  }

  // Below the threshold nothing starts (and says why); at it, a run trains the adapters and commits a new
  // version that differs from the start, without touching the shipped model.
  void runWritesANewAdapterVersion() {
    BackgroundTrainer trainer(*t_.site, model_, std::make_shared<DraftActivity>(), quickOptions(6));
    fedmrg::testing::signFinal(t_, 0);
    fedmrg::testing::signFinal(t_, 1);
    QString why;
    QVERIFY(!trainer.startRun(false, &why));
    QVERIFY2(why.contains("2 of 3"), qPrintable(why));
    fedmrg::testing::signFinal(t_, 2);
    const QByteArray shipped =
        fileHash(ModelFolder(model_.toStdString()).adapterPath(fedmrg::engine::AdapterKind::Generic));

    QSignalSpy progress(&trainer, &BackgroundTrainer::progress);
    QSignalSpy finished(&trainer, &BackgroundTrainer::finished);
    QVERIFY2(trainer.startRun(false, &why), qPrintable(why));
    QVERIFY(trainer.isRunning());
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QCOMPARE(progress.count(), 6);
    QCOMPARE(progress.last().at(0).toInt(), 6);
    QCOMPARE(progress.last().at(1).toInt(), 6);

    const auto latest = trainer.latestTrainedAdapters();
    QVERIFY(latest);
    QCOMPARE(latest->steps, 6);
    QCOMPARE(latest->examples, 3);
    QVERIFY(latest->committedAt.isValid());
    QVERIFY(latest->dir.startsWith(t_.site->dir()));
    QVERIFY2(ModelFolder(latest->dir.toStdString()).problem().empty(), qPrintable(latest->dir));
    QVERIFY(federatedChange(model_, latest->dir) > 1e-6);
    QCOMPARE(fileHash(ModelFolder(model_.toStdString()).adapterPath(fedmrg::engine::AdapterKind::Generic)), shipped);
    QCOMPARE(queueCount("used"), 3);
    QCOMPARE(queueCount("queued"), 0);
    QVERIFY(!QDir(trainingCheckpointDir(t_.site->dir(), latest->runId)).exists());
  }

  // A cancelled run ends between two steps; its reports wait again, nothing is committed.
  void cancelGivesTheReportsBack() {
    for (size_t i = 3; i < 6; ++i) fedmrg::testing::signFinal(t_, i);
    BackgroundTrainer trainer(*t_.site, model_, nullptr, quickOptions(5000));
    const auto before = trainer.latestTrainedAdapters();
    QSignalSpy progress(&trainer, &BackgroundTrainer::progress);
    QSignalSpy finished(&trainer, &BackgroundTrainer::finished);
    QVERIFY(trainer.startRun());
    QVERIFY(progress.wait(30000));
    QCOMPARE(queueCount("training"), 3);
    trainer.cancel();
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.at(0).at(0).toBool());
    QVERIFY(progress.last().at(0).toInt() < 5000);
    QCOMPARE(queueCount("queued"), 3);
    QCOMPARE(queueCount("training"), 0);
    QCOMPARE(trainer.latestTrainedAdapters()->runId, before->runId);
    QCOMPARE(t_.site->store().queryInt("SELECT count(*) FROM training_runs WHERE state = 'cancelled'"), 1);
    QCOMPARE(QDir(t_.site->dir() + "/training").entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 0);
  }

  // While a draft runs, training waits between its steps and says so.
  void pausesWhileADraftRuns() {
    auto drafts = std::make_shared<DraftActivity>();
    BackgroundTrainer trainer(*t_.site, model_, drafts, quickOptions(5000));
    QSignalSpy progress(&trainer, &BackgroundTrainer::progress);
    QSignalSpy paused(&trainer, &BackgroundTrainer::pausedChanged);
    QSignalSpy finished(&trainer, &BackgroundTrainer::finished);
    drafts->begin();
    QVERIFY(trainer.startRun());
    QVERIFY(paused.wait(30000));
    QVERIFY(paused.at(0).at(0).toBool());
    QVERIFY(trainer.isPaused());
    const int during = progress.count();
    QTest::qWait(400);
    QCOMPARE(progress.count(), during);  // no step while the draft runs
    drafts->end();
    QVERIFY(progress.wait(30000));
    QVERIFY(!trainer.isPaused());
    trainer.cancel();
    QVERIFY(finished.wait(30000));
    QCOMPARE(queueCount("queued"), 3);
  }

  // Below the threshold, the schedule starts a run once the last run is old enough.
  void scheduleStartsARunBelowTheThreshold() {
    BackgroundTrainingOptions o = quickOptions(5000);
    o.queueThreshold = 100;
    QString why;
    QVERIFY(!BackgroundTrainer(*t_.site, model_, nullptr, o).startRun(false, &why));
    QVERIFY2(why.contains("3 of 100"), qPrintable(why));
    o.scheduleHours = 1;
    BackgroundTrainer trainer(*t_.site, model_, nullptr, o);
    QVERIFY(!trainer.startRun(false, &why));  // the last run ended minutes ago
    t_.site->store().exec(
        "UPDATE training_runs SET finished_at = '2000-01-01T00:00:00.000Z' WHERE state = 'committed'");
    QSignalSpy finished(&trainer, &BackgroundTrainer::finished);
    QVERIFY2(trainer.startRun(false, &why), qPrintable(why));
    trainer.cancel();
    QVERIFY(finished.wait(30000));
    QCOMPARE(queueCount("queued"), 3);
  }

  // The done-when: a kill -9 during background training, then a restart: training resumes from
  // its checkpoint, no signed report is lost or trained twice.
  void killDuringTrainingThenResume() {
    for (size_t i = 6; i < 12; ++i) fedmrg::testing::signFinal(t_, i);
    QCOMPARE(queueCount("queued"), 9);
    const QString passphrase = dir_.filePath("passphrase");
    {
      QFile f(passphrase);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(fedmrg::testing::kTrainingPassphrase);
    }
    QProcess child;
    child.setProcessChannelMode(QProcess::MergedChannels);
    const int steps = 60;
    child.start(FEDMRG_CLI,
                {"site-train", "--site", t_.site->dir(), "--passphrase-file", passphrase, "--model", model_, "--steps",
                 QString::number(steps), "--batch", "2", "--checkpoint-every", "5", "--nice", "0"});
    QVERIFY(child.waitForStarted());
    QByteArray out;
    while (!out.contains("step 12/")) {
      QVERIFY2(child.waitForReadyRead(30000), out.constData());
      out += child.readAll();
    }
    {
      // One training process per site: the workstation does not resume the run that the command trains.
      BackgroundTrainer other(*t_.site, model_, nullptr, quickOptions(steps));
      QString why;
      QVERIFY(!other.startRun(true, &why));
      QVERIFY2(why.contains("another program"), qPrintable(why));
    }
    child.kill();  // SIGKILL
    QVERIFY(child.waitForFinished(10000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    TrainingQueue queue(*t_.site);
    const auto killed = queue.runningRun();
    QVERIFY2(killed, out.constData());
    QCOMPARE(queueCount("training"), 9);
    QCOMPARE(queueCount("queued"), 0);
    QVERIFY(QFile::exists(trainingCheckpointDir(t_.site->dir(), killed->id) + "/checkpoint.pt"));
    const int committedBefore =
        int(t_.site->store().queryInt("SELECT count(*) FROM training_runs WHERE state = 'committed'"));

    // The restart: the workstation's trainer finds the interrupted run and resumes it.
    BackgroundTrainer trainer(*t_.site, model_, nullptr, quickOptions(steps));
    QSignalSpy started(&trainer, &BackgroundTrainer::started);
    QSignalSpy progress(&trainer, &BackgroundTrainer::progress);
    QSignalSpy finished(&trainer, &BackgroundTrainer::finished);
    QVERIFY(trainer.startRun());
    QCOMPARE(started.at(0).at(0).toString().toStdString(), killed->id);
    QCOMPARE(started.at(0).at(1).toInt(), 9);
    QVERIFY(started.at(0).at(2).toBool());  // resumed
    QVERIFY(finished.wait(120000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    // Resumed from a checkpoint at step 10 or later: the first step after the restart is past it.
    QVERIFY2(progress.first().at(0).toInt() > 10, qPrintable(QString::number(progress.first().at(0).toInt())));
    QCOMPARE(progress.last().at(0).toInt(), steps);
    QCOMPARE(progress.count(), steps - progress.first().at(0).toInt() + 1);

    // Every report of the run consumed once, by that run; none lost; one more committed version.
    auto st = t_.site->store().prepare("SELECT count(*) FROM training_queue WHERE run_id = ? AND state = 'used'");
    st.bind(1, killed->id);
    st.step();
    QCOMPARE(int(st.int64(0)), 9);
    QCOMPARE(queueCount("training"), 0);
    QCOMPARE(queueCount("queued"), 0);
    QCOMPARE(queueCount("used"), 12);
    QCOMPARE(int(t_.site->store().queryInt("SELECT count(*) FROM training_runs WHERE state = 'committed'")),
             committedBefore + 1);
    QCOMPARE(trainer.latestTrainedAdapters()->runId, killed->id);
    QCOMPARE(trainer.latestTrainedAdapters()->examples, 9);
    QVERIFY(!QDir(trainingCheckpointDir(t_.site->dir(), killed->id)).exists());
    QVERIFY(!QDir(adapterVersionDir(t_.site->dir(), killed->id) + ".partial").exists());

    // Another start finds nothing to train: nothing is trained twice. (Once the run's version is gated.)
    QTRY_VERIFY_WITH_TIMEOUT(!trainer.isRunning(), 60000);
    QString why;
    QVERIFY(!trainer.startRun(true, &why));
    QVERIFY2(why.contains("no signed report"), qPrintable(why));
  }

  // The loop at one site: signed reports -> a background run -> its adapters registered as a model version
  // ("local training, run <id>") and scored by the quality gate on the worker -> accepted, the next draft is
  // written by it. Held-back reports are never in a run's claimed set.
  void gateAcceptsAGentleRun() {
    QVERIFY(gateDir_.isValid());
    g_ = fedmrg::testing::makeTrainingSite(gateDir_.path(), 12);
    gateBase_ = gateDir_.filePath("chest-model");
    fedmrg::testing::writeTrainedTinyModel(gateBase_, {g_.records.begin(), g_.records.begin() + 4});
    // Drafts as the workstation makes them: from the site's active version, asked for on every draft.
    drafts_ = makeDraftService([this] { return draftingModelDir(*g_.site, gateBase_); }, g_.site->vault());
    signDrafts(0, 6);
    // A held-back period that keeps some of these reports for the gate and trains on the others.
    while (heldOf() < 2 || heldOf() > int(signedIds_.size()) - 2) QVERIFY(++every_ < 100);
    fedmrg::testing::setHeldBackEvery(*g_.site, every_, 2, 0.1);
    const int held = heldOf();

    // A gentle run: the adapters hardly move, so the gate finds the version as good, and drafts move to it.
    BackgroundTrainingOptions gentle = quickOptions(2);
    gentle.learningRate = 1e-6;
    QString run;
    const QList<QVariant> good = runAndGate(gentle, &run);
    QVERIFY(!good.isEmpty());
    goodId_ = good.at(0).toLongLong();
    qInfo("gate of the gentle run: %s", qPrintable(good.at(2).toString()));
    QVERIFY2(good.at(1).toBool(), qPrintable(good.at(2).toString()));
    QVERIFY2(good.at(2).toString().startsWith("accepted: CE-F1"), qPrintable(good.at(2).toString()));
    ModelVersions versions(*g_.site, 1);
    const ModelVersion v = *versions.find(goodId_);
    QCOMPARE(v.origin, std::string("local"));
    QCOMPARE(v.originDetail, "local training, run " + run.toStdString());
    QVERIFY(!v.createdAt.empty());
    QCOMPARE(v.gate, GateState::Accepted);
    QCOMPARE(versions.active()->id, goodId_);
    QCOMPARE(claimed(run), std::make_pair(6 - held, 0));
    QCOMPARE(TrainingQueue(*g_.site).count("held_back"), held);
    const DraftedReport after = draft(0);
    QCOMPARE(after.model.name, "chest-model-v" + std::to_string(goodId_));
    QCOMPARE(after.model.version, identifyModel(versions.modelDir(goodId_)).version);
    goodVersion_ = after.model.version;
  }

  // A deliberately damaging run (a learning rate that wrecks the adapters) is refused with its scores, and drafts
  // stay on the accepted version.
  void gateRefusesADamagingRun() {
    QVERIFY(goodId_ > 0);
    signDrafts(6, 12);
    BackgroundTrainingOptions damaging = quickOptions(10);
    damaging.learningRate = 10.0;
    QString run;
    const QList<QVariant> bad = runAndGate(damaging, &run);
    QVERIFY(!bad.isEmpty());
    const int64_t badId = bad.at(0).toLongLong();
    qInfo("gate of the damaging run: %s", qPrintable(bad.at(2).toString()));
    QVERIFY(badId != goodId_);
    QVERIFY2(!bad.at(1).toBool(), qPrintable(bad.at(2).toString()));
    QVERIFY2(bad.at(2).toString().startsWith("refused: CE-F1") && bad.at(2).toString().contains("more than the margin"),
             qPrintable(bad.at(2).toString()));
    ModelVersions versions(*g_.site, 1);
    QCOMPARE(versions.find(badId)->gate, GateState::Refused);
    QCOMPARE(QString::fromStdString(versions.find(badId)->gateReason), bad.at(2).toString());
    QCOMPARE(versions.active()->id, goodId_);
    QCOMPARE(draft(0).model.version, goodVersion_);
    QCOMPARE(claimed(run).second, 0);
    QCOMPARE(TrainingQueue(*g_.site).count("held_back"), heldOf());
    QCOMPARE(TrainingQueue(*g_.site).count("used") + heldOf(), 12);
    auto audits = [&](const char* action) {
      auto st = g_.site->store().prepare("SELECT count(*) FROM audit_log WHERE action = ?");
      st.bind(1, std::string(action));
      st.step();
      return st.int64(0);
    };
    QCOMPARE(audits("model version registered"), int64_t(3));  // the base model and the two runs
    QCOMPARE(audits("model version gate"), int64_t(2));
  }

 private:
  // The gate tests' site, whose base model drafts report sentences.
  QTemporaryDir gateDir_;
  fedmrg::testing::TrainingSite g_;
  QString gateBase_;
  std::unique_ptr<DraftService> drafts_;
  std::vector<int64_t> signedIds_;
  int every_ = 2;
  int64_t goodId_ = 0;
  std::string goodVersion_;

  DraftedReport draft(size_t i) {
    DraftedReport d;
    const std::atomic<bool> cancel{false};
    const auto images = studyImages(*g_.site, g_.studies[i]);
    if (images.empty() || !drafts_->generate(images.front().file, d, {}, cancel)) throw std::runtime_error("no draft");
    return d;
  }

  // The radiologist signs what the active version drafts: it scores CE-F1 1 on the held-back reports, so a
  // damaged version can only lose.
  void signDrafts(size_t from, size_t to) {
    ReportService reports(*g_.site, 1);
    for (size_t i = from; i < to; ++i) {
      const DraftedReport d = draft(i);
      reports.save(g_.studies[i], d.findings.empty() ? "Drafted." : d.findings, d.impression, d.labels);
      signedIds_.push_back(reports.sign(g_.studies[i], ReportStatus::Final, ChipsAgainstText::ConfirmedByUser).id);
    }
  }

  int heldOf() const {
    return int(std::count_if(signedIds_.begin(), signedIds_.end(), [&](int64_t id) { return id % every_ == 0; }));
  }

  // One run to its commit and its gate's decision (gateFinished's arguments); empty when either did not come.
  QList<QVariant> runAndGate(const BackgroundTrainingOptions& o, QString* runId) {
    BackgroundTrainer trainer(*g_.site, gateBase_, std::make_shared<DraftActivity>(), o);
    QSignalSpy started(&trainer, &BackgroundTrainer::started);
    QSignalSpy finished(&trainer, &BackgroundTrainer::finished);
    QSignalSpy gateStarted(&trainer, &BackgroundTrainer::gateStarted);
    QSignalSpy gateFinished(&trainer, &BackgroundTrainer::gateFinished);
    if (!trainer.startRun(true) || !finished.wait(120000) || !finished.at(0).at(0).toBool()) return {};
    *runId = started.at(0).at(0).toString();
    if (gateFinished.isEmpty() && !gateFinished.wait(200000)) return {};
    if (gateStarted.size() != 1 || gateStarted.at(0).at(0).toLongLong() != gateFinished.at(0).at(0).toLongLong())
      return {};
    return gateFinished.at(0);
  }

  // A run's claimed entries, and how many of them are held back.
  std::pair<int, int> claimed(const QString& runId) {
    auto st = g_.site->store().prepare("SELECT report_id FROM training_queue WHERE run_id = ?");
    st.bind(1, runId.toStdString());
    int all = 0, held = 0;
    while (st.step()) {
      ++all;
      if (st.int64(0) % every_ == 0) ++held;
    }
    return {all, held};
  }
};

QTEST_GUILESS_MAIN(TestBackgroundTrainer)
#include "tst_background_trainer.moc"
