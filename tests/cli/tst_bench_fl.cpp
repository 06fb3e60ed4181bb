// fedmrg-cli bench fl: a micro configuration (2 sites, 2 rounds, FedAvg and FedMRG) runs end to end and writes
// results.json (parseable, every round's validation scores, the test scores once), TABLE.md, rounds.csv and one
// file per finished run, and the four PNG plots; FedMRG's low-rank codec sends at least 80% fewer bytes than dense
// FedAvg; a second invocation skips the finished runs instead of training again. A benchmark interrupted in the
// middle of its FedMRG run (after its first round) resumes from that round, not from round 1, and ends on the same
// figures as the uninterrupted one: every round's validation scores and bytes, the kept round and its test scores.
// A damaged saved state is named and its run starts over.
// A bad config is refused naming the file, the field and the reason.
#include <QtTest>

#include <QJsonArray>

#include "cli/cli_run.h"

namespace {

using clirun::benchRunOf;
using clirun::readJson;
using clirun::Result;
using clirun::run;

const char* kMicro = R"({
  "name": "micro",
  "data": {"studies_per_site": 20, "size": 96, "seed": 5, "sites": ["site-a", "site-b"], "held_out": "site-e",
           "max_val_per_site": 2, "max_test_per_site": 2, "held_out_val": 2, "held_out_test": 2},
  "rounds": 2, "local_steps": 1, "batch": 2, "threads": 2, "max_new_tokens": 24,
  "seeds": [1], "methods": ["fedavg", "fedmrg"]
})";

bool defaultModelPresent() {
  return QFileInfo(QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default").isDir();
}

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size()) qFatal("cannot write %s", qPrintable(path));
  return path;
}

}  // namespace

