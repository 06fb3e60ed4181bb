// federation::engineTrainFunction: two `fedmrg-cli federate --train engine` site processes train the default
// model's adapters with the engine on their own FL-MRG-Synth site through the real fedmrg-coordinator on
// 127.0.0.1, for two rounds. Both end on the coordinator's model digest; the global change is not zero (the
// sites really trained); each site saved its model of each version, and those models carry the global generic
// adapter (the same in both sites) while each keeps its own specialized adapter. A task naming a tensor the
// site's model lacks is refused naming the tensor.
#include <QtTest>

#include <atomic>

#include "engine/core/safetensors.h"
#include "engine/model/model_folder.h"
#include "federation/engine_train_function.h"
#include "federation_processes.h"

using namespace fedmrg;
using fedmrg::test::CoordinatorProcess;

namespace {

QString tempRoot() { return qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath()); }
QString defaultModel() { return QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default"; }

std::vector<float> tensorOf(const QString& modelDir, engine::AdapterKind kind, const std::string& name) {
  const engine::ModelFolder folder(modelDir.toStdString());
  const auto file = engine::SafetensorsFile::open(folder.adapterPath(kind));
  return file.at(name).toFloat32();
}

}  // namespace

class TestEngineTrainFunction : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!QFileInfo(defaultModel()).isDir()) QSKIP("resources/models/default is not in this checkout");
    QDir().mkpath(tempRoot());
  }

  void engineSitesTrainThroughTheCoordinator() {
    QTemporaryDir dir(tempRoot() + "/engine-sites-XXXXXX");
    const QString data = dir.filePath("data");
    QProcess synth;
    synth.start(FEDMRG_CLI,
                {"synth", "--out", data, "--studies-per-site", "6", "--size", "64", "--seed", "7", "--threads", "2"});
    QVERIFY(synth.waitForFinished(120000));
    QVERIFY2(synth.exitCode() == 0, synth.readAllStandardError().constData());

    CoordinatorProcess c(dir.path(), "strategy = fedmrg\nmin_sites = 2\ndeadline_seconds = 600\nmax_rounds = 2\n");
    const int port = c.start();
    QVERIFY2(port > 0, qPrintable(c.log()));
    std::vector<std::unique_ptr<QProcess>> sites;
    const QStringList ids{"site-a", "site-b"};
    for (int s = 0; s < 2; ++s)
      sites.push_back(fedmrg::test::startSite(port, ids[s], dir.filePath(ids[s]),
                                              {"--train",         "engine",
                                               "--model",         defaultModel(),
                                               "--data",          data,
                                               "--site",          ids[s],
                                               "--row",           QString::number(s),
                                               "--num-sites",     "2",
                                               "--steps",         "2",
                                               "--batch",         "2",
                                               "--threads",       "1",
                                               "--save-versions", dir.filePath(ids[s] + "/versions")}));
    QString outA, outB;
    const QString ra = fedmrg::test::siteResult(*sites[0], 240000, &outA);
    const QString rb = fedmrg::test::siteResult(*sites[1], 240000, &outB);
    QVERIFY2(ra.startsWith("done version=2 "), qPrintable(outA + c.log()));
    QCOMPARE(rb, ra);
    QVERIFY2(c.waitForLog("event=round_closed round=2", 10000), qPrintable(c.log()));
    const QString digest = ra.section("model_digest=", 1).trimmed();
    QVERIFY(c.log().contains("model_digest=" + digest));

    // The sites trained: the global generic adapter moved away from the starting model's.
    const std::string b = "model.layers.0.self_attn.q_proj.lora_B";
    const std::vector<float> start = tensorOf(defaultModel(), engine::AdapterKind::Generic, b);
    for (const QString& id : ids)
      for (int v = 1; v <= 2; ++v)
        QVERIFY2(QFileInfo(dir.filePath(id + "/versions/version-" + QString::number(v) + "/config.json")).exists(),
                 qPrintable(id));
    const QString a2 = dir.filePath("site-a/versions/version-2"), b2 = dir.filePath("site-b/versions/version-2");
    const std::vector<float> ga = tensorOf(a2, engine::AdapterKind::Generic, b);
    QCOMPARE(ga.size(), start.size());
    QVERIFY(ga != start);
    // Every site holds the same global generic adapter; the specialized one is each site's own.
    QVERIFY(ga == tensorOf(b2, engine::AdapterKind::Generic, b));
    QVERIFY(tensorOf(a2, engine::AdapterKind::Specialized, b) != tensorOf(b2, engine::AdapterKind::Specialized, b));
  }

  void aTensorTheModelLacksIsRefused() {
    federation::EngineSiteTraining setup;
    setup.modelDir = defaultModel().toStdString();
    setup.examples = [] { return std::vector<engine::TrainExample>(1); };
    const federation::TrainFunction train = federation::engineTrainFunction(setup);
    const std::vector<federation::FederatedTensorSpec> specs{{"heads.no_such_head.weight", {4, 4}}};
    const std::map<std::string, federation::Matrix> global{{"heads.no_such_head.weight", federation::Matrix(4, 4)}};
    const std::atomic<bool> cancelled{false};
    federation::TrainRequest r;
    r.round = 1;
    r.strategy = "fedmrg";
    r.tensors = &specs;
    r.global = &global;
    r.cancelled = &cancelled;
    try {
      train(r);
      QFAIL("a tensor the model lacks was accepted");
    } catch (const std::exception& e) {
      QVERIFY2(QString(e.what()).contains("heads.no_such_head.weight"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestEngineTrainFunction)
#include "tst_engine_train_function.moc"
