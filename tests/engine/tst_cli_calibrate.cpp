// fedmrg-cli calibrate end to end on a tiny model: it fits on the val split, writes a model folder whose
// config loads with the calibration, refuses the test split, and ReportGenerator's drafts decide their
// states with the calibration while reporting the model's own probabilities.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>

#include "cli_process.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_config.h"
#include "engine/model/model_folder.h"

using namespace fedmrg::engine;

namespace {

using clitest::cli;
using clitest::Run;

// The files of the model folder dir, as ModelFolder names them.
QString configOf(const QString& dir) { return QString::fromStdString(ModelFolder(dir.toStdString()).configPath()); }
QString weightsOf(const QString& dir) { return QString::fromStdString(ModelFolder(dir.toStdString()).weightsPath()); }
QString tokenizerOf(const QString& dir) {
  return QString::fromStdString(ModelFolder(dir.toStdString()).tokenizerPath());
}

QByteArray bytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestCliCalibrate : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString data_, model_;

 private slots:
  void initTestCase() {
#ifndef FEDMRG_HAVE_DCMTK
    QSKIP("fedmrg-cli synth and calibrate need DICOM support (DCMTK)");
#endif
    QVERIFY(dir_.isValid());
    data_ = dir_.filePath("synth");
    model_ = dir_.filePath("model");
    const QString failed = clitest::makeTinySynthModel(data_, model_, 20);
    QVERIFY2(failed.isEmpty(), qPrintable(failed));
  }

  void roundTripWritesAConfigThatLoads() {
    const QString out = dir_.filePath("calibrated");
    Run r = cli({"calibrate", "--model", model_, "--data", data_, "--out", out, "--grid", "-1:3:0.5"});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("split val"), qPrintable(r.out));
    QVERIFY2(r.out.contains("uncalibrated") && r.out.contains("calibrated config written"), qPrintable(r.out));
    // Every file but the config is copied unchanged; the config differs only by the calibration.
    QCOMPARE(bytes(weightsOf(out)), bytes(weightsOf(model_)));
    QCOMPARE(bytes(tokenizerOf(out)), bytes(tokenizerOf(model_)));
    QVERIFY(!bytes(weightsOf(out)).isEmpty());
    const ModelConfig original = ModelFolder(model_.toStdString()).loadConfig();
    ModelConfig written = ModelFolder(out.toStdString()).loadConfig();
    for (const auto& row : written.calibration.offsets)
      for (double v : row) QVERIFY(v >= -1.0 && v <= 3.0);  // from the grid
    written.calibration = original.calibration;
    QCOMPARE(written.toJson(), original.toJson());
    // The calibrated folder drafts, and --check scores its calibration without writing.
    Run check = cli({"calibrate", "--model", out, "--data", data_, "--check"});
    QVERIFY2(check.code == 0, qPrintable(check.out));
    QVERIFY2(!check.out.contains("written"), qPrintable(check.out));
    Run pred = cli({"predict", "--model", out, "--data", data_, "--pred", dir_.filePath("p.jsonl"), "--limit", "1",
                    "--max-new", "6", "--threads", "1"});
    QVERIFY2(pred.code == 0, qPrintable(pred.out));
  }

  void draftsDecideWithTheCalibration() {
    const std::string calibrated = dir_.filePath("forced").toStdString();
    std::filesystem::create_directories(calibrated);
    for (const auto& e : std::filesystem::directory_iterator(model_.toStdString()))
      std::filesystem::copy_file(e.path(), std::filesystem::path(calibrated) / e.path().filename());
    ModelConfig c = ModelFolder(calibrated).loadConfig();
    for (auto& row : c.calibration.offsets) row = {0, 50, 0, 0};  // positive wins everywhere
    ModelFolder(calibrated).saveConfig(c);

    ReportGenerator plain(model_.toStdString()), forced(calibrated);
    const ModelConfig& mc = plain.config();
    const std::vector<float> image(size_t(mc.vision.channels) * size_t(mc.imageSize) * size_t(mc.imageSize), 0.4f);
    GenerationOptions o = plain.defaultOptions();
    o.maxNewTokens = 4;
    const Draft a = plain.draftFromPixels(image, o), b = forced.draftFromPixels(image, o);
    QCOMPARE(b.probabilities, a.probabilities);  // the model's own probabilities
    for (int i = 0; i < kNumObservations; ++i) QCOMPARE(int(b.states[size_t(i)]), int(ObservationState::Positive));
    QVERIFY2(b.prompt.find("edema: positive") != std::string::npos, b.prompt.c_str());
    const std::vector<std::vector<float>> batch = forced.diagnoseFromPixels({image, image});
    QCOMPARE(batch.size(), size_t(2));
    QCOMPARE(batch[1].size(), a.probabilities.size());
    for (size_t k = 0; k < a.probabilities.size(); ++k)  // a batch of 2 rounds differently in the last bits
      QVERIFY(std::abs(batch[1][k] - a.probabilities[k]) < 1e-5f);
  }

  void badUsageIsNamed() {
    Run test = cli({"calibrate", "--model", model_, "--data", data_, "--split", "test"});
    QVERIFY(test.code != 0);
    QVERIFY2(test.out.contains("never on test"), qPrintable(test.out));
    Run both = cli({"calibrate", "--model", model_, "--data", data_, "--in-place", "--out", dir_.filePath("x")});
    QVERIFY(both.code != 0);
    QVERIFY2(both.out.contains("not both"), qPrintable(both.out));
    Run grid = cli({"calibrate", "--model", model_, "--data", data_, "--grid", "3:1:0.5"});
    QVERIFY(grid.code != 0);
    QVERIFY2(grid.out.contains("--grid"), qPrintable(grid.out));
    const QString broken = dir_.filePath("broken");
    QVERIFY(QDir().mkpath(broken));
    QFile::copy(weightsOf(model_), weightsOf(broken));
    QFile::copy(tokenizerOf(model_), tokenizerOf(broken));
    QFile cfg(configOf(broken));
    QVERIFY(cfg.open(QIODevice::WriteOnly));
    QByteArray text = bytes(configOf(model_));
    text.replace("\"states\": 4", "\"states\": 4, \"calibration\": {\"lung_nodule\": [0, 1, 0, 0]}");
    cfg.write(text);
    cfg.close();
    Run bad = cli({"calibrate", "--model", broken, "--data", data_, "--check"});
    QVERIFY(bad.code != 0);
    QVERIFY2(bad.out.contains("diagnosis.calibration.lung_nodule"), qPrintable(bad.out));
  }
};

QTEST_APPLESS_MAIN(TestCliCalibrate)
#include "tst_cli_calibrate.moc"
