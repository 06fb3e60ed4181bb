// fedmrg-coordinator's command line and configuration file: help and version answer; bad arguments, a
// missing or bad configuration (naming the file, line and reason), plain text on a non-loopback address and
// an address it cannot listen on fail with a reason. Rounds over the protocol: tests/coordinator.
#include <QTcpServer>
#include <QtTest>

#include "fedmrg_version.h"

class TestCoordinatorArgs : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;

  static int run(const QStringList& args, QString* out, QString* err) {
    QProcess p;
    p.start(FEDMRG_COORDINATOR, args);
    if (!p.waitForFinished(30000)) return -1;
    *out = QString::fromUtf8(p.readAllStandardOutput());
    *err = QString::fromUtf8(p.readAllStandardError());
    return p.exitCode();
  }

  QString config(const QString& name, const QString& text) {
    const QString path = dir_.path() + "/" + name;
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text.toUtf8());
    return path;
  }

  QString valid() const {
    return QString("upload_dir = %1/uploads\nmodel = %2/resources/models/default\n")
        .arg(dir_.path(), FEDMRG_SOURCE_DIR);
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
    QCOMPARE(run({}, &out, &err), 2);
    QVERIFY(err.contains("--config FILE is required"));
    QCOMPARE(run({"--config", dir_.path() + "/missing.conf"}, &out, &err), 1);
    QVERIFY2(err.contains("cannot read the configuration file"), qPrintable(err));
  }

  void badConfigurationsNameFileLineAndReason() {
    QString out, err;
    const QString unknown = config("unknown.conf", valid() + "colour = blue\n");
    QCOMPARE(run({"--config", unknown}, &out, &err), 1);
    QVERIFY2(err.contains(unknown + ":3: unknown key 'colour'"), qPrintable(err));
    const QString badValue = config("bad.conf", valid() + "min_sites = many\n");
    QCOMPARE(run({"--config", badValue}, &out, &err), 1);
    QVERIFY2(err.contains(badValue + ":3: min_sites is not a number (got 'many')"), qPrintable(err));
    const QString badStrategy = config("strategy.conf", valid() + "strategy = fedsgd\n");
    QCOMPARE(run({"--config", badStrategy}, &out, &err), 1);
    QVERIFY2(err.contains("strategy must be fedavg, fedprox, fedavg-lora or fedmrg"), qPrintable(err));
    // The quota and stream limit keys refuse what would disable them, naming the key.
    for (const char* line : {"stream_idle_seconds = 0", "max_streams_per_site = 0",
                             "site_upload_attempts_per_round = -1", "site_upload_bytes_per_round = lots"}) {
      const QString limit = config("limit.conf", valid() + line + "\n");
      QCOMPARE(run({"--config", limit}, &out, &err), 1);
      const QString key = QString(line).section(' ', 0, 0);
      QVERIFY2(err.contains(limit + ":3: " + key + " "), qPrintable(err));
    }
    const QString noDir = config("nodir.conf", "model = x\n");
    QCOMPARE(run({"--config", noDir}, &out, &err), 1);
    QVERIFY2(err.contains("upload_dir is required"), qPrintable(err));
  }

  void plainTextOnlyOnLoopback() {
    QString out, err;
    const QString c = config("open.conf", valid() + "listen = 0.0.0.0:0\n");
    QCOMPARE(run({"--config", c, "--insecure-loopback"}, &out, &err), 1);
    QVERIFY2(err.contains("--insecure-loopback is refused on 0.0.0.0:0"), qPrintable(err));
    QCOMPARE(run({"--config", c}, &out, &err), 1);
    QVERIFY2(err.contains("TLS needs tls_cert, tls_key and tls_ca"), qPrintable(err));
  }

  void anAddressItCannotListenOn() {
    QString out, err;
    const QString c = config("listen.conf", valid() + "listen = 127.0.0.1:0\n");
    // A port another program holds (a QTcpServer does not share it the way gRPC's SO_REUSEPORT would).
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    const QString address = QString("127.0.0.1:%1").arg(taken.serverPort());
    QCOMPARE(run({"--config", c, "--insecure-loopback", "--listen", address}, &out, &err), 1);
    QVERIFY2(err.contains("cannot listen on " + address), qPrintable(err));
  }
};

QTEST_GUILESS_MAIN(TestCoordinatorArgs)
#include "tst_coordinator_args.moc"
