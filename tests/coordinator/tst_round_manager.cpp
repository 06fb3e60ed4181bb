// The round state machine without a network: robust rules against a sign-flipped site, a round that fails at
// its deadline with too few sites and the next one that opens, early close at the configured fraction, and the
// refusals of uploads that do not belong to the open round.
#include <QtTest>

#include <cmath>

#include "coordinator/round_manager.h"
#include "fedmrg/federation/v1/federation.pb.h"

using namespace fedmrg;
using namespace fedmrg::coordinator;
namespace v1 = federation::v1;

namespace {

std::vector<federation::FederatedTensorSpec> specs() { return {{"w", {4, 8}}, {"b", {8}}}; }

struct Harness {
  int64_t now = 1000;
  QStringList log;
  QTemporaryDir dir;
  std::unique_ptr<RoundManager> rounds;

  explicit Harness(RoundSettings s) {
    rounds = std::make_unique<RoundManager>(
        openMemoryState(), dir.path().toStdString(), specs(), federation::CodecPlan{}, s, [this] { return now; },
        [this](const std::string& l) { log << QString::fromStdString(l); });
  }

  // A dense upload whose every value is `value` (plus a small per-site wobble).
  UploadAck upload(const std::string& site, uint64_t round, float value, const std::string& key) {
    federation::GlobalModel m(specs(), federation::CodecPlan{});
    std::map<std::string, federation::Matrix> change;
    for (const auto& [name, g] : m.tensors()) {
      federation::Matrix x(g.rows, g.cols);
      for (size_t i = 0; i < x.values.size(); ++i)
        x.values[i] = value * (1.0f + 0.01f * float(site.size() % 3) + 0.001f * float(i));
      change[name] = x;
    }
    federation::ErrorFeedback ef;
    federation::Payload p = m.encodeChange(change, ef, 1);
    p.round = round;
    p.baseVersion = round - 1;  // every earlier round of these tests published a version
    p.sampleCount = 10;
    const auto d = federation::payloadDigest(p);
    UploadTrailerInfo t{std::string(reinterpret_cast<const char*>(d.data()), 32), 10, key};
    return rounds->upload(site, p, federation::toHex(d), t, 100);
  }

  // The mean value of version `v`'s broadcast change.
  double versionMean(uint64_t v) {
    federation::Payload p;
    if (!rounds->global("s1", v, p).ok()) return NAN;
    federation::GlobalModel m(specs(), federation::CodecPlan{});
    for (uint64_t i = 1; i < v; ++i) {
      federation::Payload q;
      rounds->global("s1", i, q);
      m.apply(q);
    }
    const federation::GlobalModel before = m;
    m.apply(p);
    double sum = 0;
    size_t n = 0;
    for (const auto& [name, t] : m.tensors())
      for (size_t i = 0; i < t.values.size(); ++i, ++n) sum += t.values[i] - before.tensors().at(name).values[i];
    return sum / double(n);
  }
};

RoundSettings settings(federation::AggregationRule rule, int minSites = 4) {
  RoundSettings s;
  s.strategy = federation::Strategy::FedAvg;
  s.minSites = minSites;
  s.deadlineMs = 10000;
  s.maxRounds = 5;
  s.aggregation.rule = rule;
  return s;
}

}  // namespace

class TestRoundManager : public QObject {
  Q_OBJECT

 private slots:
  void aSignFlippedSiteIsResistedByTheMedian_data() {
    QTest::addColumn<int>("rule");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    // Three honest sites move by +1, one hostile site by -3: the mean is pulled to about 0, the median is not.
    QTest::newRow("mean") << int(federation::AggregationRule::WeightedMean) << -0.2 << 0.2;
    QTest::newRow("median") << int(federation::AggregationRule::CoordinateMedian) << 0.9 << 1.2;
    QTest::newRow("trimmed-mean") << int(federation::AggregationRule::TrimmedMean) << 0.9 << 1.2;
  }
  void aSignFlippedSiteIsResistedByTheMedian() {
    QFETCH(int, rule);
    QFETCH(double, lo);
    QFETCH(double, hi);
    RoundSettings s = settings(federation::AggregationRule(rule));
    s.aggregation.trimFraction = 0.25;
    Harness h(s);
    for (const char* site : {"s1", "s2", "s3", "s4"}) QVERIFY(h.rounds->join(site, "").ok());
    QVERIFY(h.upload("s1", 1, 1e-3f, "k1").outcome.ok());
    QVERIFY(h.upload("s2", 1, 1e-3f, "k2").outcome.ok());
    QVERIFY(h.upload("s3", 1, 1e-3f, "k3").outcome.ok());
    QVERIFY(h.upload("s4", 1, -3e-3f, "k4").outcome.ok());  // the fourth closes the round
    const double mean = h.versionMean(1) / 1e-3;
    QVERIFY2(mean > lo && mean < hi, qPrintable(QString::number(mean)));
  }

