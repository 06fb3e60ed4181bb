// Tests of the clinical efficacy metrics: example-based, micro and macro P/R/F1 of "positive" states.
#include <QtTest>

#include "engine/metrics/clinical_metrics.h"

using namespace fedmrg::engine;

namespace {

ObservationStates states(std::initializer_list<std::pair<const char*, ObservationState>> set) {
  ObservationStates s{};
  s.fill(ObservationState::Blank);
  for (const auto& [key, st] : set) s[observationIndex(key)] = st;
  return s;
}

constexpr auto P = ObservationState::Positive;
constexpr auto U = ObservationState::Uncertain;
constexpr auto N = ObservationState::Negative;

bool near(double a, double b) { return std::abs(a - b) < 1e-12; }

}  // namespace

class TestClinicalMetrics : public QObject {
  Q_OBJECT
 private slots:
  void commonFive() {
    const auto& c = commonObservations();
    QCOMPARE(c.size(), size_t(5));
    QCOMPARE(c[0], observationIndex("Cardiomegaly"));
    QCOMPARE(c[4], observationIndex("Pleural Effusion"));
  }

  void handComputedCase() {
    // Report 1: pred {cardiomegaly, edema}, ref {cardiomegaly, effusion}: P 1/2, R 1/2, F1 1/2.
    // Report 2: pred {} (uncertain and negative do not count), ref {}: 1, 1, 1.
    // Report 3: pred {atelectasis}, ref {}: P 0, R 0 (empty ref, non-empty pred), F1 0.
    std::vector<ObservationStates> pred = {states({{"cardiomegaly", P}, {"edema", P}}),
                                           states({{"edema", U}, {"pneumothorax", N}}),
                                           states({{"atelectasis", P}})};
    std::vector<ObservationStates> ref = {states({{"cardiomegaly", P}, {"pleural_effusion", P}}),
                                          states({{"edema", N}}),
                                          states({})};
    ClinicalScores s = clinicalEfficacy(pred, ref);
    QCOMPARE(s.reports, size_t(3));
    QVERIFY(near(s.exampleBased.precision, (0.5 + 1 + 0) / 3));
    QVERIFY(near(s.exampleBased.recall, (0.5 + 1 + 0) / 3));
    QVERIFY(near(s.exampleBased.f1, (0.5 + 1 + 0) / 3));
    // Pooled: tp 1 (cardiomegaly), fp 2 (edema, atelectasis), fn 1 (effusion).
    QVERIFY(near(s.micro14.precision, 1.0 / 3));
    QVERIFY(near(s.micro14.recall, 1.0 / 2));
    QVERIFY(near(s.micro14.f1, 2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5)));
    const auto& card = s.perObservation[observationIndex("cardiomegaly")];
    QCOMPARE(card.tp, 1);
    QCOMPARE(card.tn, 2);
    QVERIFY(near(card.f1, 1.0));
    QVERIFY(near(s.macroF1_14, 1.0 / 14));  // only cardiomegaly has F1 > 0
    QVERIFY(near(s.macroF1_5, 1.0 / 5));
    // Common five pooled: cardiomegaly tp, edema fp, atelectasis fp, effusion fn (same as all 14 here).
    QVERIFY(near(s.micro5.f1, s.micro14.f1));
  }

  void perfectAgreementIsOne() {
    std::vector<ObservationStates> a = {states({{"edema", P}}), states({{"fracture", P}, {"pneumonia", P}})};
    ClinicalScores s = clinicalEfficacy(a, a);
    QVERIFY(near(s.exampleBased.f1, 1.0));
    QVERIFY(near(s.micro14.f1, 1.0));
  }

  void sizeMismatchAndEmptyInput() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, clinicalEfficacy({states({})}, {}));
    ClinicalScores s = clinicalEfficacy({}, {});
    QCOMPARE(s.reports, size_t(0));
    QCOMPARE(s.micro14.f1, 0.0);
  }
};

QTEST_APPLESS_MAIN(TestClinicalMetrics)
#include "tst_clinical_metrics.moc"
