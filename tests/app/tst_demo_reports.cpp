// The demo site's head start (app/site/demo_reports): FL-MRG-Synth's reference reports of imported studies are
// signed final through the report workflow, up to the count, once; studies the site lacks are skipped, and a
// file that is missing or holds something else than reports is named with its line.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/demo_reports.h"
#include "app/site/training_queue.h"
#include "app/training_site.h"

using namespace fedmrg::app;

class TestDemoReports : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  fedmrg::testing::TrainingSite t_;
  QString reports_;

  QString write(const QString& name, const QByteArray& text) {
    QFile f(dir_.filePath(name));
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return f.fileName();
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    t_ = fedmrg::testing::makeTrainingSite(dir_.path(), 7);
    // Every signed report counts here; which ones the gate holds back is tst_training_queue's subject.
    fedmrg::testing::setHeldBackEvery(*t_.site, fedmrg::testing::kHoldNothingBack);
    reports_ = dir_.filePath("synth/site-a/reports.jsonl");
    QVERIFY(QFile::exists(reports_));
  }

  void badFilesAreNamed() {
    const QString missing = dir_.filePath("missing.jsonl");
    try {
      signDemoReports(*t_.site, 1, {missing}, 5);
      QFAIL("a missing file was accepted");
    } catch (const StoreError& e) {
      QVERIFY2(QString(e.what()).contains(missing + ": cannot read"), e.what());
    }
    const QString other = write("other.jsonl", "\n{\"file\": \"x.dcm\"}\n");
    try {
      signDemoReports(*t_.site, 1, {other}, 5);
      QFAIL("a line without a report was accepted");
    } catch (const StoreError& e) {
      QVERIFY2(QString(e.what()).contains(other + ":2: not a report line"), e.what());
    }
    QCOMPARE(TrainingQueue(*t_.site).pendingCount(), 0);
  }

  void signsReferenceReportsFinalOnce() {
    // A study the site does not hold is skipped, not an error.
    const QString withStranger =
        write("stranger.jsonl", "{\"study_uid\": \"1.2.3.4\", \"report\": \"FINDINGS: none. IMPRESSION: none.\"}\n");
    QCOMPARE(signDemoReports(*t_.site, 1, {withStranger, reports_}, 5), 5);
    QCOMPARE(TrainingQueue(*t_.site).pendingCount(), 5);  // final reports enter the training queue
    ReportService reports(*t_.site, 1);
    for (size_t i = 0; i < 5; ++i) {
      const auto v = reports.latest(t_.studies[i]);
      QVERIFY(v);
      QCOMPARE(v->status, ReportStatus::Final);
      QCOMPARE(v->findings, splitReportText(t_.records[i].report).findings);  // the reference text, not a draft
      QCOMPARE(v->origin, std::string("human"));
    }
    QVERIFY(!reports.latest(t_.studies[5]));
    // Once: a later start signs nothing more.
    QCOMPARE(signDemoReports(*t_.site, 1, {reports_}, 5), 0);
    QCOMPARE(TrainingQueue(*t_.site).pendingCount(), 5);
  }
};

QTEST_GUILESS_MAIN(TestDemoReports)
#include "tst_demo_reports.moc"