  // A site that first asks after the last version was published gets DONE with what it needs to catch up:
  // the tensors, the codec and the final version to download.
  void doneCarriesTheModelToCatchUpWith() {
    RoundSettings s = settings(federation::AggregationRule::WeightedMean, 2);
    s.maxRounds = 1;
    Harness h(s);
    for (const char* site : {"s1", "s2", "late"}) QVERIFY(h.rounds->join(site, "").ok());
    QVERIFY(h.upload("s1", 1, 1e-3f, "k1").outcome.ok());
    QVERIFY(h.upload("s2", 1, 1e-3f, "k2").outcome.ok());
    h.now += 10001;  // the late site never uploads: the round closes at its deadline with the two
    h.rounds->tick();
    QVERIFY(h.rounds->done());
    v1::TaskReply t;
    QVERIFY(h.rounds->task("late", t).ok());
    QCOMPARE(t.kind(), v1::TaskReply::DONE);
    QCOMPARE(t.base_version(), uint64_t(1));
    QCOMPARE(t.base_digest().size(), size_t(64));
    QCOMPARE(t.tensors_size(), int(specs().size()));
    QVERIFY(t.has_codec());
  }

  void aRoundWithTooFewSitesFailsAtItsDeadlineAndTheNextOpens() {
    Harness h(settings(federation::AggregationRule::WeightedMean, 2));
    QVERIFY(h.rounds->join("s1", "").ok());
    v1::TaskReply t;
    QVERIFY(h.rounds->task("s1", t).ok());
    QCOMPARE(t.kind(), v1::TaskReply::WAIT);  // one site: no round yet
    QVERIFY(h.rounds->join("s2", "").ok());
    QVERIFY(h.rounds->task("s1", t).ok());
    QCOMPARE(t.kind(), v1::TaskReply::TRAIN);
    QCOMPARE(t.round(), uint64_t(1));
    QVERIFY(h.upload("s1", 1, 1e-3f, "a").outcome.ok());
    h.now += 10001;
    h.rounds->tick();
    v1::StatusReply st;
    h.rounds->status(st);
    QCOMPARE(st.phase(), std::string("failed"));
    QVERIFY(h.log.join("\n").contains("event=round_failed round=1"));
    h.rounds->tick();
    h.rounds->status(st);
    QCOMPARE(st.round(), uint64_t(2));
    QCOMPARE(st.phase(), std::string("open"));
    // An upload for the failed round is refused with its reason.
    const UploadAck late = h.upload("s2", 1, 1e-3f, "b");
    QCOMPARE(late.outcome.refusal, Refusal::FailedPrecondition);
    QVERIFY(late.outcome.reason.find("wrong round") != std::string::npos);
  }

  void theRoundClosesEarlyAtTheConfiguredFraction() {
    RoundSettings s = settings(federation::AggregationRule::WeightedMean, 1);
    s.fraction = 0.5;
    Harness h(s);
    for (const char* site : {"s1", "s2", "s3", "s4"}) QVERIFY(h.rounds->join(site, "").ok());
    QVERIFY(h.upload("s1", 1, 1e-3f, "a").outcome.ok());
    v1::StatusReply st;
    h.rounds->status(st);
    QCOMPARE(st.global_version(), uint64_t(0));
    QVERIFY(h.upload("s2", 1, 1e-3f, "b").outcome.ok());  // 2 of 4 joined: the fraction is met
    h.rounds->status(st);
    QCOMPARE(st.global_version(), uint64_t(1));
    QCOMPARE(st.round(), uint64_t(2));
    // A second upload in one round, and a duplicate key of another site, are refused.
    const UploadAck second = h.upload("s1", 2, 1e-3f, "c");
    QVERIFY2(second.outcome.ok(), second.outcome.reason.c_str());
    QCOMPARE(h.upload("s1", 2, 1e-3f, "d").outcome.refusal, Refusal::AlreadyExists);
    QCOMPARE(h.upload("s3", 2, 1e-3f, "c").outcome.refusal, Refusal::PermissionDenied);
    QCOMPARE(h.upload("nobody", 2, 1e-3f, "e").outcome.refusal, Refusal::PermissionDenied);
  }
};

QTEST_GUILESS_MAIN(TestRoundManager)
#include "tst_round_manager.moc"