class TestBenchFl : public QObject {
  Q_OBJECT
 private slots:
  void microRunWritesEveryOutputAndResumes() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString config = write(dir, "micro.json", kMicro);
    const QString out = dir.filePath("results");
    const QStringList args{"bench", "fl", "--config", config,
                           "--out", out,  "--model",  QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default"};
    const Result first = run(args, 300000);
    QVERIFY2(first.code == 0, qPrintable(first.out + first.err));
    QVERIFY(first.out.contains("Choices are made on validation studies only"));
    QVERIFY(first.out.contains("[fedmrg seed 1] round 2/2"));
    QVERIFY(first.out.contains("ETA"));

    const QString runDir = out + "/micro";
    for (const char* f : {"results.json", "TABLE.md", "rounds.csv", "runs/fedavg-seed1.json", "runs/fedmrg-seed1.json",
                          "ce_f1_per_round.png", "bleu4_per_round.png", "cumulative_bytes.png", "ce_f1_vs_bytes.png"})
      QVERIFY2(QFileInfo::exists(runDir + "/" + f), f);
    const QJsonObject results = readJson(runDir + "/results.json");
    QVERIFY2(!results.isEmpty(), "results.json does not parse");
    QVERIFY(results.contains("git_commit"));
    QVERIFY(results.value("machine").toObject().value("cores").toDouble() >= 1);
    QCOMPARE(results.value("config").toObject().value("name").toString(), QString("micro"));
    QCOMPARE(results.value("runs").toArray().size(), 2);

    const QJsonObject fedavg = benchRunOf(results, "fedavg"), fedmrg = benchRunOf(results, "fedmrg");
    for (const QJsonObject& r : {fedavg, fedmrg}) {
      const QJsonArray rounds = r.value("rounds").toArray();
      QCOMPARE(rounds.size(), 2);
      for (const QJsonValue& k : rounds) {
        const QJsonObject val = k.toObject().value("val").toObject();
        for (const char* side : {"seen", "held_out"}) {
          const QJsonObject s = val.value(side).toObject();
          QVERIFY2(s.value("studies").toDouble() > 0, side);
          const double f1 = s.value("ce_f1").toDouble(-1), bleu = s.value("bleu4").toDouble(-1);
          QVERIFY2(f1 >= 0 && f1 <= 1 && bleu >= 0 && bleu <= 1, side);
          QVERIFY(s.contains("meteor") && s.contains("rouge_l") && s.contains("cider_d") && s.contains("ce_macro_f1"));
        }
        QVERIFY(k.toObject().value("up_bytes").toDouble() > 0);
        QVERIFY(k.toObject().value("down_bytes").toDouble() > 0);
      }
      const QJsonObject test = r.value("test").toObject();
      QCOMPARE(test.value("seen").toObject().value("studies").toDouble(), 4.0);      // 2 sites x 2 test studies
      QCOMPARE(test.value("held_out").toObject().value("studies").toDouble(), 4.0);  // 2 sites' generic paths x 2
      const int best = r.value("best_round").toInt();
      QVERIFY(best == 1 || best == 2);
    }
    const double fedavgBytes = fedavg.value("total_bytes").toDouble(),
                 fedmrgBytes = fedmrg.value("total_bytes").toDouble();
    // The low-rank codec, not only FedMRG's smaller set of shared tensors (which sent dense is about half of
    // FedAvg's): at least 80% fewer bytes.
    QVERIFY2(fedmrgBytes > 0 && fedmrgBytes * 5 < fedavgBytes,
             qPrintable(QString("FedMRG %1 bytes, FedAvg %2").arg(fedmrgBytes).arg(fedavgBytes)));

    for (const char* png :
         {"ce_f1_per_round.png", "bleu4_per_round.png", "cumulative_bytes.png", "ce_f1_vs_bytes.png"}) {
      QFile f(runDir + "/" + png);
      QVERIFY2(f.open(QIODevice::ReadOnly) && f.size() > 2000, png);
      QVERIFY2(f.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8), png);
    }
    QFile table(runDir + "/TABLE.md");
    QVERIFY(table.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(table.readAll());
    QVERIFY(text.contains("| FedMRG |"));
    QVERIFY(text.contains("FedAvg (all trainable, dense fp32)"));
    QVERIFY(text.contains("validation studies only"));

    // Resume: both runs are finished, so nothing trains again and their files stay as they were.
    const QDateTime written = QFileInfo(runDir + "/runs/fedmrg-seed1.json").lastModified();
    const Result second = run(args, 300000);
    QVERIFY2(second.code == 0, qPrintable(second.out + second.err));
    QCOMPARE(second.out.count("finished before"), 2);
    QVERIFY(!second.out.contains("round 1/2"));
    QCOMPARE(QFileInfo(runDir + "/runs/fedmrg-seed1.json").lastModified(), written);
    QCOMPARE(readJson(runDir + "/results.json").value("runs").toArray().size(), 2);

    // Interrupted after FedAvg's two rounds and FedMRG's first (its state: trainers, prototypes, error-feedback
    // residuals, global model, figures so far), then run again: FedMRG continues with round 2.
    const QString out2 = dir.filePath("interrupted");
    QStringList args2 = args;
    args2[args2.indexOf("--out") + 1] = out2;
    const Result stopped = run(args2 + QStringList{"--stop-after-round", "3"}, 300000);
    QVERIFY2(stopped.code == 0, qPrintable(stopped.out + stopped.err));
    QVERIFY2(stopped.out.contains("[fedmrg seed 1] round 1/2") && !stopped.out.contains("[fedmrg seed 1] round 2/2"),
             qPrintable(stopped.out));
    QVERIFY(!QFileInfo::exists(out2 + "/micro/results.json"));
    const Result resumed = run(args2, 300000);
    QVERIFY2(resumed.code == 0, qPrintable(resumed.out + resumed.err));
    QVERIFY2(resumed.out.contains("[fedmrg seed 1] resumed after round 1"), qPrintable(resumed.out));
    QVERIFY2(!resumed.out.contains("[fedmrg seed 1] round 1/2"), qPrintable(resumed.out));
    QVERIFY(resumed.out.contains("[fedmrg seed 1] round 2/2"));
    QVERIFY2(!QFileInfo::exists(out2 + "/micro/work/fedmrg-seed1"), "a finished run's state is removed");
    const QJsonObject again = benchRunOf(readJson(out2 + "/micro/results.json"), "fedmrg");
    for (const char* key : {"rounds", "best_round", "test", "total_up_bytes", "total_down_bytes"}) {
      QJsonValue want = fedmrg.value(key), got = again.value(key);
      if (want.isArray()) {  // seconds differ between invocations; every score and byte count must not
        QJsonArray w = want.toArray(), g = got.toArray();
        for (QJsonArray* a : {&w, &g})
          for (int i = 0; i < a->size(); ++i) {
            QJsonObject o = (*a)[i].toObject();
            o.remove("train_seconds");
            o.remove("eval_seconds");
            (*a)[i] = o;
          }
        want = w;
        got = g;
      }
      QVERIFY2(want == got,
               qPrintable(QString("%1 differs after resuming:\n%2\n%3")
                              .arg(key, QString::fromUtf8(QJsonDocument(QJsonObject{{key, want}}).toJson()),
                                   QString::fromUtf8(QJsonDocument(QJsonObject{{key, got}}).toJson()))));
    }
  }

