// Tests of engine::loadDecoder on a fedmrg model folder: base weights plus the generic and specialized adapters.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <random>

#include "engine/core/safetensors.h"
#include "engine/infer/model_loader.h"
#include "engine/model/model_folder.h"

using namespace fedmrg::engine;
namespace fs = std::filesystem;

namespace {

// Writes a rank-r adapter for q_proj of layer 0 with the contract's metadata; returns B @ A scaled by alpha / r.
std::vector<float> writeAdapter(const std::string& path, const char* kind, const DecoderConfig& c, int r, double alpha,
                                uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n(0.f, 0.5f);
  std::vector<float> A(size_t(r * c.dim)), B(size_t(c.dim * r));
  for (float& v : A) v = n(rng);
  for (float& v : B) v = n(rng);
  SafetensorsWriter w;
  w.addFloat32("model.layers.0.self_attn.q_proj.lora_A", {r, c.dim}, A.data());
  w.addFloat32("model.layers.0.self_attn.q_proj.lora_B", {c.dim, r}, B.data());
  w.setMetadata("adapter", kind);
  w.setMetadata("rank", std::to_string(r));
  w.setMetadata("alpha", std::to_string(int(alpha)));
  w.write(path);
  std::vector<float> delta(size_t(c.dim * c.dim), 0.f);
  for (int o = 0; o < c.dim; ++o)
    for (int i = 0; i < c.dim; ++i)
      for (int k = 0; k < r; ++k)
        delta[size_t(o * c.dim + i)] += float(alpha / r) * B[size_t(o * r + k)] * A[size_t(k * c.dim + i)];
  return delta;
}

}  // namespace

class TestModelLoader : public QObject {
  Q_OBJECT
 private slots:
  void mergesTheAdaptersThatArePresentAndChosen() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const ModelFolder folder(dir.path().toStdString());
    const ModelConfig mc = ModelConfig::tiny(40);
    folder.saveConfig(mc);
    const DecoderWeights base = DecoderWeights::random(mc.decoder, 3);
    SafetensorsWriter w;
    base.addTo(mc.decoder, w);
    const std::vector<float> visionStub(4, 1.f);
    w.addFloat32("vision.stub", {4}, visionStub.data());  // other prefixes are ignored by the decoder
    w.write(folder.weightsPath());

    LoadedDecoder plain = loadDecoder(dir.path().toStdString());
    QVERIFY(plain.adapters.empty());
    QCOMPARE(plain.weights.layers[0].q, base.layers[0].q);

    const auto g = writeAdapter(folder.adapterPath(AdapterKind::Generic), "generic", mc.decoder, 4, 8, 1);
    const auto s = writeAdapter(folder.adapterPath(AdapterKind::Specialized), "specialized", mc.decoder, 2, 6, 2);
    const std::string genericFile = fs::path(folder.adapterPath(AdapterKind::Generic)).filename().string();
    const std::string specializedFile = fs::path(folder.adapterPath(AdapterKind::Specialized)).filename().string();
    const LoadedDecoder both = loadDecoder(dir.path().toStdString());
    QCOMPARE(both.adapters, (std::vector<std::string>{genericFile, specializedFile}));
    for (size_t i = 0; i < g.size(); ++i)
      QVERIFY(std::fabs(both.weights.layers[0].q[i] - (base.layers[0].q[i] + g[i] + s[i])) < 1e-5);
    QCOMPARE(both.weights.layers[1].q, base.layers[1].q);

    AdapterChoice genericOnly;
    genericOnly.specialized = false;
    const LoadedDecoder gen = loadDecoder(dir.path().toStdString(), genericOnly);
    QCOMPARE(gen.adapters, (std::vector<std::string>{genericFile}));
    for (size_t i = 0; i < g.size(); ++i)
      QVERIFY(std::fabs(gen.weights.layers[0].q[i] - (base.layers[0].q[i] + g[i])) < 1e-5);
    FastDecoder dec(gen.config, gen.weights, 1);
    QCOMPARE(dec.config().vocabSize, 40);
  }

  void missingWeightsGiveAClearError() {
    QTemporaryDir dir;
    const ModelFolder folder(dir.path().toStdString());
    folder.saveConfig(ModelConfig::tiny(40));
    try {
      loadDecoder(dir.path().toStdString());
      QFAIL("no error");
    } catch (const SafetensorsError& e) {
      QVERIFY2(QString(e.what()).contains(QString::fromStdString(folder.weightsPath())), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestModelLoader)
#include "tst_model_loader.moc"
