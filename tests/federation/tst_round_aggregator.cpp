// Aggregation of a round: the weighted mean (also on encoded factors: linearity end to end), every
// refusal with its reason while the round goes on, the norm bounds and robust rules against a scaled
// and a sign-flipped update, and central DP's clipping, noise and epsilon.
#include <QtTest>

#include "codec_test_data.h"
#include "federation/round_aggregator.h"
#include "federation/tensor_codec.h"

using namespace fedmrg::federation;
using namespace fedmrg::federation::testing;

namespace {

const std::map<std::string, std::pair<int64_t, int64_t>> kShapes = {{"a", {12, 8}}, {"b", {1, 5}}};

// The direction every honest site shares (no noise).
SiteUpdate commonDirection() { return {{"a", randomMatrix(12, 8, 1)}, {"b", randomMatrix(1, 5, 2)}}; }

SiteUpdate honest(uint32_t seed, float scale = 1.0f) {
  // Sites agree on a common direction plus their own noise.
  SiteUpdate u = commonDirection();
  const SiteUpdate noise{{"a", randomMatrix(12, 8, seed, 0.1f)}, {"b", randomMatrix(1, 5, seed + 1, 0.1f)}};
  for (auto& [name, m] : u)
    for (size_t i = 0; i < m.values.size(); ++i) m.values[i] = scale * (m.values[i] + noise.at(name).values[i]);
  return u;
}

double distance(const SiteUpdate& x, const SiteUpdate& y) {
  double s = 0;
  for (const auto& [name, m] : x) s += difference(m, y.at(name)).squaredNorm();
  return std::sqrt(s);
}

}  // namespace

class TestRoundAggregator : public QObject {
  Q_OBJECT

 private slots:
  void weightedMeanWeighsBySamples() {
    RoundAggregator agg(kShapes, {});
    const SiteUpdate u1 = honest(10), u2 = honest(20);
    QVERIFY(agg.add("s1", u1, 30).empty());
    QVERIFY(agg.add("s2", u2, 10).empty());
    const AggregationResult r = agg.finish();
    QCOMPARE(r.accepted, 2);
    QCOMPARE(r.totalWeight, 40.0);
    for (const auto& [name, m] : r.aggregate)
      for (size_t i = 0; i < m.values.size(); ++i)
        QVERIFY(std::fabs(m.values[i] - (0.75f * u1.at(name).values[i] + 0.25f * u2.at(name).values[i])) < 1e-5f);
  }

  void aggregatingEncodedFactorsEqualsEncodingTheAggregate() {
    // Three sites encode their changes on the shared basis (fp32 factors); the coordinator averages
    // the factors. Expanded, that is the projection of the mean change.
    const SharedBasis basis = initialBasis(64, 48, 4, BasisSide::Right, 3, "w", 0);
    CodecSettings settings;
    settings.int8Factors = false;
    RoundAggregator agg({{"w", {64, 4}}}, {});
    Matrix meanChange(64, 48);
    const double weights[3] = {5, 3, 2};
    for (int s = 0; s < 3; ++s) {
      const Matrix change = decayingSpectrum(64, 48, 6, 40 + uint32_t(s));
      for (size_t i = 0; i < change.values.size(); ++i) meanChange.values[i] += float(weights[s] / 10 * change.values[i]);
      const WireTensor t = encodeLowRank("w", change, basis, settings, 0);
      QVERIFY(agg.add("s" + std::to_string(s), {{"w", decodeFrame(t)}}, weights[s]).empty());
    }
    const Matrix aggregated = agg.finish().aggregate.at("w");
    QVERIFY(relativeError(expandFactor(aggregated, basis), expandFactor(projectOnBasis(meanChange, basis), basis)) < 1e-5);
  }

  void badUpdatesAreRefusedWithReasonsAndTheRoundGoesOn() {
    RoundAggregator agg(kShapes, {});
    SiteUpdate wrongName = honest(1);
    wrongName["c"] = Matrix(1, 1);
    SiteUpdate wrongShape = honest(2);
    wrongShape["a"] = Matrix(12, 9);
    SiteUpdate nan = honest(3);
    nan["b"].values[2] = std::nanf("");
    SiteUpdate missing = honest(4);
    missing.erase("b");
    QVERIFY(QString::fromStdString(agg.add("x1", wrongName, 5)).contains("'c' is not federated"));
    QVERIFY(QString::fromStdString(agg.add("x2", wrongShape, 5)).contains("12 x 9, expected 12 x 8"));
    QVERIFY(QString::fromStdString(agg.add("x3", nan, 5)).contains("NaN"));
    QVERIFY(QString::fromStdString(agg.add("x4", missing, 5)).contains("'b' is missing"));
    QVERIFY(QString::fromStdString(agg.add("x5", honest(5), 0)).contains("sample count"));
    QVERIFY(agg.add("ok", honest(6), 5).empty());
    QVERIFY(QString::fromStdString(agg.add("ok", honest(7), 5)).contains("already sent"));
    const AggregationResult r = agg.finish();
    QCOMPARE(r.accepted, 1);
    QCOMPARE(r.refused.size(), size_t(5));
    QVERIFY(distance(r.aggregate, honest(6)) < 1e-6);
  }

