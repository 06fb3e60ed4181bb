// The workstation's screenshots at an event (app/programs/demo_screenshots), through the fedmrg program: when the
// event does not come within --screenshot-wait (no signed report to train on, no federation round recorded), each
// screenshot is still taken, of the main window and of the federation panel, and the console says what it lacks;
// a bad wait is refused naming the option.
#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "app/test_dicom.h"
#include "ui/program_run.h"

namespace {

fedmrg::testing::ProgramRun runFedmrg(const QStringList& args) {
  return fedmrg::testing::runProgram(FEDMRG_PROGRAM, args);
}

}  // namespace

class TestDemoScreenshots : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString study_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("needs an X display (scripts/with-display.sh)");
    study_ = dir_.filePath("study.dcm");
    fedmrg::testing::TestDicom image;
    image.width = image.height = 128;
    fedmrg::testing::writeTestDicom(study_.toStdString(), image);
  }

  void withoutTheirEventsBothAreTakenAndSaySo() {
    const QString main = dir_.filePath("main.png"), training = dir_.filePath("training.png"),
                  panel = dir_.filePath("federation.png");
    const auto r = runFedmrg({"--demo-site", dir_.filePath("site"), "--import", study_, "--screenshot", main,
                              "--screenshot-training", training, "--screenshot-federation", panel, "--screenshot-wait",
                              "1", "--quit-after-screenshot"});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("Background training reported no step within 1 s (0 signed reports pending)"),
             qPrintable(r.out));
    QVERIFY2(r.out.contains("The site recorded no federation round within 1 s"), qPrintable(r.out));
    const QImage window(main), trainingShot(training), panelShot(panel);
    QVERIFY(!window.isNull() && !trainingShot.isNull() && !panelShot.isNull());
    QCOMPARE(trainingShot.size(), window.size());  // the main window with its status bar
    QVERIFY(panelShot.width() < window.width());   // the panel alone, not the window behind it
    QVERIFY2(r.out.contains("Screenshot saved to " + QFileInfo(panel).absoluteFilePath()), qPrintable(r.out));
  }

  void aBadWaitIsRefused() {
    const auto r = runFedmrg({"--demo-site", dir_.filePath("site"), "--screenshot-training", dir_.filePath("t.png"),
                              "--screenshot-wait", "soon", "--quit-after-screenshot"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.out.contains("--screenshot-wait: 'soon' is not a number of seconds"), qPrintable(r.out));
    QVERIFY(!QFile::exists(dir_.filePath("t.png")));
  }
};

QTEST_GUILESS_MAIN(TestDemoScreenshots)
#include "tst_demo_screenshots.moc"
