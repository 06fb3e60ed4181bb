// The fedmrg program as installed: in a prefix laid out as the package lays it out (bin/fedmrg,
// share/fedmrg/models/default) it drafts with the installed model without --model, and files given
// on its command line (as the desktop entry's %F passes them) are imported and their study opened.
#include "app/tiny_model.h"  // LibTorch first: Qt's "slots" macro breaks its headers

#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/test_dicom.h"
#include "ui/program_run.h"

using namespace fedmrg;

using testing::runProgram;
using Run = testing::ProgramRun;

class TstFedmrgProgram : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> tmp_;
  QDir dir_;
  QString study_;

 private slots:
  void initTestCase() {
    // Beside the build (FEDMRG_TEST_TMP): the hard link below needs the program's file system.
    const QString parent = qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath());
    QVERIFY(QDir().mkpath(parent));
    tmp_ = std::make_unique<QTemporaryDir>(QDir(parent).filePath("fedmrg-program-XXXXXX"));
    QVERIFY(tmp_->isValid());
    dir_.setPath(tmp_->path());
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("needs an X display (scripts/with-display.sh)");
    study_ = dir_.filePath("given.dcm");
    testing::TestDicom image;
    image.width = image.height = 128;
    image.studyUid = "1.2.826.0.1.3680043.10.99.77";
    image.patientName = "Given^ByTheDesktop";
    testing::writeTestDicom(study_.toStdString(), image);
  }

  void installedModelIsFoundAndGivenFilesAreOpened() {
    // bin/fedmrg is the built program under another name (a hard link: the program finds its folder
    // through /proc/self/exe, which a symbolic link would resolve back to the build tree).
    const QString bin = dir_.filePath("prefix/bin"), model = dir_.filePath("prefix/share/fedmrg/models/default");
    QVERIFY(QDir().mkpath(bin) && QDir().mkpath(model));
    const QString program = QDir(bin).filePath("fedmrg");
    if (::link(FEDMRG_PROGRAM, program.toLocal8Bit().constData()) != 0) QVERIFY(QFile::copy(FEDMRG_PROGRAM, program));
    testing::writeTinyModel(model.toStdString());

    const QString site = dir_.filePath("installed-site");
    const Run r = runProgram(program, {"--demo-site", site, "--quit-after-screenshot", study_});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("Imported 1 images (1 new studies)"), qPrintable(r.out));
    QVERIFY2(r.out.contains("Opened the study of " + QDir::toNativeSeparators(study_)), qPrintable(r.out));
    QVERIFY2(r.out.contains("Draft: "), qPrintable(r.out));
    QVERIFY2(!r.out.contains("No report model installed"), qPrintable(r.out));

    auto opened = app::Site::open(site, "fedmrg-demo-passphrase");
    const auto studies = app::listStudies(*opened);
    QCOMPARE(int(studies.size()), 1);
    QCOMPARE(studies.front().studyUid, std::string("1.2.826.0.1.3680043.10.99.77"));
  }

  void withoutAnInstalledModelTheEditorSaysWhereOneGoes() {
    // The build tree's program has no share/ beside it: no model, and the message names the site's folder.
    const QString site = dir_.filePath("build-site");
    const Run r = runProgram(FEDMRG_PROGRAM, {"--demo-site", site, "--quit-after-screenshot", study_});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("No report model installed"), qPrintable(r.out));
    QVERIFY2(r.out.contains(QDir::toNativeSeparators(QDir(site).filePath("model"))), qPrintable(r.out));
    QVERIFY2(r.out.contains("Opened the study of"), qPrintable(r.out));
  }
};

QTEST_GUILESS_MAIN(TstFedmrgProgram)
#include "tst_fedmrg_program.moc"
