// fedmrg-cli pacs echo|find|get|store run as a program against a real Orthanc on loopback: studies
// written by `fedmrg-cli synth` are stored, found by date, retrieved by C-GET and by C-MOVE; a PACS
// that is down is an error that says so (exit 1), a bad option a usage error (exit 2).
#include <QDir>
#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

#include "app/orthanc_server.h"
#include "cli/cli_run.h"

using fedmrg::testing::OrthancServer;

class TstCliPacs : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<OrthancServer> orthanc_;
  int workstationPort_ = 0;

  QStringList peer() const {
    return {"--port", QString::number(orthanc_->dicomPort()), "--aet", QString::fromStdString(orthanc_->aeTitle),
            "--local-aet", "FEDMRGWS", "--local-port", QString::number(workstationPort_), "--timeout", "10"};
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    workstationPort_ = fedmrg::testing::freeLoopbackPort();
    orthanc_ = std::make_unique<OrthancServer>(dir_.filePath("orthanc"), "FEDMRGWS", workstationPort_);
    QString why;
    if (!orthanc_->start(&why)) FEDMRG_ORTHANC_UNAVAILABLE(why);
    const auto synth = clirun::run({"synth", "--out", dir_.filePath("synth"), "--studies-per-site", "1", "--size", "64"});
    QVERIFY2(synth.code == 0, qPrintable(synth.err));
  }

  void storeEchoFindGet() {
    QStringList files;
    QDirIterator it(dir_.filePath("synth"), {"*.dcm"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) files << it.next();
    QVERIFY(files.size() >= 4);
    auto r = clirun::run(QStringList{"pacs", "store"} + files + peer());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.out.count("stored "), files.size());

    r = clirun::run(QStringList{"pacs", "echo"} + peer());
    QVERIFY2(r.code == 0 && r.out.contains(": ok"), qPrintable(r.err));

    r = clirun::run(QStringList{"pacs", "find", "--from", "19000101", "--to", "29991231"} + peer());
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), files.size());
    const QStringList first = lines[0].split('\t');
    QCOMPARE(first.size(), 8);  // uid, date, name, id, accession, modalities, images, description
    QCOMPARE(first[6], QString("1"));
    r = clirun::run(QStringList{"pacs", "find", "--to", "19000101"} + peer());
    QVERIFY(r.code == 0 && r.out.isEmpty());

    const QString uid = first[0];
    for (const QString& method : {QString("get"), QString("move")}) {
      const QString out = dir_.filePath("got-" + method);
      r = clirun::run(QStringList{"pacs", "get", "--out", out, "--method", method, uid} + peer());
      QVERIFY2(r.code == 0, qPrintable(r.err));
      QCOMPARE(QDir(out + "/" + uid).entryList(QDir::Files).size(), 1);
    }
  }

  void pacsDownAndBadOptions() {
    auto r = clirun::run({"pacs", "echo", "--port", QString::number(fedmrg::testing::freeLoopbackPort())});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("connection refused"), qPrintable(r.err));
    r = clirun::run(QStringList{"pacs", "get", "--out", dir_.filePath("x"), "--method", "teleport", "1.2.3"} + peer());
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("--method"));
    r = clirun::run({"pacs"});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("echo, find, get or store"));
  }

  void cleanupTestCase() {
    if (orthanc_) orthanc_->stop();
  }
};

QTEST_GUILESS_MAIN(TstCliPacs)
#include "tst_cli_pacs.moc"
