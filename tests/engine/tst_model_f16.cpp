// A model folder whose base weights are stored as float16 loads on both paths: LibTorch (training, encoder)
// converts every tensor to float32 exactly, and ReportGenerator drafts from it like from the float32 folder.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "app/tiny_model.h"
#include "engine/core/safetensors.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_folder.h"

namespace fs = std::filesystem;
using namespace fedmrg;

namespace {

// Copies a model folder, storing every F32 tensor of the base weights as F16.
void writeF16Copy(const std::string& from, const std::string& to) {
  const engine::ModelFolder src(from), dst(to);
  fs::create_directories(to);
  fs::copy_file(src.configPath(), dst.configPath());
  fs::copy_file(src.tokenizerPath(), dst.tokenizerPath());
  const auto in = engine::SafetensorsFile::open(src.weightsPath());
  engine::SafetensorsWriter w;
  for (const auto& [k, v] : in.metadata()) w.setMetadata(k, v);
  for (const std::string& name : in.names()) {
    const engine::TensorView& t = in.at(name);
    if (t.dtype != engine::DType::F32) {
      w.add(name, t.dtype, t.shape, t.data, t.nbytes);
      continue;
    }
    const std::vector<float> f = t.toFloat32();
    std::vector<uint16_t> h(f.size());
    for (size_t i = 0; i < f.size(); ++i) h[i] = engine::floatToHalf(f[i]);
    w.add(name, engine::DType::F16, t.shape, h.data(), h.size() * 2);
  }
  w.write(dst.weightsPath());
}

}  // namespace

class TestModelF16 : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string f32_, f16_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    f32_ = dir_.filePath("f32").toStdString();
    f16_ = dir_.filePath("f16").toStdString();
    testing::writeTinyModel(f32_);
    writeF16Copy(f32_, f16_);
    const engine::ModelFolder f32(f32_), f16Folder(f16_);
    const auto f16 = engine::SafetensorsFile::open(f16Folder.weightsPath());
    int halves = 0;
    for (const std::string& n : f16.names()) halves += f16.at(n).dtype == engine::DType::F16;
    QVERIFY(halves > 10);
    QVERIFY(fs::file_size(f16Folder.weightsPath()) < fs::file_size(f32.weightsPath()) * 6 / 10);
  }

  void libtorchPathConvertsEveryTensorExactly() {
    engine::net::ReportNet a = engine::net::loadReportNet(engine::ModelFolder(f32_));
    engine::net::ReportNet b = engine::net::loadReportNet(engine::ModelFolder(f16_));
    const auto ta = engine::net::baseTensors(*a), tb = engine::net::baseTensors(*b);
    QCOMPARE(tb.size(), ta.size());
    int changed = 0;
    for (const auto& [name, t] : ta) {
      const torch::Tensor& u = tb.at(name);
      QCOMPARE(u.scalar_type(), torch::kFloat32);
      QVERIFY2(torch::equal(u, t.to(torch::kHalf).to(torch::kFloat32)), name.c_str());
      changed += !torch::equal(u, t);
    }
    QVERIFY(changed > 0);  // the weights really went through float16
  }

  void generatorDraftsFromF16Folder() {
    engine::ReportGenerator::Options o;
    o.threads = 1;
    engine::ReportGenerator g32(f32_, o), g16(f16_, o);
    const int n = g32.config().imageSize * g32.config().imageSize;
    std::vector<float> image(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) image[size_t(i)] = float(i % 37) / 37.0f;
    engine::GenerationOptions go = g32.defaultOptions();
    go.maxNewTokens = 6;
    const engine::Draft d32 = g32.draftFromPixels(image, go), d16 = g16.draftFromPixels(image, go);
    QCOMPARE(d16.probabilities.size(), d32.probabilities.size());
    for (size_t i = 0; i < d32.probabilities.size(); ++i)
      QVERIFY(std::abs(d16.probabilities[i] - d32.probabilities[i]) < 2e-2f);
    QVERIFY(!d16.tokens.empty());
  }

  void corruptF16FileIsNamed() {
    const std::string bad = dir_.filePath("bad").toStdString();
    writeF16Copy(f32_, bad);
    const std::string weights = engine::ModelFolder(bad).weightsPath();
    fs::resize_file(weights, fs::file_size(weights) - 64);
    try {
      engine::ReportGenerator g(bad);
      QFAIL("truncated base weights loaded");
    } catch (const engine::GeneratorError& e) {
      QVERIFY2(std::string(e.what()).find(weights) != std::string::npos, e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestModelF16)
#include "tst_model_f16.moc"
