// fedmrg-cli bench: `bench engine --quick --json` runs every measurement and writes each figure with a positive
// value and a target verdict, measured with the batch, context and thread counts it was asked for; a draft it
// times has as many tokens as `generate` drafts for the same file; subcommands dispatch; the old hyphenated
// names still run but are not listed; bad usage exits 2 and a missing DICOM file exits 1, each naming the
// problem. No timing is asserted.
#include <QtTest>

#include <QJsonArray>
#include <utility>

#include "cli/cli_run.h"

namespace {

using clirun::readJson;
using clirun::Result;
using clirun::run;

double number(const QJsonObject& root, const QStringList& path) {
  QJsonValue v = root;
  for (const QString& key : path) v = v.toObject().value(key);
  return v.isDouble() ? v.toDouble() : -1;
}

bool defaultModelPresent() {
  return QFileInfo(QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default").isDir();
}

}  // namespace

class TestCliBench : public QObject {
  Q_OBJECT
 private slots:
  void engineQuickWritesEveryFigure() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString json = dir.filePath("bench.json");
    const Result r =
        run({"bench", "engine", "--quick", "--context", "60", "--batch", "2", "--steps", "3", "--json", json}, 600000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject j = readJson(json);
    QVERIFY2(!j.isEmpty(), "no JSON written");
    QVERIFY(j.value("command").toString().contains("bench engine --quick"));
    // Measured with what was asked for: every decode row after a context of 60 rows, training batches of 2
    // samples over 3 steps.
    QCOMPARE(number(j, {"settings", "context"}), 60.0);
    for (const char* row : {"reference_fp32", "reference_fp16", "model_fp32", "model_fp16"})
      QVERIFY2(number(j, {"decode", row, "context"}) == 60.0, row);
    QCOMPARE(number(j, {"settings", "train_batch"}), 2.0);
    QCOMPARE(number(j, {"train", "batch"}), 2.0);
    QCOMPARE(number(j, {"train", "steps"}), 3.0);
    QVERIFY(j.value("model").toString().endsWith("resources/models/default"));
    QVERIFY(number(j, {"machine", "cores"}) >= 1);
    QVERIFY(number(j, {"machine", "load_average_1m"}) >= 0);
    QVERIFY(!j.value("machine").toObject().value("cpu_model").toString().isEmpty());
    const QList<QStringList> figures = {
        {"decode", "reference_fp32", "decode_tokens_per_s"}, {"decode", "reference_fp16", "decode_tokens_per_s"},
        {"decode", "model_fp32", "decode_tokens_per_s"},     {"decode", "model_fp16", "decode_tokens_per_s"},
        {"draft", "greedy", "p50_s"},                        {"draft", "greedy", "p95_s"},
        {"draft", "beam3", "p50_s"},                         {"draft", "beam3", "p95_s"},
        {"train", "samples_per_second"},                     {"memory", "generation_peak_mb"},
        {"memory", "overall_peak_mb"}};
    for (const QStringList& f : figures) QVERIFY2(number(j, f) > 0, qPrintable(f.join('.')));
    QVERIFY(number(j, {"draft", "greedy", "p95_s"}) >= number(j, {"draft", "greedy", "p50_s"}));
    QVERIFY(number(j, {"memory", "overall_peak_mb"}) >= number(j, {"memory", "generation_peak_mb"}));
    QVERIFY(j.value("draft").toObject().value("synthetic").toBool());
    // Every figure against its target: 4 decode rows, 4 draft rows, training, 2 memory rows.
    const QJsonArray targets = j.value("targets").toArray();
    QCOMPARE(targets.size(), 11);
    int withTarget = 0;
    for (const QJsonValue& t : targets) {
      const QJsonObject o = t.toObject();
      QVERIFY2(o.value("value").toDouble() > 0, qPrintable(o.value("figure").toString()));
      const QString verdict = o.value("verdict").toString();
      QVERIFY2(verdict == "PASS" || verdict == "MISS" || verdict == "-", qPrintable(verdict));
      withTarget += verdict != "-";
      QVERIFY2(r.out.contains(o.value("figure").toString()), qPrintable(o.value("figure").toString()));
    }
    QCOMPARE(withTarget, 8);
    QVERIFY(r.out.contains("load average at start"));
  }
  void engineSkipsWhatItIsTold() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString json = dir.filePath("bench.json");
    const Result r = run({"bench-engine", "--quick", "--skip-draft", "--skip-train", "--skip-bandwidth",
                          "--precision", "f32", "--threads", "1", "--context", "30", "--json", json},
                         300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject j = readJson(json);
    QVERIFY(number(j, {"decode", "reference_fp32", "decode_tokens_per_s"}) > 0);
    for (const char* row : {"reference_fp32", "model_fp32"}) {
      QVERIFY2(number(j, {"decode", row, "threads"}) == 1.0, row);
      QVERIFY2(number(j, {"decode", row, "context"}) == 30.0, row);
    }
    QVERIFY(!j.value("decode").toObject().contains("reference_fp16"));
    QVERIFY(!j.contains("draft"));
    QVERIFY(!j.contains("train"));
    QVERIFY(!j.contains("kernel_read_gb_per_s"));
    QVERIFY(number(j, {"memory", "generation_peak_mb"}) > 0);
  }
  void engineTimesTheGivenDicomFile() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const Result synth = run({"synth", "--out", dir.filePath("synth"), "--studies-per-site", "1", "--size", "64",
                              "--threads", "1"});
    QVERIFY2(synth.code == 0, qPrintable(synth.err));
    QDirIterator it(dir.filePath("synth"), {"*.dcm"}, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(it.hasNext());
    const QString dicom = it.next();
    const QString json = dir.filePath("bench.json");
    const Result r = run({"bench", "engine", "--quick", "--dicom", dicom, "--skip-train", "--skip-bandwidth",
                          "--precision", "f16", "--runs", "3", "--json", json},
                         300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(!r.out.contains("synthetic study:"));
    const QJsonObject j = readJson(json);
    const QJsonObject draft = j.value("draft").toObject();
    QCOMPARE(draft.value("file").toString(), dicom);
    QVERIFY(!draft.value("synthetic").toBool());
    QCOMPARE(draft.value("runs").toInt(), 3);
    QVERIFY(number(j, {"draft", "beam3", "p50_s"}) > 0);
    QVERIFY(!j.contains("train"));
    // The timed drafts are the drafts `generate` writes for this file: as many tokens, greedy and beam 3.
    const QString model = QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default";
    for (const auto& [beam, row] : {std::pair<QString, QString>{"1", "greedy"}, {"3", "beam3"}}) {
      const Result g = run({"generate", "--model", model, "--beam", beam, dicom});
      QVERIFY2(g.code == 0, qPrintable(g.err));
      const QRegularExpressionMatch m = QRegularExpression("\\n(\\d+) tokens in ").match(g.out);
      QVERIFY2(m.hasMatch(), qPrintable(g.out));
      QVERIFY2(m.captured(1).toInt() > 0, qPrintable(g.out));
      QCOMPARE(number(j, {"draft", row, "tokens"}), m.captured(1).toDouble());
    }
  }
  // Without a file, bench draft times a JPEG 2000 study it writes itself (the case real archives send), and the
  // draft decodes a reduced resolution level while the viewer's full decode is reported beside it.
  void draftWritesAndTimesAJpeg2000Study() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString json = dir.filePath("draft.json");
    const Result r = run({"bench", "draft", "--runs", "2", "--rows", "512", "--json", json}, 300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("JPEG 2000 study: "), qPrintable(r.out));
    const QJsonObject j = readJson(json);
    QVERIFY(j.value("synthetic").toBool());
    const QJsonObject decode = j.value("decode").toObject();
    QCOMPARE(decode.value("transfer_syntax").toString(), QString("1.2.840.10008.1.2.4.90"));
    QCOMPARE(decode.value("width").toInt(), 512);
    QCOMPARE(decode.value("draft_reduction").toInt(), 2);  // 128 = the default model's input
    QCOMPARE(decode.value("draft_width").toInt(), 128);
    QVERIFY(decode.value("full_p50_s").toDouble() > decode.value("draft_p50_s").toDouble());
    QVERIFY(number(j, {"greedy", "p50_s"}) > 0);
    QVERIFY(j.contains("load_average_start"));
  }
  // With --codec jpeg the study is 8-bit JPEG baseline, and the draft decodes it at a reduced DCT scale
  // (libjpeg-turbo) while the viewer's full decode (DCMTK) is reported beside it.
  void draftWritesAndTimesAJpegBaselineStudy() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString json = dir.filePath("draft-jpeg.json");
    const Result r = run({"bench", "draft", "--runs", "2", "--rows", "512", "--codec", "jpeg", "--json", json}, 300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("JPEG baseline study: "), qPrintable(r.out));
    const QJsonObject j = readJson(json);
    QCOMPARE(j.value("file").toString(), QString("synthetic JPEG baseline study (temporary)"));
    const QJsonObject decode = j.value("decode").toObject();
    QCOMPARE(decode.value("transfer_syntax").toString(), QString("1.2.840.10008.1.2.4.50"));
    QCOMPARE(decode.value("width").toInt(), 512);
    QCOMPARE(decode.value("draft_reduction").toInt(), 2);  // 1/4: 128 = the default model's input
    QCOMPARE(decode.value("draft_width").toInt(), 128);
    QVERIFY(number(j, {"greedy", "p50_s"}) > 0);
    const Result bad = run({"bench", "draft", "--codec", "png"}, 60000);
    QVERIFY(bad.code != 0);
    QVERIFY2(bad.err.contains("--codec must be j2k or jpeg"), qPrintable(bad.err));
  }
  void federationCountsEveryRoundsBytes() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString json = dir.filePath("federation.json");
    const Result r = run({"bench", "federation", "--rounds", "4", "--dense-rounds", "1", "--sites", "3", "--uploads",
                          "5", "--json", json},
                         300000);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("command: "));
    const QJsonObject j = readJson(json);
    const QJsonArray rounds = j.value("per_round").toArray();
    QCOMPARE(rounds.size(), 4);
    // The totals are the sums of the rounds; the dense warm-up round costs about what dense FedAvg does and
    // every low-rank round far less.
    double up = 0;
    for (const auto& v : rounds) up += v.toObject().value("fedmrg_up_bytes_per_site").toDouble();
    QCOMPARE(up, j.value("fedmrg_up_bytes_total_per_site").toDouble());
    const double dense = j.value("dense_fp32_bytes_per_round").toDouble();
    QVERIFY(rounds[0].toObject().value("dense_warmup").toBool());
    QVERIFY(rounds[0].toObject().value("fedmrg_up_bytes_per_site").toDouble() > 0.5 * dense);
    for (int i = 1; i < 4; ++i)
      QVERIFY(rounds[i].toObject().value("fedmrg_up_bytes_per_site").toDouble() < 0.2 * dense);
    QVERIFY(j.value("fedavg_lora_fp32_bytes_per_round").toDouble() > dense);
    QCOMPARE(j.value("changes").toString(), QStringLiteral("synthetic"));
  }

  void helpListsTheGroupNotTheAliases() {
    const Result r = run({"--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("\n  bench "));
    for (const char* alias : {"bench-engine", "bench-draft", "bench-train", "bench-metrics"})
      QVERIFY2(!r.out.contains(alias), alias);
  }
  void subcommandHelpUsesTheSubcommandName_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("usage");
    QTest::newRow("engine") << QStringList{"bench", "engine", "--help"} << "usage: fedmrg-cli bench engine";
    QTest::newRow("draft") << QStringList{"bench", "draft", "--help"} << "usage: fedmrg-cli bench draft";
    QTest::newRow("train") << QStringList{"bench", "train", "--help"} << "usage: fedmrg-cli bench train";
    QTest::newRow("metrics") << QStringList{"bench", "metrics", "--help"} << "usage: fedmrg-cli bench metrics";
    QTest::newRow("alias") << QStringList{"bench-train", "--help"} << "usage: fedmrg-cli bench-train";
  }
  void subcommandHelpUsesTheSubcommandName() {
    QFETCH(QStringList, args);
    QFETCH(QString, usage);
    const Result r = run(args);
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(usage), qPrintable(r.out));
  }
  void badUsageIsNamed_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("no subcommand") << QStringList{"bench"} << 2 << "bench needs a subcommand: ";
    QTest::newRow("unknown subcommand") << QStringList{"bench", "frobnicate"} << 2
                                        << "unknown bench subcommand 'frobnicate'";
    QTest::newRow("unknown option") << QStringList{"bench", "engine", "--colour", "red"} << 2
                                    << "fedmrg-cli bench engine: unknown option --colour";
    QTest::newRow("option of another subcommand") << QStringList{"bench", "metrics", "--runs", "3"} << 2
                                                  << "unknown option --runs";
    QTest::newRow("bad number") << QStringList{"bench", "engine", "--runs", "0"} << 2 << "--runs must be >= 1";
    QTest::newRow("bad precision") << QStringList{"bench", "engine", "--precision", "f8"} << 2
                                   << "--precision must be f32, f16 or both";
    QTest::newRow("draft rows") << QStringList{"bench", "draft", "--rows", "10"} << 2
                                << "--rows must be within 64..8192";
    QTest::newRow("missing model") << QStringList{"bench", "engine", "--model", "/nonexistent/model"} << 1
                                   << "no model folder at /nonexistent/model";
  }
  void badUsageIsNamed() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Result r = run(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
  }
  void missingDicomFileIsNamedBeforeAnyMeasurement() {
    QTemporaryDir dir;
    const QString missing = dir.filePath("absent.dcm");
    const Result r = run({"bench", "engine", "--dicom", missing, "--json", dir.filePath("out.json")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(missing + ": no such DICOM file"), qPrintable(r.err));
    QVERIFY(!r.out.contains("decode"));
    QVERIFY(!QFile::exists(dir.filePath("out.json")));
  }
};

QTEST_GUILESS_MAIN(TestCliBench)
#include "tst_cli_bench.moc"
