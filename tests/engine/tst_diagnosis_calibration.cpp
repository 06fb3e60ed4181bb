// Tests of the diagnosis head's decision calibration: the decision rule, the states a draft's text carries,
// the coordinate-ascent fitter, and the diagnosis.calibration section of the model config.
#include <QtTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>

#include "engine/metrics/clinical_metrics.h"
#include "engine/model/diagnosis_calibration.h"
#include "engine/model/model_config.h"
#include "engine/model/prompt_builder.h"

using namespace fedmrg::engine;

namespace {

const int kEdema = observationIndex("edema");
const int kOpacity = observationIndex("lung_opacity");
const int kDevices = observationIndex("support_devices");

// The softmax of hand-made logits, in float as the head returns its probabilities.
std::array<float, 4> softmax(const std::array<double, 4>& logits) {
  double sum = 0;
  for (double l : logits) sum += std::exp(l);
  std::array<float, 4> p{};
  for (size_t k = 0; k < 4; ++k) p[k] = float(std::exp(logits[k]) / sum);
  return p;
}

// Every observation blank-leaning except row i, which gets the given 4 probabilities.
std::vector<float> withRow(int i, std::array<float, 4> row) {
  std::vector<float> p;
  for (int o = 0; o < kNumObservations; ++o)
    for (int k = 0; k < 4; ++k) p.push_back(o == i ? row[size_t(k)] : (k == 0 ? 0.97f : 0.01f));
  return p;
}

QString configError(const std::string& json) {
  try {
    ModelConfig::fromJson(Json::parse(json));
  } catch (const ModelConfigError& e) {
    return QString::fromStdString(e.what());
  }
  return QString();
}

}  // namespace

class TestDiagnosisCalibration : public QObject {
  Q_OBJECT
 private slots:
  // Studies whose answers are known by construction: each row's logits give a chosen state the largest value
  // by a margin of at least 0.1. Edema's positive logit trails the winner by 0.35 in half of the studies (an
  // offset of +0.7 on positive lifts it above) and by 1.4 in the others (it does not).
  void zeroOffsetsGiveTheArgmax() {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> pick(0, 3);
    std::uniform_real_distribution<double> logit(-3.0, 1.0), margin(0.1, 3.0);
    DiagnosisCalibration other;  // offsets on one observation only: the zero rows still decide by argmax
    other.offsets[size_t(kEdema)] = {0, 0.7, 0, 0};
    int flipped = 0;
    for (int n = 0; n < 300; ++n) {
      std::vector<float> p;
      ObservationStates plain{}, withOffset{};
      for (int i = 0; i < kNumObservations; ++i) {
        const int winner = pick(rng);
        std::array<double, 4> l{};
        if (i == kEdema) {
          for (double& v : l) v = -2.0 - margin(rng);
          l[size_t(winner)] = 0;
          const bool flips = n % 2 == 0;
          if (winner != 1) l[1] = flips ? -0.35 : -1.4;
          withOffset[size_t(i)] = winner == 1 || flips ? ObservationState::Positive : ObservationState(winner);
          flipped += winner != 1 && flips;
        } else {
          double best = -1e9;
          for (size_t k = 0; k < 4; ++k)
            if (int(k) != winner) best = std::max(best, l[k] = logit(rng));
          l[size_t(winner)] = best + margin(rng);
          withOffset[size_t(i)] = ObservationState(winner);
        }
        plain[size_t(i)] = ObservationState(winner);
        for (float v : softmax(l)) p.push_back(v);
      }
      QVERIFY(argmaxStates(p) == plain);
      QVERIFY(decideStates(p, DiagnosisCalibration{}) == plain);
      QVERIFY(decideStates(p, other) == withOffset);
    }
    QVERIFY2(flipped > 75, qPrintable(QString::number(flipped)));  // the offset did change decisions
    QVERIFY(DiagnosisCalibration{}.isIdentity());
    QVERIFY(!other.isIdentity());
  }

