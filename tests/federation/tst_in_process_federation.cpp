// InProcessFederation (the FL benchmark's transport): a dense round's global change is exactly the sample-weighted
// mean of the sites' changes; byte counts are whole serialized messages (at least the raw values, plus framing);
// the low-rank codec sends far fewer bytes than dense for a large matrix, and two federations fed the same changes
// end on the same digest; an upload with NaN is refused while the round goes on, and a round with no accepted
// upload throws. The same training through the coordinator service and FederatedSites on loopback gives the same
// broadcasts and global model bit for bit, whichever upload arrives first.
#include <QtTest>

#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include "coordinator/loopback_coordinator.h"
#include "federation/codec_random.h"
#include "federation/federated_site.h"
#include "federation/in_process_federation.h"
#include "federation/site_client.h"
#include "federation/site_tensors.h"

using fedmrg::federation::CodecPlan;
using fedmrg::federation::FederatedTensorSpec;
using fedmrg::federation::InProcessFederation;
using fedmrg::federation::Matrix;

namespace {

using Changes = std::vector<std::map<std::string, Matrix>>;

Matrix filled(int64_t rows, int64_t cols, float base) {
  Matrix m(rows, cols);
  for (size_t i = 0; i < m.values.size(); ++i) m.values[i] = base * float(1 + int(i % 7)) * 1e-3f;
  return m;
}

std::vector<FederatedTensorSpec> specs(int64_t n) { return {{"w", {n, n}}, {"b", {5}}}; }

Changes changes(int64_t n, float a, float b) {
  return {{{"w", filled(n, n, a)}, {"b", filled(1, 5, a)}}, {{"w", filled(n, n, b)}, {"b", filled(1, 5, b)}}};
}

CodecPlan densePlan() {
  CodecPlan p;
  p.lowRank = false;
  p.settings.zstd = false;  // raw fp32 bodies: the byte count must hold every value
  return p;
}

}  // namespace

class TestInProcessFederation : public QObject {
  Q_OBJECT
 private slots:
  void denseRoundIsTheWeightedMeanAndCountsWholeMessages() {
    InProcessFederation fed(specs(8), densePlan(), {}, {"site-a", "site-b"});
    const auto r = fed.round(changes(8, 1.0f, 5.0f), {1.0, 3.0});
    QVERIFY(r.refused.empty());
    QCOMPARE(fed.global().version(), uint64_t(1));
    const Matrix& w = fed.global().tensors().at("w");
    for (size_t i = 0; i < w.values.size(); ++i) {
      const float expected = (1.0f * filled(8, 8, 1.0f).values[i] + 3.0f * filled(8, 8, 5.0f).values[i]) / 4.0f;
      QVERIFY(std::fabs(w.values[i] - expected) < 1e-7f);
    }
    const uint64_t raw = (64 + 5) * 4;
    QCOMPARE(r.upBytes.size(), size_t(2));
    for (uint64_t b : r.upBytes) QVERIFY2(b > raw && b < raw + 1024, qPrintable(QString::number(b)));
    QVERIFY(r.broadcastBytes > raw && r.broadcastBytes < raw + 1024);
  }

  void lowRankSendsFewerBytesAndIsDeterministic() {
    CodecPlan lowRank;
    lowRank.lowRank = true;
    lowRank.settings.rank = 2;
    InProcessFederation a(specs(96), lowRank, {}, {"site-a", "site-b"});
    InProcessFederation b(specs(96), lowRank, {}, {"site-a", "site-b"});
    InProcessFederation dense(specs(96), densePlan(), {}, {"site-a", "site-b"});
    const auto ra = a.round(changes(96, 1.0f, 2.0f), {1.0, 1.0});
    b.round(changes(96, 1.0f, 2.0f), {1.0, 1.0});
    const auto rd = dense.round(changes(96, 1.0f, 2.0f), {1.0, 1.0});
    QCOMPARE(a.global().digestHex(), b.global().digestHex());
    QVERIFY2(ra.upBytes[0] * 10 < rd.upBytes[0],
             qPrintable(QString("low-rank %1, dense %2").arg(ra.upBytes[0]).arg(rd.upBytes[0])));
    QVERIFY(ra.broadcastBytes * 10 < rd.broadcastBytes);
  }

