// A site made before images were encrypted (plain files at images/<study UID>/<SOP UID>.dcm, no
// image key): the first open gives it a key and seals every file; no plain file remains, every row
// decodes. A process SIGKILLed during that migration loses nothing and leaves, after the next open,
// no plain file either.
#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/image_migration.h"
#include "app/site/site.h"
#include "app/site_scan.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;
using fedmrg::testing::filesContaining;
using fedmrg::testing::looseModes;

namespace {

constexpr const char* kPassphrase = "migration passphrase";
constexpr const char* kName = "Legacy^Hypatia";

// Builds a site as the previous release left it: `count` images stored plain under UID names, with
// loose modes, and no image key in the store.
void makeLegacySite(const QString& siteDir, const QString& scratch, int count) {
  auto site = Site::create(siteDir, kPassphrase, "Legacy", "admin", "Admin", "adminpass1");
  QDir().mkpath(scratch);
  for (int i = 0; i < count; ++i) {
    fedmrg::testing::TestDicom d;
    d.patientName = kName;
    d.width = d.height = 64;
    fedmrg::testing::writeTestDicom(QDir(scratch).filePath(QStringLiteral("s%1.dcm").arg(i)).toStdString(), d);
  }
  DicomImporter(*site, 0).importPaths({scratch});
  auto rows = site->store().prepare(
      "SELECT i.id, i.file_path, i.sop_uid, s.study_uid FROM images i JOIN series r ON i.series_id = r.id "
      "JOIN studies s ON r.study_id = s.id");
  std::vector<std::pair<int64_t, QString>> moved;
  while (rows.step()) {
    const QString rel = QStringLiteral("images/%1/%2.dcm")
                            .arg(QString::fromStdString(rows.text(3)), QString::fromStdString(rows.text(2)));
    QDir().mkpath(QFileInfo(QDir(siteDir).filePath(rel)).absolutePath());
    QFile out(QDir(siteDir).filePath(rel));
    if (!out.open(QIODevice::WriteOnly)) throw std::runtime_error("cannot write the legacy file");
    out.write(site->vault()->read(QString::fromStdString(rows.text(1))));
    out.setPermissions(QFileDevice::Permissions(0x6644));
    QFile::remove(QDir(siteDir).filePath(QString::fromStdString(rows.text(1))));
    moved.emplace_back(rows.int64(0), rel);
  }
  for (const auto& [id, rel] : moved) {
    auto st = site->store().prepare("UPDATE images SET file_path = ? WHERE id = ?");
    st.bind(1, rel.toStdString()).bind(2, id).run();
  }
  site->store().exec("DELETE FROM settings WHERE key = 'images.key'");
  QFile::setPermissions(siteDir, QFileDevice::Permissions(0x7755));
}

}  // namespace

class TstImageMigration : public QObject {
  Q_OBJECT

 private slots:
  void firstOpenSealsEveryPlainFile() {
    QTemporaryDir dir;
    const QString siteDir = dir.filePath("site");
    makeLegacySite(siteDir, dir.filePath("scratch"), 4);
    QCOMPARE(filesContaining(siteDir, kName).size(), 4);  // the fixture is what an old site holds
    auto site = Site::open(siteDir, kPassphrase);
    QVERIFY(site->store().setting("images.key").has_value());
    QCOMPARE(filesContaining(siteDir, kName), QStringList());
    QCOMPARE(filesContaining(siteDir, "DICM"), QStringList());
    QCOMPARE(looseModes(siteDir), QStringList());
    QCOMPARE(QDir(site->imageDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList());  // old folders gone
    QCOMPARE(site->store().queryInt("SELECT count(*) FROM images"), 4);
    const QString problem = fedmrg::testing::storedImagesProblem(*site, kName);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(site->store().queryInt("SELECT count(*) FROM audit_log WHERE action = 'images.encrypt'"), 1);
    // A second open has nothing left to do.
    QCOMPARE(sealPlainImages(site->store(), *site->vault()).sealed, 0);
  }

  void killedMigrationLosesNothingAndLeavesNoPlainFile() {
    QTemporaryDir dir;
    const QString siteDir = dir.filePath("site");
    constexpr int kImages = 30;
    makeLegacySite(siteDir, dir.filePath("scratch"), kImages);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("FEDMRG_MIGRATION_CHILD", siteDir);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted());
    // Somewhere in the migration: after the child reports it is opening, a random pause.
    QVERIFY(child.waitForReadyRead(10000));
    QThread::usleep(QRandomGenerator::global()->bounded(150000));
    child.kill();
    QVERIFY(child.waitForFinished(10000));
    auto site = Site::open(siteDir, kPassphrase);
    QCOMPARE(filesContaining(siteDir, kName), QStringList());
    QCOMPARE(site->store().queryInt("SELECT count(*) FROM images"), kImages);
    const QString problem = fedmrg::testing::storedImagesProblem(*site, kName);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }
};

int main(int argc, char** argv) {
  const QByteArray child = qgetenv("FEDMRG_MIGRATION_CHILD");
  if (!child.isEmpty()) {
    std::puts("opening");
    std::fflush(stdout);
    Site::open(QString::fromLocal8Bit(child), kPassphrase);
    return 0;
  }
  QCoreApplication app(argc, argv);
  TstImageMigration t;
  return QTest::qExec(&t, argc, argv);
}
#include "tst_image_migration.moc"
