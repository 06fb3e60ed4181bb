// The durable training queue (app/site/training_queue): a signed final report enters it once, and runs
// consume entries exactly once: claim, commit, release, and the store's refusals of a second commit; reports held
// back for the quality gate are consumed as held back, never claimed.
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "app/site/training_queue.h"
#include "app/training_site.h"

using namespace fedmrg::app;

class TestTrainingQueue : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  fedmrg::testing::TrainingSite t_;

  int entriesOf(const std::string& runId, const std::string& state) {
    auto st = t_.site->store().prepare("SELECT count(*) FROM training_queue WHERE run_id = ? AND state = ?");
    st.bind(1, runId).bind(2, state);
    st.step();
    return int(st.int64(0));
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    t_ = fedmrg::testing::makeTrainingSite(dir_.path(), 9);
    QCOMPARE(t_.studies.size(), size_t(9));
    fedmrg::testing::setHeldBackEvery(*t_.site, fedmrg::testing::kHoldNothingBack);  // until the held-back test
  }

  // Signing final enqueues the signed version once; a second sign-off and an addendum do not.
  void signingFinalEnqueuesOnce() {
    TrainingQueue q(*t_.site);
    QCOMPARE(q.pendingCount(), 0);
    ReportService reports(*t_.site, 1);
    const auto sections = splitReportText(t_.records[0].report);
    reports.save(t_.studies[0], sections.findings, sections.impression, encodeLabels(blankFindings()));
    reports.sign(t_.studies[0], ReportStatus::Preliminary, ChipsAgainstText::ConfirmedByUser);
    QCOMPARE(q.pendingCount(), 0);  // preliminary: not a training report yet
    const auto signedVersion = reports.sign(t_.studies[0], ReportStatus::Final, ChipsAgainstText::ConfirmedByUser);
    QCOMPARE(q.pendingCount(), 1);
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.sign(t_.studies[0], ReportStatus::Final));
    reports.addAddendum(t_.studies[0], "Addendum: no change.");
    QCOMPARE(q.pendingCount(), 1);
    QCOMPARE(t_.site->store().queryInt("SELECT report_id FROM training_queue"), signedVersion.id);
    // The store itself refuses a second entry of the same report version.
    auto again = t_.site->store().prepare("INSERT INTO training_queue(report_id, study_id, queued_at) VALUES(?, ?, ?)");
    again.bind(1, signedVersion.id).bind(2, t_.studies[0]).bind(3, nowUtc());
    QVERIFY_THROWS_EXCEPTION(StoreError, again.run());
  }

  // A run claims the oldest entries; a second claim waits for it; commit consumes them once.
  void claimCommitConsumesOnce() {
    for (size_t i = 1; i < 4; ++i) fedmrg::testing::signFinal(t_, i);
    TrainingQueue q(*t_.site);
    QCOMPARE(q.pendingCount(), 4);
    const auto run = q.claim("/models/start", 30, 3);
    QVERIFY(run);
    QCOMPARE(run->state, std::string("running"));
    QCOMPARE(run->steps, 30);
    QCOMPARE(q.pendingCount(), 1);
    QCOMPARE(entriesOf(run->id, "training"), 3);
    QVERIFY_THROWS_EXCEPTION(StoreError, q.claim("/models/start", 30, 3));  // one run at a time
    QCOMPARE(q.runningRun()->id, run->id);

    const auto studies = q.studies(run->id);
    QCOMPARE(studies.size(), size_t(3));
    QCOMPARE(studies[0].studyId, t_.studies[0]);  // oldest first
    for (const auto& s : studies) {
      QVERIFY(!s.imageFile.isEmpty());
      QVERIFY(!s.findings.empty() || !s.impression.empty());
    }

    q.commit(run->id, "adapters/" + QString::fromStdString(run->id), 3, {{studies[2].entryId, "unreadable"}});
    QCOMPARE(entriesOf(run->id, "used"), 2);
    QCOMPARE(entriesOf(run->id, "unusable"), 1);
    QCOMPARE(q.latestCommitted()->id, run->id);
    QCOMPARE(q.latestCommitted()->adapterDir, "adapters/" + QString::fromStdString(run->id));
    QVERIFY(!q.runningRun());
    // Consumed once: neither a second commit nor a release may touch the run again.
    QVERIFY_THROWS_EXCEPTION(StoreError, q.commit(run->id, "adapters/x", 3));
    QVERIFY_THROWS_EXCEPTION(StoreError, q.release(run->id, "cancelled", ""));
    QCOMPARE(entriesOf(run->id, "used"), 2);
    QCOMPARE(q.pendingCount(), 1);
  }

  // A cancelled run gives its entries back; the next run takes them, and each entry ends in one run.
  void releaseReturnsEntries() {
    fedmrg::testing::signFinal(t_, 4);
    TrainingQueue q(*t_.site);
    const auto first = q.claim("/models/start", 10, 10);
    QVERIFY(first);
    QCOMPARE(q.pendingCount(), 0);
    QVERIFY_THROWS_EXCEPTION(StoreError, q.release(first->id, "committed", ""));  // not a release state
    q.release(first->id, "cancelled", "cancelled by the user");
    QCOMPARE(q.pendingCount(), 2);
    QCOMPARE(q.run(first->id)->state, std::string("cancelled"));
    QVERIFY_THROWS_EXCEPTION(StoreError, q.commit(first->id, "adapters/x", 2));  // its entries are gone
    const auto second = q.claim("/models/start", 10, 10);
    QVERIFY(second);
    QCOMPARE(entriesOf(second->id, "training"), 2);
    q.commit(second->id, "adapters/y", 2);
    QCOMPARE(t_.site->store().queryInt("SELECT count(*) FROM training_queue WHERE state = 'used'"), 4);
    // No entry in two committed runs, none lost.
    QCOMPARE(t_.site->store().queryInt("SELECT count(*) FROM training_queue WHERE state IN ('queued', 'training')"), 0);
    QCOMPARE(t_.site->store().queryInt("SELECT count(*) FROM training_queue"), 5);
    QVERIFY(!q.claim("/models/start", 10, 10));  // nothing pending
    // Every step is in the audit log, without report text.
    QVERIFY(t_.site->store().queryInt("SELECT count(*) FROM audit_log WHERE action = 'training.run.cancelled'") == 1);
    QVERIFY(t_.site->store().queryInt("SELECT count(*) FROM audit_log WHERE action = 'training.run.commit'") == 2);
  }

  // A report the quality gate holds back (ModelVersions::isHeldBack) does not wait for training, and the next
  // claim consumes its entry as 'held_back' in the same transaction: never in a run, never left pending.
  void heldBackReportsAreNeverClaimed() {
    std::vector<int64_t> ids;
    for (size_t i = 5; i < 9; ++i) ids.push_back(fedmrg::testing::signFinal(t_, i).id);
    TrainingQueue q(*t_.site);
    QCOMPARE(q.pendingCount(), 4);
    const int64_t held = ids[1];
    fedmrg::testing::setHeldBackEvery(*t_.site, int(held));  // only this report's id is a multiple: held back
    QVERIFY(ModelVersions::isHeldBack(held, ModelVersions(*t_.site, 1).gateSettings()));
    QCOMPARE(q.pendingCount(), 3);
    std::vector<int64_t> gateSet;
    for (const auto& r : ModelVersions(*t_.site, 1).heldBackReports()) gateSet.push_back(r.reportId);
    QCOMPARE(gateSet, std::vector<int64_t>{held});

    const auto run = q.claim("/models/start", 10, 10);
    QVERIFY(run);
    QCOMPARE(entriesOf(run->id, "training"), 3);
    for (const auto& s : q.studies(run->id)) QVERIFY(s.reportId != held);
    auto st = t_.site->store().prepare("SELECT state, run_id IS NULL, consumed_at IS NOT NULL FROM training_queue "
                                       "WHERE report_id = ?");
    st.bind(1, held);
    QVERIFY(st.step());
    QCOMPARE(st.text(0), std::string("held_back"));
    QVERIFY(st.int64(1) && st.int64(2));
    // Consumed once: a release gives back the run's entries only, and the held-back one stays for the gate.
    q.release(run->id, "cancelled", "");
    QCOMPARE(q.pendingCount(), 3);
    QCOMPARE(q.count("held_back"), 1);
    QCOMPARE(t_.site->store().queryInt("SELECT count(*) FROM audit_log WHERE action = 'training.queue.held_back'"),
             int64_t(1));
    // A report trained on is never in the gate's set, even when the period later makes it held back.
    const auto again = q.claim("/models/start", 10, 10);
    q.commit(again->id, "adapters/z", 3);
    fedmrg::testing::setHeldBackEvery(*t_.site, 1);
    for (const auto& r : ModelVersions(*t_.site, 1).heldBackReports())
      QVERIFY2(std::find(ids.begin(), ids.end(), r.reportId) == ids.end() || r.reportId == held,
               qPrintable(QString::number(r.reportId)));
  }
};

QTEST_GUILESS_MAIN(TestTrainingQueue)
#include "tst_training_queue.moc"
