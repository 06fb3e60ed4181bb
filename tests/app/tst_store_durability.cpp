// A process SIGKILLed in the middle of 1,000 report saves: the store reopens, passes
// PRAGMA integrity_check, and holds every save that was acknowledged before the kill. And what a kill cannot
// show (the OS keeps a dead process's writes): a save returns only after the write-ahead log was fsynced.
#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdio>

#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/sync_counting_vfs.h"

using namespace fedmrg::app;

namespace {

constexpr int kSaves = 1000;
constexpr const char* kPassphrase = "durability passphrase";

std::string findingsOf(int i) { return "Save number " + std::to_string(i) + ": lungs are clear."; }

// The child: saves report versions and prints "ack N" after each commit returned.
int runChild(const QString& siteDir) {
  auto site = Site::open(siteDir, kPassphrase);
  const int64_t study = site->store().queryInt("SELECT id FROM studies LIMIT 1");
  ReportService reports(*site, 0);
  for (int i = 1; i <= kSaves; ++i) {
    reports.save(study, findingsOf(i), "Impression " + std::to_string(i), "");
    std::printf("ack %d\n", i);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

class TstStoreDurability : public QObject {
  Q_OBJECT

 private slots:
  void killedWriterLosesNoAcknowledgedSave() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString siteDir = dir.filePath("site");
    {
      auto site = Site::create(siteDir, kPassphrase, "Durable", "admin", "Admin", "adminpass1");
      auto st = site->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES('1.2.3', ?)");
      st.bind(1, nowUtc()).run();
    }
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("FEDMRG_DURABILITY_CHILD", siteDir);
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted());

    int acked = 0;
    QByteArray pending;
    auto readAcks = [&] {
      pending += child.readAllStandardOutput();
      int nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const QByteArray line = pending.left(nl);
        pending.remove(0, nl + 1);
        if (line.startsWith("ack ")) acked = line.mid(4).toInt();
      }
    };
    // Kill somewhere in the middle: after a third of the saves, at a moment set by the scheduler.
    while (acked < kSaves / 3 && child.state() == QProcess::Running) {
      child.waitForReadyRead(1000);
      readAcks();
    }
    QVERIFY2(child.state() == QProcess::Running, "the writer finished before it could be killed");
    child.kill();  // SIGKILL
    QVERIFY(child.waitForFinished(10000));
    readAcks();  // acknowledgements printed before the kill
    QVERIFY(acked >= kSaves / 3);
    QVERIFY(acked < kSaves);

    auto site = Site::open(siteDir, kPassphrase);
    QCOMPARE(site->store().integrityCheck(), std::string("ok"));
    ReportService reports(*site, 0);
    const int64_t study = site->store().queryInt("SELECT id FROM studies LIMIT 1");
    const auto versions = reports.versions(study);
    QVERIFY2(int(versions.size()) >= acked,
             qPrintable(QString("%1 versions stored, %2 acknowledged").arg(versions.size()).arg(acked)));
    QVERIFY(int(versions.size()) <= acked + 1);  // at most the one in flight
    for (int i = 1; i <= acked; ++i) QCOMPARE(versions[size_t(i - 1)].findings, findingsOf(i));
    qInfo("killed after %d acknowledged saves; %d versions present", acked, int(versions.size()));
  }

  // A killed process loses nothing that reached the OS, so the test above passes even with synchronous=OFF; a
  // power cut loses what is still in the page cache. With the write-ahead log and synchronous=FULL, SQLite fsyncs
  // the log at every commit: each save must have synced it before it returned.
  void everySaveIsSyncedBeforeItReturns() {
    fedmrg::testing::SyncCountingVfs vfs;  // the default VFS while it lives; the site below closes first
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto site = Site::create(dir.filePath("site"), kPassphrase, "Durable", "admin", "Admin", "adminpass1");
    auto st = site->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES('1.2.3', ?)");
    st.bind(1, nowUtc()).run();
    const int64_t study = site->store().queryInt("SELECT id FROM studies LIMIT 1");
    QCOMPARE(site->store().queryText("PRAGMA journal_mode").value_or(""), std::string("wal"));
    QCOMPARE(site->store().queryInt("PRAGMA synchronous"), int64_t(2));  // FULL (NORMAL does not sync the log)
    ReportService reports(*site, 0);
    for (int i = 1; i <= 5; ++i) {
      const int before = vfs.walSyncs();
      reports.save(study, findingsOf(i), "Impression", "");
      QVERIFY2(vfs.walSyncs() > before,
               qPrintable(QString("save %1 returned before the write-ahead log was synced to disk").arg(i)));
    }
    QCOMPARE(int(reports.versions(study).size()), 5);
  }
};

int main(int argc, char** argv) {
  const QString childSite = qEnvironmentVariable("FEDMRG_DURABILITY_CHILD");
  if (!childSite.isEmpty()) {
    try {
      return runChild(childSite);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: %s\n", e.what());
      return 1;
    }
  }
  QCoreApplication app(argc, argv);
  TstStoreDurability test;
  return QTest::qExec(&test, argc, argv);
}
#include "tst_store_durability.moc"
