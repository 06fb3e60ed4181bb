// Aggregation of a round: the weighted mean (also on encoded factors: linearity end to end), every
// refusal with its reason while the round goes on, the norm bounds and robust rules against a scaled
// and a sign-flipped update, and central DP's clipping, noise and epsilon; the streaming and block-wise
// aggregation against the batch reference (every update held, as the aggregator did before); the mean is the
// same bit for bit whatever the order the uploads arrive in.
#include <QtTest>

#include <algorithm>
#include <cstring>
#include <set>
#include <tuple>

#include "federation/codec_random.h"

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

// The batch reference: every update held in memory, double sums, each rule over whole columns (the
// aggregator's previous implementation). Returns the aggregate and the accepted sites.
std::pair<SiteUpdate, std::set<std::string>> batchAggregate(
    const std::map<std::string, std::pair<int64_t, int64_t>>& shapes,
    const std::vector<std::tuple<std::string, SiteUpdate, double>>& in, const AggregationSettings& s) {
  struct Kept {
    std::string site;
    SiteUpdate u;
    double weight, norm;
  };
  std::vector<Kept> kept;
  std::vector<double> norms;
  for (const auto& [site, u, samples] : in) {
    const double norm = RoundAggregator::updateNorm(u);
    if (s.fixedNormBound > 0 && norm > s.fixedNormBound) continue;
    SiteUpdate c = u;
    if (s.dpClipNorm > 0 && norm > s.dpClipNorm)
      for (auto& [name, m] : c)
        for (auto& v : m.values) v *= float(s.dpClipNorm / norm);
    kept.push_back({site, c, s.dpClipNorm > 0 ? 1.0 : samples, norm});
    norms.push_back(norm);
  }
  if (s.adaptiveNormMultiple > 0) {
    std::vector<double> sorted = norms;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    const double bound = s.adaptiveNormMultiple * (n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]));
    kept.erase(std::remove_if(kept.begin(), kept.end(), [&](const Kept& k) { return k.norm > bound; }), kept.end());
  }
  SiteUpdate out;
  const size_t n = kept.size();
  const size_t trim = s.rule == AggregationRule::TrimmedMean
                          ? std::min(size_t(std::floor(s.trimFraction * double(n))), (n - 1) / 2)
                          : 0;
  double total = 0;
  for (const auto& k : kept) total += k.weight;
  for (const auto& [name, shape] : shapes) {
    Matrix m(shape.first, shape.second);
    for (size_t i = 0; i < m.values.size(); ++i) {
      std::vector<double> column;
      double sum = 0;
      for (const auto& k : kept) {
        column.push_back(k.u.at(name).values[i]);
        sum += k.weight * k.u.at(name).values[i];
      }
      std::sort(column.begin(), column.end());
      if (s.rule == AggregationRule::WeightedMean) {
        m.values[i] = float(sum / total);
      } else if (s.rule == AggregationRule::CoordinateMedian) {
        m.values[i] = float(n % 2 ? column[n / 2] : 0.5 * (column[n / 2 - 1] + column[n / 2]));
      } else {
        double t = 0;
        for (size_t j = trim; j < n - trim; ++j) t += column[j];
        m.values[i] = float(t / double(n - 2 * trim));
      }
    }
    out[name] = std::move(m);
  }
  if (s.dpClipNorm > 0 && s.dpNoiseMultiplier > 0 && n > 0) {
    CodecRandom rng(s.dpSeed);
    for (auto& [name, m] : out)
      for (auto& v : m.values) v += float(s.dpNoiseMultiplier * s.dpClipNorm / double(n) * rng.normal());
  }
  std::set<std::string> sites;
  for (const auto& k : kept) sites.insert(k.site);
  return {out, sites};
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
  // The streaming mean (fp32 running sums) and the block-wise robust rules against the batch reference, on
  // 9 sites with different sample counts, a ×100-scaled and a sign-flipped one: the same sites accepted; the
  // median and the trimmed mean bitwise equal, also with blocks of a few coordinates that cut across
  // tensors; the mean (also under DP, with the same seed) within 1e-6 of the largest value (fp32 sums).
  void streamingEqualsTheBatchReference_data() {
    QTest::addColumn<int>("rule");
    QTest::addColumn<double>("fixedBound");
    QTest::addColumn<double>("adaptive");
    QTest::addColumn<double>("dpClip");
    QTest::addColumn<double>("dpNoise");
    QTest::addColumn<quint64>("blockBytes");
    const int mean = int(AggregationRule::WeightedMean), med = int(AggregationRule::CoordinateMedian),
              trimmed = int(AggregationRule::TrimmedMean);
    QTest::newRow("mean") << mean << 0.0 << 0.0 << 0.0 << 0.0 << quint64(0);
    QTest::newRow("median") << med << 0.0 << 0.0 << 0.0 << 0.0 << quint64(0);
    QTest::newRow("median, blocks of 3") << med << 0.0 << 0.0 << 0.0 << 0.0 << quint64(3 * 4 * 9);
    QTest::newRow("trimmed mean") << trimmed << 0.0 << 0.0 << 0.0 << 0.0 << quint64(0);
    QTest::newRow("trimmed mean, blocks of 7") << trimmed << 0.0 << 0.0 << 0.0 << 0.0 << quint64(7 * 4 * 9);
    QTest::newRow("fixed bound, mean") << mean << 30.0 << 0.0 << 0.0 << 0.0 << quint64(0);
    QTest::newRow("fixed bound, median") << med << 30.0 << 0.0 << 0.0 << 0.0 << quint64(5 * 4 * 8);
    QTest::newRow("adaptive bound, mean") << mean << 0.0 << 3.0 << 0.0 << 0.0 << quint64(0);
    QTest::newRow("adaptive bound, trimmed mean") << trimmed << 0.0 << 3.0 << 0.0 << 0.0 << quint64(11 * 4 * 8);
    QTest::newRow("dp, mean") << mean << 0.0 << 0.0 << 2.0 << 0.8 << quint64(0);
    QTest::newRow("dp, median") << med << 0.0 << 0.0 << 2.0 << 0.8 << quint64(2 * 4 * 9);
  }
  void streamingEqualsTheBatchReference() {
    QFETCH(int, rule);
    QFETCH(double, fixedBound);
    QFETCH(double, adaptive);
    QFETCH(double, dpClip);
    QFETCH(double, dpNoise);
    QFETCH(quint64, blockBytes);
    AggregationSettings s;
    s.rule = AggregationRule(rule);
    s.trimFraction = 0.2;
    s.fixedNormBound = fixedBound;
    s.adaptiveNormMultiple = adaptive;
    s.dpClipNorm = dpClip;
    s.dpNoiseMultiplier = dpNoise;
    s.dpSeed = 42;
    s.robustBlockBytes = blockBytes;
    std::vector<std::tuple<std::string, SiteUpdate, double>> in;
    for (uint32_t i = 0; i < 7; ++i) in.emplace_back("s" + std::to_string(i), honest(10 * i + 1), 3 + 5 * i);
    in.emplace_back("scaled", honest(91, 100.0f), 20);
    in.emplace_back("flipped", honest(93, -1.0f), 20);
    RoundAggregator agg(kShapes, s);
    for (const auto& [site, u, samples] : in) agg.add(site, u, samples);
    const AggregationResult got = agg.finish();
    const auto [want, wantSites] = batchAggregate(kShapes, in, s);
    std::set<std::string> gotSites;
    for (const auto& [site, u, samples] : in)
      if (!got.refused.count(site)) gotSites.insert(site);
    QCOMPARE(gotSites, wantSites);
    QCOMPARE(got.accepted, int(wantSites.size()));
    double largest = 0, worst = 0;
    for (const auto& [name, m] : want)
      for (size_t i = 0; i < m.values.size(); ++i) {
        largest = std::max(largest, double(std::fabs(m.values[i])));
        worst = std::max(worst, double(std::fabs(m.values[i] - got.aggregate.at(name).values[i])));
      }
    if (s.rule == AggregationRule::WeightedMean) {
      QVERIFY2(worst <= 1e-6 * largest, qPrintable(QString("%1 against %2").arg(worst).arg(largest)));
    } else {
      for (const auto& [name, m] : want)
        QVERIFY2(std::memcmp(m.values.data(), got.aggregate.at(name).values.data(), m.values.size() * 4) == 0,
                 name.c_str());
    }
  }

  // The weighted mean does not depend on the order the uploads arrive in: it is summed in site-id order, so the
  // same uploads give the same aggregate bit for bit (fp32 sums in arrival order differ in the last bits).
  void theMeanDoesNotDependOnArrivalOrder() {
    std::vector<std::tuple<std::string, SiteUpdate, double>> in;
    for (uint32_t i = 0; i < 9; ++i)
      in.emplace_back("s" + std::to_string(i), honest(10 * i + 1, 1.0f + float(i)), 3 + 7 * i);
    RoundAggregator forward(kShapes, {}), backward(kShapes, {});
    for (const auto& [site, u, samples] : in) QVERIFY(forward.add(site, u, samples).empty());
    for (auto it = in.rbegin(); it != in.rend(); ++it)
      QVERIFY(backward.add(std::get<0>(*it), std::get<1>(*it), std::get<2>(*it)).empty());
    const AggregationResult f = forward.finish(), b = backward.finish();
    for (const auto& [name, m] : f.aggregate)
      QVERIFY2(std::memcmp(m.values.data(), b.aggregate.at(name).values.data(), m.values.size() * 4) == 0,
               name.c_str());
  }

  // A source that fails when read again (a spilled file damaged after the upload was checked) stops finish()
  // with its reason instead of aggregating garbage; one that fails at once is refused with its reason.
  void anUnreadableSourceIsNamed() {
    struct Failing : UpdateSource {
      mutable int reads = 0;
      int failAfter;
      explicit Failing(int n) : failAfter(n) {}
      std::vector<std::string> names() const override { return {"a", "b"}; }
      Matrix tensor(const std::string& name) const override {
        if (++reads > failAfter) throw std::runtime_error("upload.payload does not match its digest");
        return honest(1).at(name);
      }
    };
    AggregationSettings s;
    s.rule = AggregationRule::CoordinateMedian;
    RoundAggregator agg(kShapes, s);
    QVERIFY(QString::fromStdString(agg.add("now", std::make_shared<Failing>(0), 1)).contains("does not match"));
    QVERIFY(agg.add("later", std::make_shared<Failing>(2), 1).empty());
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, agg.finish());
  }
};

QTEST_APPLESS_MAIN(TestRoundAggregator)
#include "tst_round_aggregator.moc"
