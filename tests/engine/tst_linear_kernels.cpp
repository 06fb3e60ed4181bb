// Tests of the decoder's kernels (engine/infer/linear_kernels.h) against plain double-precision loops: the
// panel-packed matrix products for every remainder of rows and columns, several input rows and sub-ranges, in
// float32 and half storage; the per-head attention; and the weight arena's alignment and bounds.
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/core/safetensors.h"
#include "engine/infer/linear_kernels.h"
#include "engine/infer/weight_arena.h"

using namespace fedmrg::engine;

namespace {

std::vector<float> randomValues(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

double maxAbs(const std::vector<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, double(std::fabs(x)));
  return m;
}

}  // namespace

class TestLinearKernels : public QObject {
  Q_OBJECT
 private slots:
  void packedMatchesRowMajor_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("nx");
    QTest::addColumn<bool>("half");
    for (bool half : {false, true}) {
      const char* p = half ? "f16" : "f32";
      QTest::addRow("%s panel-aligned 16x64, 1 row", p) << 16 << 64 << 1 << half;
      QTest::addRow("%s rows 13 (padded panel), k 44 (column tail)", p) << 13 << 44 << 1 << half;
      QTest::addRow("%s k 5 (less than one group)", p) << 9 << 5 << 2 << half;
      QTest::addRow("%s 3 input rows (beams)", p) << 24 << 40 << 3 << half;
      QTest::addRow("%s 7 input rows (prefill)", p) << 53 << 32 << 7 << half;
      QTest::addRow("%s 3 rows, k 5 (blocked path, tail only)", p) << 11 << 5 << 3 << half;
      QTest::addRow("%s 4 rows, rows 13, k 44 (blocked path, both tails)", p) << 13 << 44 << 4 << half;
    }
  }
  void packedMatchesRowMajor() {
    QFETCH(int, rows);
    QFETCH(int, k);
    QFETCH(int, nx);
    QFETCH(bool, half);
    const auto W = randomValues(size_t(rows) * size_t(k), 1);
    const auto X = randomValues(size_t(nx) * size_t(k), 2);
    // The row-major values the packed form holds (rounded to half when stored as half).
    std::vector<float> Wq = W;
    if (half)
      for (float& w : Wq) w = halfToFloat(floatToHalf(w));
    const int ldy = rows + 3;  // a wider output stride than the matrix: nothing beyond `rows` may be written
    std::vector<float> Y(size_t(nx) * size_t(ldy), 1234.5f);
    if (half) {
      std::vector<uint16_t> P(packedSize(rows, k));
      packRows(W.data(), rows, k, P.data());
      linearPacked(P.data(), rows, k, X.data(), k, nx, Y.data(), ldy, 0, rows);
    } else {
      std::vector<float> P(packedSize(rows, k));
      packRows(W.data(), rows, k, P.data());
      linearPacked(P.data(), rows, k, X.data(), k, nx, Y.data(), ldy, 0, rows);
    }
    for (int r = 0; r < nx; ++r) {
      for (int i = 0; i < rows; ++i) {
        double ref = 0;
        for (int j = 0; j < k; ++j) ref += double(Wq[size_t(i) * size_t(k) + size_t(j)]) * X[size_t(r) * size_t(k) + size_t(j)];
        const float got = Y[size_t(r) * size_t(ldy) + size_t(i)];
        QVERIFY2(std::fabs(got - ref) <= 1e-4 * (1.0 + std::fabs(ref)),
                 qPrintable(QString("row %1 out %2: %3 vs %4").arg(r).arg(i).arg(got).arg(ref)));
      }
      for (int i = rows; i < ldy; ++i) QCOMPARE(Y[size_t(r) * size_t(ldy) + size_t(i)], 1234.5f);
    }
  }

  void packedSubrangeWritesOnlyItsRows() {
    const int rows = 37, k = 24;
    const auto W = randomValues(size_t(rows) * size_t(k), 3);
    const auto x = randomValues(size_t(k), 4);
    std::vector<float> P(packedSize(rows, k));
    packRows(W.data(), rows, k, P.data());
    std::vector<float> full(rows), parts(rows, -7.0f);
    linearPacked(P.data(), rows, k, x.data(), k, 1, full.data(), rows, 0, rows);
    // The thread pool hands out panel-aligned ranges; the last one may end past `rows`.
    linearPacked(P.data(), rows, k, x.data(), k, 1, parts.data(), rows, 8, 24);
    for (int i = 0; i < rows; ++i) {
      if (i >= 8 && i < 24) {
        QCOMPARE(parts[size_t(i)], full[size_t(i)]);
      } else {
        QCOMPARE(parts[size_t(i)], -7.0f);
      }
    }
    linearPacked(P.data(), rows, k, x.data(), k, 1, parts.data(), rows, 32, 40);
    for (int i = 32; i < rows; ++i) QCOMPARE(parts[size_t(i)], full[size_t(i)]);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             linearPacked(P.data(), rows, k, x.data(), k, 1, parts.data(), rows, 3, 8));
  }

  void packedLayoutPadsWithZeros() {
    const int rows = 3, k = 10;
    std::vector<float> W(size_t(rows) * size_t(k));
    for (size_t i = 0; i < W.size(); ++i) W[i] = float(i + 1);
    QCOMPARE(packedSize(rows, k), size_t(kPanelRows) * 16);
    std::vector<float> P(packedSize(rows, k), -1.0f);
    packRows(W.data(), rows, k, P.data());
    // Group 0, panel row 1 holds W[1][0..8); group 1, panel row 0 holds W[0][8..10) then zeros.
    QCOMPARE(P[8], W[10]);
    QCOMPARE(P[size_t(kPanelRows) * 8], W[8]);
    QCOMPARE(P[size_t(kPanelRows) * 8 + 1], W[9]);
    QCOMPARE(P[size_t(kPanelRows) * 8 + 2], 0.0f);
    QCOMPARE(P[3 * 8], 0.0f);  // panel row 3 is padding
    double sum = 0;
    for (float p : P) sum += p;
    QCOMPARE(sum, 465.0);  // 1 + ... + 30: every value once, the rest zeros
  }

  void attendHeadMatchesSoftmax_data() {
    QTest::addColumn<int>("hd");
    QTest::addColumn<int>("len");
    QTest::newRow("head 64, 100 positions") << 64 << 100;
    QTest::newRow("head 8, 1 position") << 8 << 1;
    QTest::newRow("head 12 (tail), 17 positions") << 12 << 17;
    QTest::newRow("head 48, 33 positions") << 48 << 33;
  }
  void attendHeadMatchesSoftmax() {
    QFETCH(int, hd);
    QFETCH(int, len);
    const int stride = hd + 5;  // cached rows need not be packed
    const auto q = randomValues(size_t(hd), 5);
    const auto K = randomValues(size_t(len) * size_t(stride), 6);
    const auto V = randomValues(size_t(len) * size_t(stride), 7);
    const float scale = 1.0f / std::sqrt(float(hd));
    std::vector<float> scores(static_cast<size_t>(len)), out(static_cast<size_t>(hd), 99.0f);
    attendHead(q.data(), K.data(), V.data(), stride, len, hd, scale, scores.data(), out.data());
    std::vector<double> p(static_cast<size_t>(len));
    double mx = -1e300, sum = 0;
    for (int t = 0; t < len; ++t) {
      double s = 0;
      for (int j = 0; j < hd; ++j) s += double(q[size_t(j)]) * K[size_t(t) * size_t(stride) + size_t(j)];
      p[size_t(t)] = s * scale;
      mx = std::max(mx, p[size_t(t)]);
    }
    for (double& v : p) sum += (v = std::exp(v - mx));
    for (int j = 0; j < hd; ++j) {
      double ref = 0;
      for (int t = 0; t < len; ++t) ref += p[size_t(t)] / sum * V[size_t(t) * size_t(stride) + size_t(j)];
      QVERIFY2(std::fabs(out[size_t(j)] - ref) <= 1e-5 * (1.0 + maxAbs(V)),
               qPrintable(QString("dim %1: %2 vs %3").arg(j).arg(out[size_t(j)]).arg(ref)));
    }
  }

  void arenaAlignsAndRefusesOverflow() {
    WeightArena arena(1000);
    QVERIFY(arena.size() >= 1000);
    auto* a = static_cast<char*>(arena.take(10));
    auto* b = static_cast<char*>(arena.take(100));
    QCOMPARE(reinterpret_cast<uintptr_t>(a) % 64, uintptr_t(0));
    QCOMPARE(reinterpret_cast<uintptr_t>(b) % 64, uintptr_t(0));
    QCOMPARE(b - a, std::ptrdiff_t(64));
    std::fill(b, b + 100, char(1));  // the memory is writable
    QVERIFY_THROWS_EXCEPTION(std::length_error, arena.take(2000));
    WeightArena moved(std::move(arena));
    QCOMPARE(moved.used(), size_t(64 + 128));
    QCOMPARE(arena.size(), size_t(0));
  }
};

QTEST_APPLESS_MAIN(TestLinearKernels)
#include "tst_linear_kernels.moc"
