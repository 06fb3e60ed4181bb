// The shared basis: deterministic, orthonormal, linear projection, and a power iteration that
// converges on the consortium's mean change (reconstruction error falls as the rank grows).
#include <QtTest>

#include "codec_test_data.h"
#include "federation/lowrank_basis.h"

using namespace fedmrg::federation;
using namespace fedmrg::federation::testing;

namespace {

double maxOrthonormalityError(const Matrix& q) {
  double worst = 0;
  for (int64_t a = 0; a < q.cols; ++a)
    for (int64_t b = 0; b < q.cols; ++b) {
      double s = 0;
      for (int64_t i = 0; i < q.rows; ++i) s += double(q.at(i, a)) * q.at(i, b);
      worst = std::max(worst, std::fabs(s - (a == b ? 1.0 : 0.0)));
    }
  return worst;
}

// `rounds` warm-started rounds on one fixed change; returns the last round's relative error.
double errorAfterRounds(const Matrix& change, int rank, int rounds) {
  SharedBasis basis = initialBasis(change.rows, change.cols, rank, BasisSide::Right, 7, "w", 0);
  double error = 1;
  for (int r = 0; r < rounds; ++r) {
    const Matrix factor = projectOnBasis(change, basis);
    error = relativeError(expandFactor(factor, basis), change);
    basis = nextBasis(factor, basis, 100 + uint64_t(r));
  }
  return error;
}

}  // namespace

class TestLowRankBasis : public QObject {
  Q_OBJECT

 private slots:
  void seededBasisIsDeterministicAndOrthonormal() {
    const Matrix a = seededOrthonormalBasis(300, 6, 42, "layers.0.lora_A", 3);
    const Matrix b = seededOrthonormalBasis(300, 6, 42, "layers.0.lora_A", 3);
    QCOMPARE(a.values, b.values);
    QVERIFY(maxOrthonormalityError(a) < 1e-5);
    // Another tensor, epoch or seed gives another basis.
    QVERIFY(seededOrthonormalBasis(300, 6, 42, "layers.1.lora_A", 3).values != a.values);
    QVERIFY(seededOrthonormalBasis(300, 6, 42, "layers.0.lora_A", 4).values != a.values);
    QVERIFY(seededOrthonormalBasis(300, 6, 43, "layers.0.lora_A", 3).values != a.values);
  }

  void digestFollowsTheBasis() {
    SharedBasis a = initialBasis(40, 30, 4, BasisSide::Right, 1, "w", 0);
    SharedBasis b = a;
    QCOMPARE(a.digest(), b.digest());
    b.vectors.values[5] += 1e-7f;
    QVERIFY(a.digest() != b.digest());
    b = a;
    b.side = BasisSide::Left;
    QVERIFY(a.digest() != b.digest());
  }

  void rankDeficientInputStillGivesAFullBasis() {
    Matrix m(50, 4);
    for (int64_t i = 0; i < 50; ++i) {
      m.at(i, 0) = float(i);
      m.at(i, 1) = 2.0f * float(i);  // parallel to column 0
      // columns 2 and 3 stay zero
    }
    orthonormalizeColumns(m, 9);
    QVERIFY(maxOrthonormalityError(m) < 1e-5);
  }

  void badShapesAreRefusedWithTheReason() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, seededOrthonormalBasis(3, 4, 1, "tiny", 0));
    const SharedBasis basis = initialBasis(10, 20, 2, BasisSide::Right, 1, "w", 0);
    try {
      projectOnBasis(Matrix(10, 21), basis);
      QFAIL("a change of the wrong width was projected");
    } catch (const std::invalid_argument& e) {
      QVERIFY2(QString(e.what()).contains("10 x 21"), e.what());
    }
  }

  void projectionIsLinearAcrossSites() {
    // With one shared basis, the weighted mean of the factors is the factor of the weighted mean.
    for (BasisSide side : {BasisSide::Right, BasisSide::Left}) {
      const SharedBasis basis = initialBasis(64, 48, 4, side, 11, "w", 0);
      const Matrix a = randomMatrix(64, 48, 1), b = randomMatrix(64, 48, 2), c = randomMatrix(64, 48, 3);
      const double w[3] = {0.5, 0.3, 0.2};
      Matrix mean(64, 48);
      for (size_t i = 0; i < mean.values.size(); ++i)
        mean.values[i] = float(w[0] * a.values[i] + w[1] * b.values[i] + w[2] * c.values[i]);
      const Matrix fa = projectOnBasis(a, basis), fb = projectOnBasis(b, basis), fc = projectOnBasis(c, basis);
      Matrix meanOfFactors(fa.rows, fa.cols);
      for (size_t i = 0; i < fa.values.size(); ++i)
        meanOfFactors.values[i] = float(w[0] * fa.values[i] + w[1] * fb.values[i] + w[2] * fc.values[i]);
      QVERIFY(relativeError(meanOfFactors, projectOnBasis(mean, basis)) < 1e-5);
    }
  }

  void reconstructionErrorFallsAsRankGrows() {
    const Matrix change = decayingSpectrum(96, 64, 12, 5);
    double previous = 2;
    for (int rank : {1, 2, 4, 8}) {
      const double error = errorAfterRounds(change, rank, 6);
      qInfo("rank %d: relative error %.4f", rank, error);
      QVERIFY2(error < previous, qPrintable(QString("rank %1 error %2 is not below %3").arg(rank).arg(error).arg(previous)));
      previous = error;
    }
    // Singular values halve per term: rank 8 leaves about 2^-8 of the norm.
    QVERIFY(previous < 0.02);
  }

  void warmStartBeatsAFreshRandomBasis() {
    const Matrix change = decayingSpectrum(96, 64, 12, 6);
    const SharedBasis fresh = initialBasis(96, 64, 2, BasisSide::Right, 7, "w", 0);
    const double random = relativeError(expandFactor(projectOnBasis(change, fresh), fresh), change);
    QVERIFY(errorAfterRounds(change, 2, 4) < 0.8 * random);
  }
};

QTEST_APPLESS_MAIN(TestLowRankBasis)
#include "tst_lowrank_basis.moc"
