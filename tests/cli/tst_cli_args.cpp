// fedmrg-cli's command line: help and version answer, and bad usage gets exit code 2 with a
// message that names the command, the option and the reason.
#include <QtTest>

#include "cli/cli_run.h"
#include "fedmrg_version.h"

using clirun::Result;
using clirun::run;

class TestCliArgs : public QObject {
  Q_OBJECT
 private slots:
  void helpListsEveryCommand() {
    const Result r = run({"--help"});
    QCOMPARE(r.code, 0);
    for (const char* c : {"synth", "evaluate", "label", "pretrain", "train", "generate", "bench"})
      QVERIFY2(r.out.contains(QString("\n  ") + c + " "), c);
  }
  void versionIsTheProjectVersion() {
    const Result r = run({"--version"});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out.trimmed(), QString("fedmrg-cli " FEDMRG_VERSION_STRING));
  }
  void noArgumentsPrintsHelpAndFails() {
    const Result r = run({});
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.contains("usage: fedmrg-cli <command>"));
  }
  void commandHelpShowsItsOptions() {
    const Result r = run({"synth", "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("usage: fedmrg-cli synth"));
    QVERIFY(r.out.contains("--studies-per-site VALUE"));
  }
  void badUsageIsNamed_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command 'frobnicate'";
    QTest::newRow("unknown option") << QStringList{"synth", "--colour", "red"} << "unknown option --colour";
    QTest::newRow("missing value") << QStringList{"synth", "--out"} << "option --out needs a value";
    QTest::newRow("not an integer") << QStringList{"synth", "--out", "x", "--studies-per-site", "lots"}
                                    << "option --studies-per-site needs an integer, got 'lots'";
    QTest::newRow("required option") << QStringList{"evaluate", "--pred", "p.jsonl"} << "missing required option --ref";
    // Device and precision are parsed where they enter: the flag and the allowed values are named before any model
    // is read.
    QTest::newRow("unknown precision") << QStringList{"generate", "--model", "/nonexistent/m", "--precision", "f8", "x.dcm"}
                                       << "--precision: 'f8' is not one of f32, f16";
    QTest::newRow("unknown device") << QStringList{"generate", "--model", "/nonexistent/m", "--device", "tpu", "x.dcm"}
                                    << "--device: 'tpu' is not one of cpu, cuda, auto";
    QTest::newRow("unknown training device")
        << QStringList{"train", "--model", "/nonexistent/m", "--data", "d", "--site", "s", "--out", "o", "--device", "gpu"}
        << "--device: 'gpu' is not one of cpu, cuda, auto";
  }
  void badUsageIsNamed() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = run(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
  }
  void runtimeErrorsExitOneWithTheReason() {
    QTemporaryDir dir;
    const QString missing = dir.filePath("absent.jsonl");
    const Result r = run({"evaluate", "--pred", missing, "--ref", missing});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("absent.jsonl"), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestCliArgs)
#include "tst_cli_args.moc"
