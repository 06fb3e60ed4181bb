// fedmrg-coordinator's command line: help and version answer, bad arguments and an address it
// cannot listen on fail with a reason, and it serves on the port it reports.
#include <QtTest>

#include "fedmrg_version.h"

class TestCoordinatorArgs : public QObject {
  Q_OBJECT
 private:
  static int run(const QStringList& args, QString* out, QString* err) {
    QProcess p;
    p.start(FEDMRG_COORDINATOR, args);
    if (!p.waitForFinished(30000)) return -1;
    *out = QString::fromUtf8(p.readAllStandardOutput());
    *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitCode();
  }

 private slots:
  void helpAndVersionAnswer() {
    QString out, err;
    QCOMPARE(run({"--help"}, &out, &err), 0);
    QVERIFY(out.contains("usage: fedmrg-coordinator"));
    QCOMPARE(run({"--version"}, &out, &err), 0);
    QCOMPARE(out.trimmed(), QString("fedmrg-coordinator " FEDMRG_VERSION_STRING));
  }
  void badArgumentsAreRefused() {
    QString out, err;
    QCOMPARE(run({"--bogus"}, &out, &err), 2);
    QVERIFY(err.contains("unknown argument '--bogus'"));
    QCOMPARE(run({"--listen", "999.1.1.1:80"}, &out, &err), 1);
    QVERIFY2(err.contains("cannot listen on 999.1.1.1:80"), qPrintable(err));
  }
  void servesOnTheReportedPort() {
    QProcess p;
    p.start(FEDMRG_COORDINATOR, {"--listen", "127.0.0.1:0"});
    QVERIFY(p.waitForReadyRead(30000));
    const QString line = QString::fromUtf8(p.readLine());
    QVERIFY2(line.startsWith("fedmrg-coordinator: listening on port "), qPrintable(line));
    const int port = line.section(' ', -1).trimmed().toInt();
    QVERIFY(port > 0);
    QTcpSocket s;
    s.connectToHost("127.0.0.1", quint16(port));
    QVERIFY(s.waitForConnected(5000));
    p.terminate();
    QVERIFY(p.waitForFinished(10000));
  }
};

QTEST_GUILESS_MAIN(TestCoordinatorArgs)
#include "tst_coordinator_args.moc"
