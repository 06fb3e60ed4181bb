// Imported patient data at rest (issue 15, items 5 and 6), through the importer as a user runs it:
// after an import nothing in the site folder holds the patient's name or the DICOM preamble; files
// are 0600 in 0700 folders whatever the umask; a child process importing, SIGKILLed at random
// points, leaves no plain file and a consistent store; UIDs that break the grammar are refused.
#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdio>

#include "app/site/dicom_importer.h"
#include "app/site/image_loader.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/site_scan.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;
using fedmrg::testing::filesContaining;
using fedmrg::testing::looseModes;
using fedmrg::testing::TestDicom;
using fedmrg::testing::writeTestDicom;

namespace {

constexpr const char* kPassphrase = "at rest passphrase";
constexpr const char* kName = "Confidential^Rosalind";
constexpr int kChildFiles = 40;

QString writeSources(const QString& dir, int count) {
  QDir().mkpath(dir);
  for (int i = 0; i < count; ++i) {
    TestDicom d;
    d.patientName = kName;
    d.studyUid = "1.2.826.0.1.3680043.10.99." + std::to_string(100 + i % 5);
    d.width = d.height = 64;
    writeTestDicom(QDir(dir).filePath(QStringLiteral("src%1.dcm").arg(i)).toStdString(), d);
  }
  return dir;
}

// The child: imports the files one at a time and prints "ack N" after each import returned.
int runChild(const QString& siteDir, const QString& sources) {
  auto site = Site::open(siteDir, kPassphrase);
  DicomImporter importer(*site, 0);
  const QStringList files = DicomImporter::collectFiles({sources});
  for (int i = 0; i < files.size(); ++i) {
    importer.importFiles({files[i]});
    std::printf("ack %d\n", i + 1);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

class TstImportAtRest : public QObject {
  Q_OBJECT

 private slots:
  void siteFolderHoldsNothingReadable() {
    QTemporaryDir dir;
    const QString siteDir = dir.filePath("site");
    const mode_t old = ::umask(0);  // modes must not come from the umask
    auto site = Site::create(siteDir, kPassphrase, "At rest", "admin", "Admin", "adminpass1");
    const QString sources = writeSources(dir.filePath("incoming"), 3);
    const ImportResult r = DicomImporter(*site, 0).importPaths({sources});
    ::umask(old);
    QCOMPARE(r.imported, 3);
    QVERIFY(r.errors.empty());
    QCOMPARE(filesContaining(sources, kName).size(), 3);  // the probe finds the name where it is plain
    QCOMPARE(filesContaining(siteDir, kName), QStringList());
    QCOMPARE(filesContaining(siteDir, "DICM"), QStringList());
    QCOMPARE(looseModes(siteDir), QStringList());
    // Stored under names the importer drew, never a UID from the file.
    const auto images = studyImages(*site, r.firstStudyId);
    QVERIFY(!images.empty());
    for (const auto& image : images) {
      QVERIFY(!image.file.contains("1.2.826"));
      QVERIFY(image.file.endsWith(".fmi"));
    }
    // The viewer decodes them from memory; without the key they do not open.
    const auto shown = ImageLoader(site->vault()).load(images.front().file);
    QCOMPARE(shown->info.patientName, std::string(kName));
    QVERIFY_THROWS_EXCEPTION(std::exception, ImageLoader().load(images.front().file));
  }

  void uidsBreakingTheGrammarAreRefusedWithTheReason() {
    QTemporaryDir dir;
    auto site = Site::create(dir.filePath("site"), kPassphrase, "UIDs", "admin", "Admin", "adminpass1");
    TestDicom bad;
    bad.sopUid = "1.2.840.0123.5";
    writeTestDicom(dir.filePath("leading-zero.dcm").toStdString(), bad);
    TestDicom letters;
    letters.studyUid = "1.2.abc";
    writeTestDicom(dir.filePath("letters.dcm").toStdString(), letters);
    const ImportResult r =
        DicomImporter(*site, 0).importFiles({dir.filePath("leading-zero.dcm"), dir.filePath("letters.dcm")});
    QCOMPARE(r.imported, 0);
    QCOMPARE(int(r.errors.size()), 2);
    QVERIFY2(r.errors[0].reason.contains("SOP Instance UID") && r.errors[0].reason.contains("leading zero"),
             qPrintable(r.errors[0].reason));
    QVERIFY2(r.errors[1].reason.contains("Study Instance UID") && r.errors[1].reason.contains("digit"),
             qPrintable(r.errors[1].reason));
    QCOMPARE(QDir(site->imageDir()).entryList(QDir::Files | QDir::Hidden), QStringList());
  }

  void killedImportLeavesNoPlainFile() {
    QTemporaryDir dir;
    const QString siteDir = dir.filePath("site");
    const QString sources = writeSources(dir.filePath("incoming"), kChildFiles);
    Site::create(siteDir, kPassphrase, "Killed", "admin", "Admin", "adminpass1");
    for (int round = 0; round < 3; ++round) {
      QProcess child;
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert("FEDMRG_AT_REST_CHILD", siteDir + "\n" + sources);
      child.setProcessEnvironment(env);
      child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
      child.start(QCoreApplication::applicationFilePath(), {});
      QVERIFY(child.waitForStarted());
      // A random point: after a random number of acknowledged imports plus a random pause.
      const int killAfter = QRandomGenerator::global()->bounded(1, kChildFiles / 2);
      int acked = 0;
      QByteArray out;
      while (acked < killAfter && child.state() == QProcess::Running) {
        child.waitForReadyRead(1000);
        out += child.readAllStandardOutput();
        acked = int(out.count("ack "));
      }
      QThread::usleep(QRandomGenerator::global()->bounded(20000));
      child.kill();
      QVERIFY(child.waitForFinished(10000));
      QCOMPARE(filesContaining(siteDir, kName), QStringList());
      QCOMPARE(filesContaining(siteDir, "DICM"), QStringList());
      auto site = Site::open(siteDir, kPassphrase);
      QCOMPARE(site->store().integrityCheck(), std::string("ok"));
      const QString problem = fedmrg::testing::storedImagesProblem(*site, kName);
      QVERIFY2(problem.isEmpty(), qPrintable(problem));
      // Every import acknowledged before the kill is there (imports are de-duplicated across rounds).
      QVERIFY(site->store().queryInt("SELECT count(*) FROM images") >= acked);
    }
  }
};

int main(int argc, char** argv) {
  const QByteArray child = qgetenv("FEDMRG_AT_REST_CHILD");
  if (!child.isEmpty()) {
    const QList<QByteArray> parts = child.split('\n');
    return runChild(QString::fromLocal8Bit(parts.value(0)), QString::fromLocal8Bit(parts.value(1)));
  }
  QCoreApplication app(argc, argv);
  TstImportAtRest t;
  return QTest::qExec(&t, argc, argv);
}
#include "tst_import_at_rest.moc"
