// fedmrg-cli bench fl --transport grpc: a micro configuration (2 sites, 2 rounds of 1 step, tiny data, prototypes
// off) runs FedAvg and FedMRG once in process and once through the real fedmrg-coordinator and two
// `fedmrg-cli federate --train engine` site processes on 127.0.0.1. Both transports end every round on the same
// broadcast digest and the same global model digest (FedMRG's low-rank int8 codec included), and send nearly the
// same bytes (the wire adds the upload trailer); the grpc output says that prototypes are not shared.
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
  "data": {"studies_per_site": 10, "size": 64, "seed": 5, "sites": ["site-a", "site-b"], "held_out": "site-e",
           "max_train_per_site": 4, "max_val_per_site": 1, "max_test_per_site": 1, "held_out_val": 1,
           "held_out_test": 1},
  "rounds": 2, "local_steps": 1, "batch": 2, "threads": 1, "max_new_tokens": 8,
  "seeds": [1], "methods": ["fedavg", "fedmrg"], "share_prototypes": false
})";

QString defaultModel() { return QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default"; }

}  // namespace

class TestBenchFlGrpc : public QObject {
  Q_OBJECT
 private slots:
  void bothTransportsGiveTheSameGlobalDigests() {
    if (!QFileInfo(defaultModel()).isDir()) QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    const QString config = dir.filePath("micro.json");
    {
      QFile f(config);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(kMicro);
    }
    const QString out = dir.filePath("results");
    QMap<QString, QJsonObject> results;
    for (const QString transport : {"in-process", "grpc"}) {
      const Result r = run({"bench", "fl", "--config", config, "--out", out, "--run", transport, "--model",
                            defaultModel(), "--transport", transport},
                           150000);
      QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
      QVERIFY(r.out.contains("transport: " + transport));
      if (transport == "grpc")
        QVERIFY(r.out.contains("site prototypes are not shared: the federation protocol has no channel for them"));
      results[transport] = readJson(out + "/" + transport + "/results.json");
      QCOMPARE(results[transport].value("transport").toString(), transport);
    }
    for (const QString method : {"fedavg", "fedmrg"}) {
      const QJsonObject a = benchRunOf(results["in-process"], method), b = benchRunOf(results["grpc"], method);
      QCOMPARE(a.value("transport").toString(), QString("in-process"));
      QCOMPARE(b.value("transport").toString(), QString("grpc"));
      QCOMPARE(b.value("prototypes_shared").toBool(), false);
      QCOMPARE(a.value("shared_tensors").toDouble(), b.value("shared_tensors").toDouble());
      const QJsonArray ra = a.value("rounds").toArray(), rb = b.value("rounds").toArray();
      QCOMPARE(ra.size(), 2);
      QCOMPARE(rb.size(), 2);
      QSet<QString> digests;
      for (int i = 0; i < 2; ++i) {
        const QJsonObject x = ra[i].toObject(), y = rb[i].toObject();
        const QString what = QString("%1 round %2").arg(method).arg(i + 1);
        QCOMPARE(x.value("broadcast_digest").toString().size(), 64);
        QVERIFY2(x.value("broadcast_digest") == y.value("broadcast_digest"), qPrintable(what));
        QVERIFY2(x.value("model_digest") == y.value("model_digest"), qPrintable(what));
        digests << x.value("model_digest").toString();
        // The same messages, counted on each side; the wire adds each upload's trailer and framing.
        for (const char* key : {"up_bytes", "down_bytes"}) {
          const double p = x.value(key).toDouble(), g = y.value(key).toDouble();
          QVERIFY2(p > 0 && std::fabs(g - p) <= 0.01 * p, qPrintable(what + " " + key));
        }
      }
      QCOMPARE(digests.size(), 2);  // each round moved the global model
    }
  }
};

QTEST_GUILESS_MAIN(TestBenchFlGrpc)
#include "tst_bench_fl_grpc.moc"