  void nanUploadIsRefusedAndAnEmptyRoundThrows() {
    InProcessFederation fed(specs(8), densePlan(), {}, {"site-a", "site-b"});
    Changes c = changes(8, 1.0f, 2.0f);
    c[1]["w"].values[3] = std::numeric_limits<float>::quiet_NaN();
    const auto r = fed.round(c, {1.0, 1.0});
    QCOMPARE(r.refused.size(), size_t(1));
    QVERIFY(r.refused.count("site-b"));
    QVERIFY(r.refused.at("site-b").find("NaN") != std::string::npos);
    // Only site-a's change made the global version.
    QCOMPARE(fed.global().tensors().at("w").values[0], filled(8, 8, 1.0f).values[0]);
    Changes bad = c;
    bad[0]["w"].values[0] = std::numeric_limits<float>::infinity();
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, fed.round(bad, {1.0, 1.0}));
  }

  // The same training through InProcessFederation and through the coordinator service with two FederatedSites on
  // loopback gives the same broadcast of every version and the same global model, bit for bit, whichever site's
  // upload arrives first: both ends seed their stochastic rounding by one rule (round_seeds.h: the consortium's
  // seed, the round, the site id; not the site's random idempotency key) and the aggregate is summed in site-id
  // order, not in order of arrival. This is what lets `bench fl` give the same digests on both transports.
  void matchesTheCoordinatorBitForBit_data() {
    QTest::addColumn<QString>("late");
    QTest::newRow("site-b uploads first") << "site-a";
    QTest::newRow("site-a uploads first") << "site-b";
  }
  void matchesTheCoordinatorBitForBit() {
    QFETCH(QString, late);
    const std::vector<FederatedTensorSpec> tensors{{"w", {48, 40}}, {"b", {40}}};
    CodecPlan plan;
    plan.lowRank = true;
    plan.settings.rank = 4;
    plan.seed = 9;
    const std::vector<std::string> ids{"site-a", "site-b"};
    const std::vector<double> samples{3, 5};
    const int rounds = 2;
    // What a site trains in a round: its own change on top of the global tensors (in the TrainResult convention).
    auto trained = [](const std::map<std::string, Matrix>& global, size_t site, uint64_t round) {
      std::map<std::string, Matrix> out = global;
      fedmrg::federation::CodecRandom rng(1000 * round + site);
      for (auto& [name, m] : out)
        for (auto& v : m.values) v += float(0.01 * rng.normal());
      return out;
    };

    InProcessFederation fed(tensors, plan, {}, ids);
    std::vector<std::string> want;
    for (int r = 1; r <= rounds; ++r) {
      Changes c;
      for (size_t s = 0; s < ids.size(); ++s)
        c.push_back(fedmrg::federation::changeSinceGlobal(trained(fed.global().tensors(), s, uint64_t(r)),
                                                          fed.global().tensors()));
      want.push_back(fedmrg::federation::toHex(fedmrg::federation::payloadDigest(fed.round(c, samples).broadcast)));
    }

    fedmrg::coordinator::RoundSettings settings;
    settings.strategy = fedmrg::federation::Strategy::FedMrg;
    settings.minSites = 2;
    settings.maxRounds = rounds;
    fedmrg::test::LoopbackCoordinator coordinator(tensors, settings, {}, plan);
    QVERIFY(coordinator.port() > 0);
    QTemporaryDir dir(qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath()) + "/parity-XXXXXX");
    std::mutex m;
    QStringList events;
    std::vector<std::unique_ptr<fedmrg::federation::FederatedSite>> sites;
    for (size_t s = 0; s < ids.size(); ++s) {
      fedmrg::federation::FederatedSiteOptions o;
      o.siteId = ids[s];
      o.stateFile = dir.filePath(QString::fromStdString(ids[s])).toStdString();
      o.pollMs = 50;
      o.onEvent = [&m, &events](const std::string& l) {
        std::lock_guard lock(m);
        events << QString::fromStdString(l);
      };
      const bool isLate = late.toStdString() == ids[s];
      sites.push_back(std::make_unique<fedmrg::federation::FederatedSite>(
          fedmrg::federation::grpcSiteTransport(coordinator.target(), grpc::InsecureChannelCredentials(), ids[s]),
          [&, s, isLate](const fedmrg::federation::TrainRequest& r) {
            if (isLate) std::this_thread::sleep_for(std::chrono::milliseconds(400));
            return fedmrg::federation::TrainResult{trained(*r.global, s, r.round), uint64_t(samples[s])};
          },
          o));
      sites.back()->start();
    }
    for (auto& site : sites) {
      QVERIFY(site->wait(60000));
      QVERIFY2(site->error().empty(), site->error().c_str());
      QCOMPARE(site->modelDigest(), fed.global().digestHex());
    }
    QCOMPARE(coordinator.status().model_digest(), fed.global().digestHex());
    std::lock_guard lock(m);
    for (int r = 1; r <= rounds; ++r)
      QCOMPARE(events.filter(QString("event=applied version=%1 ").arg(r))
                   .first()
                   .section("digest=", 1, 1)
                   .section(' ', 0, 0),
               QString::fromStdString(want[size_t(r - 1)]));
  }
};

QTEST_GUILESS_MAIN(TestInProcessFederation)
#include "tst_in_process_federation.moc"
