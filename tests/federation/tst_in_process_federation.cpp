// InProcessFederation (the FL benchmark's transport): a dense round's global change is exactly the sample-weighted
// mean of the sites' changes; byte counts are whole serialized messages (at least the raw values, plus framing);
// the low-rank codec sends far fewer bytes than dense for a large matrix, and two federations fed the same changes
// end on the same digest; an upload with NaN is refused while the round goes on, and a round with no accepted
// upload throws.
#include <QtTest>

#include <cmath>
#include <limits>

#include "federation/in_process_federation.h"

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
    const auto r = fed.round(changes(8, 1.0f, 5.0f), {1.0, 3.0}, 7);
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
    const auto ra = a.round(changes(96, 1.0f, 2.0f), {1.0, 1.0}, 11);
    b.round(changes(96, 1.0f, 2.0f), {1.0, 1.0}, 11);
    const auto rd = dense.round(changes(96, 1.0f, 2.0f), {1.0, 1.0}, 11);
    QCOMPARE(a.global().digestHex(), b.global().digestHex());
    QVERIFY2(ra.upBytes[0] * 10 < rd.upBytes[0],
             qPrintable(QString("low-rank %1, dense %2").arg(ra.upBytes[0]).arg(rd.upBytes[0])));
    QVERIFY(ra.broadcastBytes * 10 < rd.broadcastBytes);
  }

  void nanUploadIsRefusedAndAnEmptyRoundThrows() {
    InProcessFederation fed(specs(8), densePlan(), {}, {"site-a", "site-b"});
    Changes c = changes(8, 1.0f, 2.0f);
    c[1]["w"].values[3] = std::numeric_limits<float>::quiet_NaN();
    const auto r = fed.round(c, {1.0, 1.0}, 3);
    QCOMPARE(r.refused.size(), size_t(1));
    QVERIFY(r.refused.count("site-b"));
    QVERIFY(r.refused.at("site-b").find("NaN") != std::string::npos);
    // Only site-a's change made the global version.
    QCOMPARE(fed.global().tensors().at("w").values[0], filled(8, 8, 1.0f).values[0]);
    Changes bad = c;
    bad[0]["w"].values[0] = std::numeric_limits<float>::infinity();
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, fed.round(bad, {1.0, 1.0}, 4));
  }
};

QTEST_GUILESS_MAIN(TestInProcessFederation)
#include "tst_in_process_federation.moc"
