// scripts/demo-federation.sh end to end, with the real programs: in a new demo folder it makes the consortium
// (CA, certificates, coordinator config, the peers' synthetic data), starts the coordinator and both peers, runs
// a command in their midst (here a third `fedmrg-cli federate` site with the demo site's certificate, standing in
// for the workstation), and a round closes with all three (the peers training with the engine on their own data); when the command ends, or the script is interrupted,
// no process it started is left behind.
#include <sys/types.h>
#include <QtTest>
#include <csignal>

namespace {

struct Started {
  QString name;
  qint64 pid = 0;
};

QString readText(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// processes.txt: "name pid" per background process of the last run (the script keeps it after the stop).
std::vector<Started> startedProcesses(const QString& fed) {
  std::vector<Started> out;
  for (const QString& line : readText(fed + "/processes.txt").split('\n', Qt::SkipEmptyParts)) {
    const QStringList f = line.split(' ');
    if (f.size() == 2) out.push_back({f[0], f[1].toLongLong()});
  }
  return out;
}

// Alive and not a zombie: a process the script left behind would be re-parented and keep running.
bool running(qint64 pid) {
  const QString stat = readText(QString("/proc/%1/stat").arg(pid));
  if (stat.isEmpty()) return false;
  const int close = stat.lastIndexOf(')');
  return close > 0 && stat.mid(close + 2, 1) != "Z";
}

}  // namespace

class TestDemoFederation : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;

  // The script around `command`, with fast peers and a short deadline.
  void start(QProcess& p, const QString& demo, const QStringList& command) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("FEDMRG_DEMO_PEER_DELAY_MS", "0");
    env.insert("FEDMRG_DEMO_DEADLINE_S", "60");
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("bash", QStringList{FEDMRG_SOURCE_DIR "/scripts/demo-federation.sh", "--dir", demo, "--bin",
                                FEDMRG_BUILD_DIR, "--model", FEDMRG_SOURCE_DIR "/resources/models/default", "--"} +
                        command);
    QVERIFY(p.waitForStarted());
  }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void aRoundClosesWithThePeersAndTheStandIn() {
    const QString demo = dir_.path() + "/demo", fed = demo + "/federation";
    const QString certs = "@FEDERATION@/ca/sites/demo-site/";
    QProcess p;
    // Two versions: the first round may close before the stand-in joins; the second waits for it (fraction 1).
    start(p, demo,
          {FEDMRG_CLI, "federate", "--coordinator", "@COORDINATOR@", "--site-id", "demo-site", "--state",
           dir_.path() + "/workstation", "--ca", certs + "ca.pem", "--cert", certs + "cert.pem", "--key",
           certs + "key.pem", "--rounds", "2"});
    QVERIFY2(p.waitForFinished(400000), "the demo federation did not finish within 400 s");
    const QString out = QString::fromUtf8(p.readAll());
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(out));

    // Made once: the CA, the certificates, the config on SQLite in the demo folder, each peer's own data.
    for (const char* site : {"demo-site", "peer-b", "peer-c"})
      QVERIFY2(QFile::exists(fed + "/ca/sites/" + site + "/cert.pem"), site);
    const QString conf = readText(fed + "/coordinator.conf");
    QVERIFY(conf.contains("state = sqlite:" + fed + "/coordinator.db"));
    QVERIFY(conf.contains("strategy = fedmrg"));
    QVERIFY(QFile::exists(fed + "/coordinator.db"));
    for (const char* peer : {"peer-b", "peer-c"})
      QVERIFY2(QFile::exists(fed + "/peers/" + peer + "/data/manifest.json"), peer);
    QVERIFY(readText(fed + "/peers/peer-b/data/site-b/reports.jsonl") !=
            readText(fed + "/peers/peer-c/data/site-b/reports.jsonl"));  // their own seeds

    // The coordinator on a loopback port, the peers in the rounds, and the stand-in in a round with both.
    QVERIFY(readText(fed + "/coordinator.address").startsWith("127.0.0.1:"));
    QVERIFY2(out.contains("(engine training;"), qPrintable(out));  // the peers train with the engine
    QVERIFY2(out.contains("event=uploaded round="), qPrintable(out));
    QVERIFY2(out.contains("done version=2"), qPrintable(out));
    const QString log = readText(fed + "/logs/coordinator.log");
    for (const char* site : {"demo-site", "peer-b", "peer-c"})
      QVERIFY2(log.contains(QString("event=upload_accepted site=") + site), qPrintable(log));
    QVERIFY2(QRegularExpression("event=round_closed round=\\d+ version=\\d+ sites=3 ").match(log).hasMatch(),
             qPrintable(log));
    for (const char* peer : {"peer-b", "peer-c"})
      QVERIFY2(readText(fed + "/logs/" + peer + ".log").contains("event=uploaded round="), peer);

    // Stopped with the command: nothing is left.
    const auto started = startedProcesses(fed);
    QCOMPARE(int(started.size()), 4);  // coordinator, two peers, the command
    for (const auto& s : started) QVERIFY2(!running(s.pid), qPrintable(s.name + " is still running"));
    QVERIFY(log.contains("event=stopped"));  // the coordinator stopped cleanly, not killed
  }

  void anInterruptedRunLeavesNoProcess() {
    const QString demo = dir_.path() + "/demo", fed = demo + "/federation";  // set up by the first test
    QFile::remove(fed + "/processes.txt");
    QProcess p;
    start(p, demo, {"sleep", "600"});  // a workstation that would run for a long time
    QDeadlineTimer deadline(120000);
    while (startedProcesses(fed).size() < 4 && !deadline.hasExpired()) QTest::qWait(200);
    const auto started = startedProcesses(fed);
    QCOMPARE(int(started.size()), 4);
    // Up: the peers joined the restarted coordinator.
    while (!readText(fed + "/logs/peer-c.log").contains("event=joined") && !deadline.hasExpired()) QTest::qWait(200);
    for (const auto& s : started) QVERIFY2(running(s.pid), qPrintable(s.name + " is not running"));

    ::kill(pid_t(p.processId()), SIGTERM);  // as a closed terminal or a desktop session's end would
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 143);
    for (const auto& s : started) QVERIFY2(!running(s.pid), qPrintable(s.name + " is still running"));
  }
};

QTEST_GUILESS_MAIN(TestDemoFederation)
#include "tst_demo_federation.moc"