  void fixedBoundRefusesAScaledUpdate() {
    AggregationSettings s;
    s.fixedNormBound = 3 * RoundAggregator::updateNorm(honest(1));
    RoundAggregator agg(kShapes, s);
    QVERIFY(agg.add("s1", honest(1), 1).empty());
    const std::string why = agg.add("evil", honest(2, 100.0f), 1);
    QVERIFY2(QString::fromStdString(why).contains("above the bound"), why.c_str());
    QCOMPARE(agg.finish().accepted, 1);
  }

  void adaptiveBoundRefusesAScaledUpdate() {
    AggregationSettings s;
    s.adaptiveNormMultiple = 3;
    RoundAggregator agg(kShapes, s);
    for (uint32_t i = 0; i < 4; ++i) QVERIFY(agg.add("s" + std::to_string(i), honest(10 * i + 1), 10).empty());
    QVERIFY(agg.add("evil", honest(99, 100.0f), 10).empty());  // decided once every norm is known
    const AggregationResult r = agg.finish();
    QCOMPARE(r.accepted, 4);
    QVERIFY(QString::fromStdString(r.refused.at("evil")).contains("median norm"));
    QVERIFY(distance(r.aggregate, commonDirection()) < 0.2 * RoundAggregator::updateNorm(commonDirection()));
  }

  void robustRulesResistASignFlippedUpdate() {
    // A sign flip keeps the norm, so only the rule can stop it: the plain mean is pulled towards
    // zero by the flipped site, the median and the trimmed mean are not.
    auto run = [](AggregationRule rule) {
      AggregationSettings s;
      s.rule = rule;
      s.trimFraction = 0.2;
      RoundAggregator agg(kShapes, s);
      for (uint32_t i = 0; i < 4; ++i) agg.add("s" + std::to_string(i), honest(10 * i + 1), 10);
      agg.add("flipped", honest(77, -1.0f), 10);
      return distance(agg.finish().aggregate, commonDirection());
    };
    const double mean = run(AggregationRule::WeightedMean);
    const double medianRule = run(AggregationRule::CoordinateMedian);
    const double trimmed = run(AggregationRule::TrimmedMean);
    qInfo("distance to the honest direction: mean %.3f, median %.3f, trimmed mean %.3f", mean, medianRule, trimmed);
    QVERIFY(medianRule < 0.3 * mean);
    QVERIFY(trimmed < 0.3 * mean);
  }

  void centralDpClipsAddsNoiseAndReportsEpsilon() {
    AggregationSettings s;
    s.dpClipNorm = 1.0;
    s.dpNoiseMultiplier = 1.1;
    s.dpSeed = 5;
    RoundAggregator agg({{"w", {200, 50}}}, s);
    for (uint32_t i = 0; i < 10; ++i) agg.add("s" + std::to_string(i), {{"w", Matrix(200, 50)}}, 1 + i);
    const AggregationResult r = agg.finish();
    QVERIFY(r.dpEpsilon.has_value());
    QVERIFY(std::fabs(*r.dpEpsilon - std::sqrt(2 * std::log(1.25 / 1e-5)) / 1.1) < 1e-9);
    // All updates were zero: what is left is the noise, sd = 1.1 * 1.0 / 10.
    const double sd = std::sqrt(r.aggregate.at("w").squaredNorm() / 10000);
    QVERIFY2(std::fabs(sd - 0.11) < 0.005, qPrintable(QString::number(sd)));

    AggregationSettings clipOnly;
    clipOnly.dpClipNorm = 1.0;
    RoundAggregator clipping(kShapes, clipOnly);
    clipping.add("big", honest(3, 50.0f), 100);
    QVERIFY(std::fabs(RoundAggregator::updateNorm(clipping.finish().aggregate) - 1.0) < 1e-4);
  }
};

QTEST_APPLESS_MAIN(TestRoundAggregator)
#include "tst_round_aggregator.moc"