  void anOffsetFlipsTheDecision() {
    const std::vector<float> p = withRow(kEdema, {0.6f, 0.3f, 0.05f, 0.05f});  // positive at half of blank
    QCOMPARE(int(argmaxStates(p)[size_t(kEdema)]), int(ObservationState::Blank));
    DiagnosisCalibration c;
    c.offsets[size_t(kEdema)][1] = std::log(2.0) + 0.05;
    QCOMPARE(int(decideStates(p, c)[size_t(kEdema)]), int(ObservationState::Positive));
    c.offsets[size_t(kEdema)][1] = std::log(2.0) - 0.05;
    QCOMPARE(int(decideStates(p, c)[size_t(kEdema)]), int(ObservationState::Blank));
    c.offsets[size_t(kEdema)] = {0, 0, 0, 3.0};  // uncertain: 0.05 * e^3 = 1.0 > 0.6
    QCOMPARE(int(decideStates(p, c)[size_t(kEdema)]), int(ObservationState::Uncertain));
    c.offsets[size_t(kEdema)] = {-1.0, 0, 0, 0};  // a negative offset on blank works as well
    QCOMPARE(int(decideStates(p, c)[size_t(kEdema)]), int(ObservationState::Positive));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, decideStates(std::vector<float>(55), c));
  }

  void writtenStatesFollowTheLabelersNoFindingRule() {
    ObservationStates s{};
    s.fill(ObservationState::Blank);
    s[0] = ObservationState::Blank;  // the head's own No Finding state does not matter
    s[size_t(kDevices)] = ObservationState::Positive;
    s[size_t(kEdema)] = ObservationState::Negative;
    ObservationStates w = writtenStates(s);
    QCOMPARE(int(w[0]), int(ObservationState::Positive));  // devices and negatives only: no finding
    QCOMPARE(int(w[size_t(kDevices)]), int(ObservationState::Positive));
    s[size_t(kEdema)] = ObservationState::Uncertain;
    s[0] = ObservationState::Positive;
    w = writtenStates(s);
    QCOMPARE(int(w[0]), int(ObservationState::Blank));  // an uncertain finding blanks No Finding
    QCOMPARE(int(w[size_t(kEdema)]), int(ObservationState::Uncertain));
  }

  void fitterUndoesAKnownBias() {
    // Lung opacity: present in every other study, but the head gives it 0.35 against 0.6 for blank, and 0.04
    // when absent; the fitted positive offset must fall between log(0.6/0.35) and log(0.93/0.04).
    std::vector<std::vector<float>> probs;
    std::vector<ObservationStates> refs;
    for (int n = 0; n < 120; ++n) {
      const bool present = n % 2 == 0;
      probs.push_back(present ? withRow(kOpacity, {0.6f, 0.35f, 0.03f, 0.02f})
                              : withRow(kOpacity, {0.93f, 0.04f, 0.02f, 0.01f}));
      ObservationStates r{};
      r.fill(ObservationState::Blank);
      if (present) r[size_t(kOpacity)] = ObservationState::Positive;
      refs.push_back(writtenStates(r));
    }
    const CalibrationFit fit = fitCalibration(probs, refs);
    QCOMPARE(fit.samples, size_t(120));
    QVERIFY2(fit.f1Before < 0.6, qPrintable(QString::number(fit.f1Before)));  // half the studies score 0
    QCOMPARE(fit.f1After, 1.0);
    const double offset = fit.calibration.offsets[size_t(kOpacity)][1];
    QVERIFY2(offset > std::log(0.6 / 0.35) && offset < std::log(0.93 / 0.04), qPrintable(QString::number(offset)));
    for (int i = 0; i < kNumObservations; ++i)  // nothing else moved
      if (i != kOpacity)
        QVERIFY(fit.calibration.offsets[size_t(i)] == (std::array<double, 4>{}));
    // f1After is what evaluate's example-based F1 gives for the written states.
    std::vector<ObservationStates> written;
    for (const auto& p : probs) written.push_back(writtenStates(decideStates(p, fit.calibration)));
    QCOMPARE(clinicalEfficacy(written, refs).exampleBased.f1, fit.f1After);
  }

  void fitterKeepsAnUnbiasedHeadAsItIs() {
    std::vector<std::vector<float>> probs;
    std::vector<ObservationStates> refs;
    for (int n = 0; n < 40; ++n) {
      const bool present = n % 3 == 0;
      probs.push_back(withRow(kEdema, present ? std::array<float, 4>{0.1f, 0.8f, 0.05f, 0.05f}
                                              : std::array<float, 4>{0.8f, 0.1f, 0.05f, 0.05f}));
      // The reference a labeler would read: edema when present, else No Finding (nothing else is found).
      ObservationStates r{};
      r.fill(ObservationState::Blank);
      r[size_t(present ? kEdema : 0)] = ObservationState::Positive;
      refs.push_back(r);
    }
    const CalibrationFit fit = fitCalibration(probs, refs);
    QCOMPARE(fit.f1Before, 1.0);
    QVERIFY(fit.calibration.isIdentity());  // equal F1 never moves an offset
    QCOMPARE(fit.sweeps, 1);
  }

  void fitterRejectsBadInput() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fitCalibration({}, {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             fitCalibration({withRow(0, {1, 0, 0, 0})}, std::vector<ObservationStates>(2)));
    CalibrationFitOptions o;
    o.grid = {0.0, std::numeric_limits<double>::infinity()};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             fitCalibration({withRow(0, {1, 0, 0, 0})}, std::vector<ObservationStates>(1), o));
  }

  void configRoundTrip() {
    ModelConfig c = ModelConfig::tiny(100);
    QVERIFY(c.calibration.isIdentity());
    QVERIFY(c.toJson().at("diagnosis").find("calibration") == nullptr);  // absent stays absent
    c.calibration.offsets[size_t(kEdema)] = {0, 1.25, 0, -0.5};
    c.calibration.offsets[size_t(kDevices)] = {0.25, 0, 0, 0};
    const Json j = c.toJson();
    QVERIFY(j.at("diagnosis").at("calibration").find("edema") != nullptr);
    QVERIFY(j.at("diagnosis").at("calibration").find("cardiomegaly") == nullptr);  // zero rows left out
    ModelConfig back = ModelConfig::fromJson(Json::parse(j.dump(2)));
    QVERIFY(back.calibration == c.calibration);
    QTemporaryDir dir;
    const std::string path = dir.filePath("model-cfg.json").toStdString();
    c.save(path);
    QVERIFY(ModelConfig::load(path).calibration == c.calibration);
    // Display names are accepted as keys too; observations left out are 0.
    ModelConfig named = ModelConfig::fromJson(
        Json::parse("{\"diagnosis\": {\"calibration\": {\"Pleural Effusion\": [0, 0.5, 0, 1]}}}"));
    QCOMPARE(named.calibration.offsets[size_t(observationIndex("pleural_effusion"))][3], 1.0);
    QCOMPARE(named.calibration.offsets[size_t(kEdema)][1], 0.0);
  }

  void configErrorsNameTheField_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not an object") << "{\"diagnosis\": {\"calibration\": [1, 2]}}" << "diagnosis.calibration: must be an object";
    QTest::newRow("unknown observation") << "{\"diagnosis\": {\"calibration\": {\"lung_nodule\": [0, 1, 0, 0]}}}"
                                         << "diagnosis.calibration.lung_nodule: unknown observation";
    QTest::newRow("three offsets") << "{\"diagnosis\": {\"calibration\": {\"edema\": [0, 1, 0]}}}"
                                   << "diagnosis.calibration.edema: must be an array of 4 numbers";
    QTest::newRow("not a number") << "{\"diagnosis\": {\"calibration\": {\"edema\": [0, \"x\", 0, 0]}}}"
                                  << "diagnosis.calibration.edema[1]: offset of 'positive' must be a finite number";
    QTest::newRow("twice") << "{\"diagnosis\": {\"calibration\": {\"edema\": [0, 1, 0, 0], \"Edema\": [0, 1, 0, 0]}}}"
                           << "diagnosis.calibration.Edema: observation given twice";
    QTest::newRow("other head") << "{\"diagnosis\": {\"states\": 3, \"calibration\": {\"edema\": [0, 1, 0, 0]}}}"
                                << "diagnosis.calibration: needs the 14 CheXpert observations x 4 states";
  }
  void configErrorsNameTheField() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    const QString error = configError(json.toStdString());
    QVERIFY2(error.contains(expected), qPrintable(error));
  }

  void nonFiniteOffsetIsNamed() {
    ModelConfig c = ModelConfig::tiny(100);
    c.calibration.offsets[size_t(kEdema)][3] = std::numeric_limits<double>::quiet_NaN();
    try {
      c.validate();
      QFAIL("no error");
    } catch (const ModelConfigError& e) {
      QVERIFY2(QString(e.what()).contains("diagnosis.calibration.edema[3]"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestDiagnosisCalibration)
#include "tst_diagnosis_calibration.moc"
