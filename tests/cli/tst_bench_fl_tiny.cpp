// fedmrg-cli bench fl --config bench/tiny.json, the CI size (2 seen sites, 2 rounds, every method), end to end as
// the real process: results.json parses and holds a run of every method of the config; every metric of every
// round's validation and of the test is present, finite and within its range, on the expected number of studies;
// the bytes each round reports equal the serialized protocol messages the run stored (--keep-work keeps every
// upload and broadcast as its length-prefixed chunk messages): this suite re-reads those files itself, so a count
// of payload bytes instead of messages, a missing site or a broadcast counted once instead of per site fails it;
// TABLE.md and the four PNG plots exist.
#include <QtTest>

#include <QDir>
#include <QJsonArray>
#include <QtEndian>
#include <cmath>

#include "cli/cli_run.h"

namespace {

using clirun::readJson;
using clirun::Result;
using clirun::run;

const QString kSource = QStringLiteral(FEDMRG_SOURCE_DIR);

// The serialized size of every chunk message in a stored payload file (each message preceded by its length as 4
// little-endian bytes); -1 when the lengths do not tile the file exactly.
qint64 chunkMessageBytes(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return -1;
  const QByteArray b = f.readAll();
  qint64 sum = 0, at = 0;
  while (at + 4 <= b.size()) {
    const quint32 n = qFromLittleEndian<quint32>(b.constData() + at);
    at += 4 + qint64(n);
    sum += qint64(n);
  }
  return at == b.size() && b.size() > 0 ? sum : -1;
}

// The one payload file of a folder (uploads/r<round>/<site>/, or a broadcast named by its digest).
qint64 onlyPayloadIn(const QString& dir) {
  const QStringList files = QDir(dir).entryList({"*.payload"}, QDir::Files);
  return files.size() == 1 ? chunkMessageBytes(dir + "/" + files.front()) : -1;
}

QStringList strings(const QJsonArray& a) {
  QStringList out;
  for (const QJsonValue& v : a) out << v.toString();
  return out;
}

// Every metric of one side of an evaluation: present, finite and within its range, on `studies` studies.
void checkScores(const QJsonObject& s, double studies, const QString& where) {
  QCOMPARE(s.value("studies").toDouble(), studies);
  for (const char* key : {"bleu1", "bleu2", "bleu3", "bleu4", "meteor", "rouge_l", "ce_precision", "ce_recall", "ce_f1",
                          "ce_macro_precision", "ce_macro_recall", "ce_macro_f1"}) {
    const double v = s.value(key).toDouble(std::nan(""));
    QVERIFY2(std::isfinite(v) && v >= 0 && v <= 1, qPrintable(where + " " + key + " = " + QString::number(v)));
  }
  const double cider = s.value("cider_d").toDouble(std::nan(""));
  QVERIFY2(std::isfinite(cider) && cider >= 0 && cider <= 10, qPrintable(where + " cider_d"));
  const double empty = s.value("empty_drafts").toDouble(-1);
  QVERIFY2(empty >= 0 && empty < studies, qPrintable(where + ": every draft is empty"));
}

}  // namespace