  // A run's saved state that cannot be read (here a damaged state.json) is named, and the run starts over instead
  // of failing or resuming from half a state.
  void damagedStateIsNamedAndTheRunStartsOver() {
    if (!defaultModelPresent()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    QByteArray text = kMicro;
    text.replace(R"("methods": ["fedavg", "fedmrg"])", R"("methods": ["fedmrg"])");
    const QString config = write(dir, "micro.json", text);
    const QStringList args{"bench",    "fl",
                           "--config", config,
                           "--out",    dir.filePath("results"),
                           "--model",  QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default"};
    const Result stopped = run(args + QStringList{"--stop-after-round", "1"}, 300000);
    QVERIFY2(stopped.code == 0, qPrintable(stopped.out + stopped.err));
    const QString stateFile = dir.filePath("results/micro/work/fedmrg-seed1/state-r1/state.json");
    QFile f(stateFile);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write("{ \"round\": ") > 0, qPrintable(stateFile));
    f.close();
    const Result again = run(args, 300000);
    QVERIFY2(again.code == 0, qPrintable(again.out + again.err));
    QVERIFY2(again.out.contains("state-r1: cannot resume") && again.out.contains("starts over"), qPrintable(again.out));
    QVERIFY(again.out.contains("[fedmrg seed 1] round 1/2") && again.out.contains("[fedmrg seed 1] round 2/2"));
    QCOMPARE(
        benchRunOf(readJson(dir.filePath("results/micro/results.json")), "fedmrg").value("rounds").toArray().size(), 2);
  }

  void badConfigIsRefusedNamingFieldAndReason() {
    QTemporaryDir dir;
    struct Case {
      QByteArray text;
      QStringList expected;
    };
    const QList<Case> cases{
        {"{ not json", {"bad.json", "JSON"}},
        {R"({"name": "x", "data": {"sites": ["site-a"], "held_out": "site-e"}, "methods": ["fedfoo"]})",
         {"bad.json", "methods", "fedfoo"}},
        {R"({"name": "x", "data": {"sites": ["site-a"], "held_out": "site-e"}, "methods": ["fedmrg"], "rounds": 0})",
         {"bad.json", "rounds", "between"}},
        {R"({"name": "x", "data": {"sites": ["site-a"], "held_out": "site-a"}, "methods": ["fedmrg"]})",
         {"bad.json", "data.held_out", "seen site"}},
        {R"({"name": "x", "data": {"held_out": "site-e"}, "methods": ["fedmrg"]})", {"bad.json", "data.sites"}},
    };
    for (const Case& c : cases) {
      const QString path = write(dir, "bad.json", c.text);
      const Result r = run({"bench", "fl", "--config", path, "--out", dir.filePath("results")});
      QVERIFY2(r.code != 0, c.text.constData());
      for (const QString& e : c.expected) QVERIFY2(r.err.contains(e), qPrintable(r.err + " lacks " + e));
    }
  }
};

QTEST_GUILESS_MAIN(TestBenchFl)
#include "tst_bench_fl.moc"
