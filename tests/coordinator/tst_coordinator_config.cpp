// The coordinator's configuration file as parsed (coordinator/coordinator_config.h): the codec follows the
// strategy (low-rank under fedmrg, dense otherwise), `codec_low_rank = false` makes fedmrg send dense fp32 (the FL
// benchmark's fedmrg-dense over gRPC) and has no effect on the dense strategies, and a bad value names the
// file, line and key. The rest of the file's keys are checked end to end in tests/cli/tst_coordinator_args.
#include <QtTest>

#include "coordinator/coordinator_config.h"

using fedmrg::coordinator::ConfigError;
using fedmrg::coordinator::parseCoordinatorConfig;

namespace {

const std::string kBase = "upload_dir = /tmp/u\nmodel = /tmp/m\n";

}  // namespace

class TestCoordinatorConfig : public QObject {
  Q_OBJECT
 private slots:
  void theCodecFollowsTheStrategy() {
    QVERIFY(parseCoordinatorConfig(kBase + "strategy = fedmrg\n", "c.conf").codec.lowRank);
    QVERIFY(!parseCoordinatorConfig(kBase + "strategy = fedmrg\ncodec_low_rank = false\n", "c.conf").codec.lowRank);
    QVERIFY(parseCoordinatorConfig(kBase + "strategy = fedmrg\ncodec_low_rank = true\n", "c.conf").codec.lowRank);
    for (const char* dense : {"fedavg", "fedprox", "fedavg-lora"})
      QVERIFY(
          !parseCoordinatorConfig(kBase + "strategy = " + dense + "\ncodec_low_rank = true\n", "c.conf").codec.lowRank);
  }

  void aBadLowRankValueNamesTheLine() {
    try {
      parseCoordinatorConfig(kBase + "codec_low_rank = sometimes\n", "c.conf");
      QFAIL("a bad codec_low_rank was accepted");
    } catch (const ConfigError& e) {
      QVERIFY2(QString(e.what()).contains("c.conf:3: codec_low_rank must be true or false"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestCoordinatorConfig)
#include "tst_coordinator_config.moc"
