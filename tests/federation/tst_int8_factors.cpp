// Int8 factors: the round-trip error stays below one scale step, and stochastic rounding is unbiased.
#include <QtTest>

#include "codec_test_data.h"
#include "federation/int8_factors.h"

using namespace fedmrg::federation;
using namespace fedmrg::federation::testing;

class TestInt8Factors : public QObject {
  Q_OBJECT

 private slots:
  void roundTripErrorIsBelowOneStep() {
    for (bool perRow : {false, true}) {
      Matrix f = randomMatrix(40, 6, 3);
      // Columns (or rows) of very different energy: one scale each keeps the small ones precise.
      for (int64_t r = 0; r < f.rows; ++r)
        for (int64_t c = 0; c < f.cols; ++c) f.at(r, c) *= std::ldexp(1.0f, -int(perRow ? r % 6 : c) * 3);
      const Int8Factor q = quantizeStochastic(f, perRow, 17);
      QCOMPARE(q.scales.size(), size_t(perRow ? 40 : 6));
      const Matrix back = dequantize(q);
      for (int64_t r = 0; r < f.rows; ++r)
        for (int64_t c = 0; c < f.cols; ++c) {
          const float step = q.scaleOf(r, c);
          QVERIFY(std::fabs(back.at(r, c) - f.at(r, c)) < step * 1.0001f);
          // Each step is 1/127 of its own column's (row's) largest magnitude.
          QVERIFY(step <= 1.0001f * std::fabs(f.at(r, c)) * 127.0f || std::fabs(f.at(r, c)) < step);
        }
    }
  }

  void stochasticRoundingIsUnbiased() {
    Matrix f(1, 2);
    f.at(0, 0) = 1.0f;    // sets the scale: 1/127
    f.at(0, 1) = 0.003f;  // 0.381 of a step: nearest rounding would always give 0
    double sum = 0;
    const int trials = 4000;
    for (int s = 0; s < trials; ++s) sum += dequantize(quantizeStochastic(f, false, uint64_t(s))).at(0, 1);
    QVERIFY2(std::fabs(sum / trials - 0.003) < 0.0003, qPrintable(QString::number(sum / trials)));
  }

  void zeroAndSameSeedAreStable() {
    const Matrix zero(5, 3);
    const Int8Factor q = quantizeStochastic(zero, false, 1);
    for (int8_t v : q.values) QCOMPARE(int(v), 0);
    const Matrix f = randomMatrix(8, 3, 4);
    QCOMPARE(quantizeStochastic(f, false, 99).values, quantizeStochastic(f, false, 99).values);
    QVERIFY(quantizeStochastic(f, false, 99).values != quantizeStochastic(f, false, 100).values);
  }
};

QTEST_APPLESS_MAIN(TestInt8Factors)
#include "tst_int8_factors.moc"
