// Error feedback: the sum of what was sent tracks the sum of the true changes; a refused upload
// gives its change back; the persisted state reads back, and damaged state is refused with a reason.
#include <QtTest>

#include "codec_test_data.h"
#include "federation/error_feedback.h"
#include "federation/tensor_codec.h"

using namespace fedmrg::federation;
using namespace fedmrg::federation::testing;

namespace {

// Sends `rounds` random changes through the int8 rank-2 codec; returns |Σ true - Σ sent| / |Σ true|.
double driftAfterRounds(int rounds, bool withFeedback) {
  CodecSettings settings;
  settings.rank = 2;
  ErrorFeedback feedback;
  SharedBasis basis = initialBasis(48, 32, 2, BasisSide::Right, 3, "w", 0);
  Matrix sumTrue(48, 32), sumSent(48, 32);
  for (int r = 0; r < rounds; ++r) {
    const Matrix change = randomMatrix(48, 32, 1000 + uint32_t(r), 0.01f);
    const Matrix input = withFeedback ? feedback.withResidual("w", change) : change;
    Matrix sent;
    const WireTensor t = encodeLowRank("w", input, basis, settings, uint64_t(r), &sent);
    feedback.stage("w", input, sent);
    feedback.commit();
    for (size_t i = 0; i < change.values.size(); ++i) {
      sumTrue.values[i] += change.values[i];
      sumSent.values[i] += sent.values[i];
    }
    basis = nextBasis(decodeFrame(t), basis, uint64_t(r));
  }
  return relativeError(sumSent, sumTrue);
}

}  // namespace

class TestErrorFeedback : public QObject {
  Q_OBJECT

 private slots:
  void sentSumTracksTrueSum() {
    const double with = driftAfterRounds(200, true);
    const double without = driftAfterRounds(200, false);
    qInfo("after 200 rounds at rank 2 of 32: drift %.3f with error feedback, %.3f without", with, without);
    // Without feedback, rank 2 of 32 carries a small share of each random change, so the sums part.
    QVERIFY(without > 0.8);
    // With feedback the gap is one round's residual, not the sum of two hundred.
    QVERIFY2(with < 0.5 * without, qPrintable(QString::number(with)));
  }

  void refusedUploadGivesTheChangeBack() {
    ErrorFeedback feedback;
    const Matrix change = randomMatrix(10, 8, 1);
    Matrix sent = change;
    for (auto& v : sent.values) v *= 0.25f;
    feedback.stage("w", change, sent);
    QVERIFY(feedback.hasStaged());
    QVERIFY(feedback.residual("w") == nullptr);  // nothing counts until the coordinator answers
    feedback.rollback();
    QCOMPARE(feedback.residual("w")->values, change.values);
    // Next round the refused change is sent along with the new one.
    const Matrix next = feedback.withResidual("w", change);
    QCOMPARE(next.values[3], 2 * change.values[3]);

    feedback.stage("w", next, sent);
    feedback.commit();
    QCOMPARE(feedback.residual("w")->values[3], next.values[3] - sent.values[3]);
  }

  void stateSurvivesARestart() {
    ErrorFeedback feedback;
    const Matrix a = randomMatrix(6, 5, 2), b = randomMatrix(3, 9, 3);
    feedback.stage("a", a, Matrix(6, 5));
    feedback.stage("b", b, Matrix(3, 9));
    feedback.commit();
    const ErrorFeedback back = ErrorFeedback::parse(feedback.serialize(), "site.db");
    QCOMPARE(back.residual("a")->values, a.values);
    QCOMPARE(back.residual("b")->cols, int64_t(9));
    QCOMPARE(back.squaredNorm(), feedback.squaredNorm());
  }

  void damagedStateIsRefusedWithTheSource() {
    ErrorFeedback feedback;
    feedback.stage("a", randomMatrix(6, 5, 2), Matrix(6, 5));
    feedback.commit();
    const std::string good = feedback.serialize();
    std::vector<std::string> bad = {"", "FMRGEF01", good.substr(0, good.size() - 1), good + "x",
                                    "XXXXXXXX" + good.substr(8)};
    std::string hugeShape = good;
    const size_t rowsAt = 8 + 4 + 4 + 1;  // magic, count, name length, "a"
    const int64_t huge = int64_t(1) << 40;
    std::memcpy(&hugeShape[rowsAt], &huge, 8);
    bad.push_back(hugeShape);
    std::string nan = good;
    const float notANumber = std::nanf("");
    std::memcpy(&nan[nan.size() - 4], &notANumber, 4);
    bad.push_back(nan);
    for (const auto& bytes : bad) {
      try {
        ErrorFeedback::parse(bytes, "/site/federation/feedback.bin");
        QFAIL("damaged error-feedback state was accepted");
      } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).startsWith("/site/federation/feedback.bin: "), e.what());
      }
    }
  }

  void shapeChangeIsAnError() {
    ErrorFeedback feedback;
    feedback.stage("w", Matrix(4, 4), Matrix(4, 4));
    feedback.commit();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, feedback.withResidual("w", Matrix(4, 5)));
  }
};

QTEST_APPLESS_MAIN(TestErrorFeedback)
#include "tst_error_feedback.moc"