class TestBenchFlTiny : public QObject {
  Q_OBJECT
 private slots:
  void tinyRunsEveryMethodWithExactByteCounts() {
    if (!QFileInfo(kSource + "/resources/models/default").isDir())
      QSKIP("resources/models/default is not in this checkout");
    const QJsonObject config = readJson(kSource + "/bench/tiny.json");
    QVERIFY2(!config.isEmpty(), "bench/tiny.json does not parse");
    const QStringList methods = strings(config.value("methods").toArray());
    const QStringList sites = strings(config.value("data").toObject().value("sites").toArray());
    const int rounds = config.value("rounds").toInt();
    QCOMPARE(sites.size(), 2);
    QCOMPARE(rounds, 2);
    QVERIFY(methods.size() >= 11);

    QTemporaryDir dir;
    const QString out = dir.filePath("results");
    const Result r = run({"bench", "fl", "--config", kSource + "/bench/tiny.json", "--out", out, "--model",
                          kSource + "/resources/models/default", "--keep-work"},
                         390000);
    QVERIFY2(r.code == 0, qPrintable(QString("exit %1\n%2\n%3").arg(r.code).arg(r.out.right(3000), r.err.right(3000))));
    const QString runDir = out + "/tiny";

    const QJsonObject results = readJson(runDir + "/results.json");
    QVERIFY2(!results.isEmpty(), "results.json does not parse");
    QCOMPARE(results.value("config").toObject().value("name").toString(), QString("tiny"));
    const QJsonArray runs = results.value("runs").toArray();
    QCOMPARE(runs.size(), methods.size());  // one seed
    QStringList ran;
    for (const QJsonValue& v : runs) ran << v.toObject().value("method").toString();
    QCOMPARE(ran, methods);

    const QJsonObject data = config.value("data").toObject();
    const double seenVal = sites.size() * data.value("max_val_per_site").toDouble();
    const double seenTest = sites.size() * data.value("max_test_per_site").toDouble();
    const double heldVal = data.value("held_out_val").toDouble(), heldTest = data.value("held_out_test").toDouble();
    for (const QJsonValue& v : runs) {
      const QJsonObject run = v.toObject();
      const QString method = run.value("method").toString();
      // The held-out site is drafted by each model's generic path: one model under Centralized, one per site else.
      const double models = method == "centralized" ? 1 : sites.size();
      const QJsonArray perRound = run.value("rounds").toArray();
      QCOMPARE(perRound.size(), rounds);
      const QString work = runDir + "/work/" + method + "-seed1";
      const QJsonObject state = readJson(work + QString("/state-r%1/state.json").arg(rounds));
      const QStringList broadcasts = strings(state.value("broadcasts").toArray());
      const bool sends = method != "local" && method != "centralized";
      QCOMPARE(broadcasts.size(), sends ? rounds : 0);
      // FedMRG and its ablations but one also exchange the site prototypes (dense frames, not stored).
      const bool prototypes = method.startsWith("fedmrg") && method != "fedmrg-no-contrastive";
      double cumUp = 0, cumDown = 0;
      for (int k = 0; k < rounds; ++k) {
        const QJsonObject round = perRound.at(k).toObject();
        const QString where = QString("%1 round %2").arg(method).arg(k + 1);
        checkScores(round.value("val").toObject().value("seen").toObject(), seenVal, where + " val seen");
        checkScores(round.value("val").toObject().value("held_out").toObject(), heldVal * models, where + " val held-out");
        const double up = round.value("up_bytes").toDouble(-1), down = round.value("down_bytes").toDouble(-1);
        cumUp += up;
        cumDown += down;
        QCOMPARE(round.value("cumulative_up_bytes").toDouble(), cumUp);
        QCOMPARE(round.value("cumulative_down_bytes").toDouble(), cumDown);
        if (!sends) {
          QVERIFY2(up == 0 && down == 0, qPrintable(where + " sent bytes"));
          continue;
        }
        double uploads = 0;
        for (const QString& site : sites) {
          const qint64 b = onlyPayloadIn(work + QString("/uploads/r%1/").arg(k + 1) + site);
          QVERIFY2(b > 0, qPrintable(where + ": no stored upload of " + site));
          uploads += double(b);
        }
        const qint64 broadcast = chunkMessageBytes(work + "/broadcasts/" + broadcasts.at(k) + ".payload");
        QVERIFY2(broadcast > 0, qPrintable(where + ": no stored broadcast"));
        const double everyDownload = double(broadcast) * sites.size();  // each site downloads the broadcast
        if (!prototypes) {
          QVERIFY2(up == uploads, qPrintable(QString("%1: up %2, stored uploads %3").arg(where).arg(up).arg(uploads)));
          QVERIFY2(down == everyDownload,
                   qPrintable(QString("%1: down %2, stored broadcast x sites %3").arg(where).arg(down).arg(everyDownload)));
        } else {
          // Beyond the stored messages, each site uploads its prototype (a 64-value vector: a few hundred bytes
          // framed) and downloads every site's in one message.
          const double upExtra = up - uploads, downExtra = down - everyDownload;
          QVERIFY2(upExtra > 0 && upExtra < 2048.0 * sites.size(), qPrintable(where + QString(" up extra %1").arg(upExtra)));
          QVERIFY2(downExtra > 0 && downExtra < 2048.0 * sites.size() * sites.size() &&
                       std::fmod(downExtra, double(sites.size())) == 0,
                   qPrintable(where + QString(" down extra %1").arg(downExtra)));
        }
      }
      QCOMPARE(run.value("total_up_bytes").toDouble(), cumUp);
      QCOMPARE(run.value("total_down_bytes").toDouble(), cumDown);
      QCOMPARE(run.value("total_bytes").toDouble(), cumUp + cumDown);
      const QJsonObject test = run.value("test").toObject();
      checkScores(test.value("seen").toObject(), seenTest, method + " test seen");
      checkScores(test.value("held_out").toObject(), heldTest * models, method + " test held-out");
    }

    QFile table(runDir + "/TABLE.md");
    QVERIFY(table.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(table.readAll());
    for (const QJsonValue& v : runs)
      QVERIFY2(text.contains("| " + v.toObject().value("label").toString() + " |"),
               qPrintable(v.toObject().value("label").toString()));
    for (const char* png : {"ce_f1_per_round.png", "bleu4_per_round.png", "cumulative_bytes.png", "ce_f1_vs_bytes.png"}) {
      QFile f(runDir + "/" + png);
      QVERIFY2(f.open(QIODevice::ReadOnly) && f.size() > 2000, png);
      QVERIFY2(f.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8), png);
    }
  }
};

QTEST_GUILESS_MAIN(TestBenchFlTiny)
#include "tst_bench_fl_tiny.moc"
