// fedmrg-cli device-check: on the CPU every check runs and passes (training forward parity, the loss falls, the
// default model's diagnosis and draft agree) and the JSON records each; asking for CUDA where this LibTorch has
// none exits 1 with the reason; bad usage exits 2. The CUDA path itself runs on a GPU machine
// (scripts/gpu-check.sh): CI has no GPU.
#include <QtTest>

#include "cli/cli_run.h"

using clirun::readJson;
using clirun::Result;
using clirun::run;

class TestCliDeviceCheck : public QObject {
  Q_OBJECT
 private slots:
  void cpuChecksPass() {
    const QString model = QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default";
    if (!QFileInfo(model).isDir()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString json = dir.filePath("check.json");
    const Result r = run({"device-check", "--device", "cpu", "--model", model, "--steps", "12", "--json", json}, 300000);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains("LibTorch"));
    const QJsonObject j = readJson(json);
    QCOMPARE(j.value("device").toString(), QString("cpu"));
    QVERIFY(j.value("passed").toBool());
    const QJsonArray checks = j.value("checks").toArray();
    QCOMPARE(checks.size(), 5);
    for (const QJsonValue& c : checks)
      QVERIFY2(c.toObject().value("passed").toBool(), qPrintable(c.toObject().value("name").toString()));
    QVERIFY(checks[1].toObject().value("detail").toString().contains("samples/s"));
    QVERIFY(checks[2].toObject().value("name").toString().startsWith("adapter training"));
  }

  void cudaWithoutGpuIsRefused() {
    const Result probe = run({"device-check", "--device", "cpu", "--steps", "2"}, 120000);
    if (probe.out.contains("CUDA available")) QSKIP("this machine has CUDA: the refusal cannot be shown here");
    const Result r = run({"device-check", "--device", "cuda"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("cuda") && r.err.contains("no usable CUDA GPU"), qPrintable(r.err));
  }

  void badUsage() {
    Result r = run({"device-check", "--steps", "1"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--steps"), qPrintable(r.err));
    r = run({"device-check", "--device", "tpu"});  // a usage error like any other bad flag: the values are named
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--device: 'tpu' is not one of cpu, cuda, auto"), qPrintable(r.err));
  }
};

QTEST_APPLESS_MAIN(TestCliDeviceCheck)
#include "tst_cli_device_check.moc"
