// TrainingStatusWidget (ui/training_status_widget): the status bar's view of a real background run on a
// real site (tiny model): hidden while idle, the step and a progress bar while training, Cancel ends the
// run and gives its reports back; a committed run's version goes through the quality gate, whose decision and
// reason the status bar shows.
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "app/site/background_trainer.h"
#include "app/site/training_queue.h"
#include "app/training_site.h"
#include "ui/training_status_widget.h"

using namespace fedmrg;

class TestTrainingStatusWidget : public QObject {
  Q_OBJECT

  // A site with two signed reports, none held back, and a tiny model in dir/model.
  static testing::TrainingSite siteWithTwoSignedReports(const QTemporaryDir& dir) {
    auto t = testing::makeTrainingSite(dir.path(), 2);
    testing::writeTinyTrainingModel(dir.filePath("model"), t.records);
    testing::setHeldBackEvery(*t.site, testing::kHoldNothingBack);
    testing::signFinal(t, 0);
    testing::signFinal(t, 1);
    return t;
  }

  static app::BackgroundTrainingOptions options(int steps) {
    app::BackgroundTrainingOptions o;
    o.steps = steps;
    o.batchSize = 2;
    o.niceness = 0;
    return o;
  }

 private slots:
  void showsProgressAndCancels() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto t = siteWithTwoSignedReports(dir);
    app::BackgroundTrainer trainer(*t.site, dir.filePath("model"), nullptr, options(100000));
    ui::TrainingStatusWidget widget(&trainer);
    widget.show();
    QVERIFY(!widget.progressBar()->isVisible());
    QVERIFY(!widget.cancelButton()->isVisible());

    QSignalSpy progress(&trainer, &app::BackgroundTrainer::progress);
    QSignalSpy finished(&trainer, &app::BackgroundTrainer::finished);
    QVERIFY(trainer.startRun(true));
    QVERIFY(widget.progressBar()->isVisible());
    QVERIFY(progress.wait(30000));
    QTRY_VERIFY(widget.label()->text().contains("step"));
    QCOMPARE(widget.progressBar()->maximum(), 100000);
    QVERIFY(widget.progressBar()->value() >= 1);

    QTest::mouseClick(widget.cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY(!widget.progressBar()->isVisible());
    QVERIFY(!widget.cancelButton()->isVisible());
    QCOMPARE(widget.label()->text(), QStringLiteral("Training stopped"));
    QCOMPARE(app::TrainingQueue(*t.site).pendingCount(), 2);
  }

  // A committed run: the gate checks its version (here with no held-back report, which it cannot judge), and the
  // status bar says the version is not used and why.
  void showsTheGateDecision() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto t = siteWithTwoSignedReports(dir);
    app::BackgroundTrainer trainer(*t.site, dir.filePath("model"), nullptr, options(2));
    ui::TrainingStatusWidget widget(&trainer);
    widget.show();
    QSignalSpy gate(&trainer, &app::BackgroundTrainer::gateFinished);
    QVERIFY(trainer.startRun(true));
    QVERIFY(gate.wait(60000));
    QVERIFY(!gate.at(0).at(1).toBool());
    const QString text = widget.label()->text();
    QVERIFY2(text.startsWith(QStringLiteral("New adapter version v%1 not used: not checked: only 0 held-back")
                                 .arg(gate.at(0).at(0).toLongLong())),
             qPrintable(text));
    QCOMPARE(widget.label()->toolTip(), gate.at(0).at(2).toString());
    QVERIFY(!widget.progressBar()->isVisible());
    QVERIFY(!trainer.isRunning());
  }
};

QTEST_MAIN(TestTrainingStatusWidget)
#include "tst_training_status_widget.moc"
