// The workstation's part in federation rounds (app/site/site_federation.h) against the real fedmrg-coordinator
// process and two `fedmrg-cli federate` peer processes on loopback, with a real encrypted site holding signed
// final reports and a tiny report model that drafts report sentences: a round that waits for the administrator's
// approval, then completes and becomes the drafting version through the quality gate; a round whose peers send a
// deliberately damaging change, refused by the gate; the bandwidth cap measured on the round's real transfers;
// and everything the coordinator received searched for the site's report sentences, patient identifiers and
// image pixels.
#include "app/training_site.h"  // LibTorch first: Qt's "slots" macro breaks its headers

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

#include "app/site/draft_activity.h"
#include "app/site/federation_settings.h"
#include "app/site/model_versions.h"
#include "app/site/site_federation.h"
#include "app/private_data_scan.h"
#include "coordinator/federation_processes.h"
#include "coordinator/wire_recorder.h"

using namespace fedmrg::app;
using Phase = SiteFederationState::Phase;

namespace {

QString tempRoot() { return qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath()); }

bool waitFor(const std::function<bool()>& done, int ms) {
  for (int waited = 0; waited < ms; waited += 100) {
    if (done()) return true;
    QTest::qWait(100);
  }
  return done();
}

}  // namespace

class TestSiteFederation : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  fedmrg::testing::TrainingSite t_;
  QString model_;
  std::unique_ptr<fedmrg::test::CoordinatorProcess> coordinator_;
  std::unique_ptr<fedmrg::test::WireRecorder> wire_;
  std::unique_ptr<SiteFederation> federation_;
  int64_t firstFederated_ = 0;

  SiteFederationState state() const { return federation_->state(); }
  QString diagnostics() const {
    const SiteFederationState s = federation_->state();
    return QString("phase %1, round %2, detail '%3', gate '%4'\n%5")
        .arg(phaseName(s.phase))
        .arg(s.round)
        .arg(QString::fromStdString(s.detail), QString::fromStdString(s.gateOutcome), coordinator_->log().right(3000));
  }
  std::unique_ptr<QProcess> peer(const char* id, const QStringList& extra) {
    return fedmrg::test::startSite(coordinator_->port(), id, dir_->filePath(id), extra);
  }

 private slots:
  void initTestCase() {
    QDir().mkpath(tempRoot());
    dir_ = std::make_unique<QTemporaryDir>(tempRoot() + "/site-federation-XXXXXX");
    QVERIFY(dir_->isValid());
    t_ = fedmrg::testing::makeTrainingSite(dir_->path(), 8);
    model_ = dir_->filePath("chest-model");
    fedmrg::testing::writeTrainedTinyModel(model_, dir_->filePath("synth"));
    for (size_t i = 0; i < t_.studies.size(); ++i) fedmrg::testing::signFinal(t_, i);
    ModelVersions versions(*t_.site, 1);
    versions.ensureBase(model_);
    GateSettings gate;
    gate.heldBackEvery = 4;  // signing makes a new report version: ids 2, 4, ... 16 are the finals; half judge
    gate.minHeldBack = 2;
    gate.margin = 0.05;
    versions.setGateSettings(gate);
    QVERIFY2(versions.heldBackReports().size() >= 2, "too few held-back reports for the gate");
    QVERIFY2(federatedTrainingReports(*t_.site) >= 3, "too few signed reports left to train on");

    coordinator_ = std::make_unique<fedmrg::test::CoordinatorProcess>(
        dir_->path(), "model = " + model_ +
                         "\nstrategy = fedmrg\nmin_sites = 3\nfraction = 1\ndeadline_seconds = 180\nmax_rounds = 2\n");
    const int port = coordinator_->start();
    QVERIFY2(port > 0, qPrintable(coordinator_->log()));
    wire_ = std::make_unique<fedmrg::test::WireRecorder>(port);  // the workstation reaches it through the recorder

    FederationSettingsStore settings(*t_.site, 1);
    FederationSettings s;
    s.coordinator = "127.0.0.1:" + std::to_string(wire_->port());
    s.participation = Participation::ApproveEach;
    settings.save(s);
    // Joining proper is a Join over mutual TLS (tst_federation_settings); this coordinator runs in plain-text
    // loopback mode, where the loop names the site itself, so the membership is set as join() stores it.
    t_.site->store().exec("UPDATE federation_settings SET joined = 1 WHERE id = 1");
  }

  void notJoinedRunsNoLoop() {
    t_.site->store().exec("UPDATE federation_settings SET joined = 0 WHERE id = 1");
    SiteFederation off(*t_.site, std::make_shared<DraftActivity>(), {});
    QVERIFY(!off.refresh());
    QVERIFY(!off.isRunning());
    QCOMPARE(off.state().phase, Phase::Off);
    t_.site->store().exec("UPDATE federation_settings SET joined = 1 WHERE id = 1");
  }

  void aRoundWaitsForApprovalThenItsVersionIsAccepted() {
    auto a = peer("peer-a", {"--rounds", "1"});
    auto b = peer("peer-b", {"--rounds", "1"});
    SiteFederationOptions o;
    o.baseModel = model_;
    o.training.steps = 4;
    // The test machine is shared: at nice 19 the site's training may wait minutes behind other tests and miss
    // the round's deadline. The priority is not what this test checks.
    o.training.niceness = 0;
    o.pollMs = 200;
    o.heartbeatMs = 1000;
    o.insecureSiteId = "workstation";
    federation_ = std::make_unique<SiteFederation>(*t_.site, std::make_shared<DraftActivity>(), o);
    QVERIFY2(federation_->refresh(), qPrintable(diagnostics()));

    // Approve each round: the round waits, nothing is trained or sent, and the panel can show it.
    QVERIFY2(waitFor([&] { return state().phase == Phase::WaitingForApproval; }, 60000), qPrintable(diagnostics()));
    const uint64_t round = state().round;
    QCOMPARE(round, uint64_t(1));
    QTest::qWait(1500);
    QCOMPARE(state().phase, Phase::WaitingForApproval);
    for (const TransferRecord& t : federation_->transfers()) QVERIFY(t.kind != "upload");
    const auto waiting = FederationSettingsStore(*t_.site, 1).rounds();
    QVERIFY(!waiting.empty());
    QCOMPARE(waiting.back().status, std::string("waiting for approval"));
    QVERIFY(!waiting.back().approved);

    FederationSettingsStore(*t_.site, 1).approveRound(round);
    // A loop that stopped fails at once, with its reason (it would restart a minute later, in a later round).
    QVERIFY2(waitFor([&] { return state().gateOutcome.find("global version 1") != std::string::npos ||
                                  state().phase == Phase::Failed; },
                     240000),
             qPrintable(diagnostics()));
    QVERIFY2(state().phase != Phase::Failed, qPrintable(diagnostics()));
    QVERIFY2(state().gateOutcome.find("accepted") != std::string::npos, qPrintable(diagnostics()));
    QVERIFY(fedmrg::test::siteResult(*a, 60000).startsWith("done version=1 "));
    QVERIFY(fedmrg::test::siteResult(*b, 60000).startsWith("done version=1 "));

    // The new version: registered from round 1, accepted by the gate, and what drafts use now.
    ModelVersions versions(*t_.site, 1);
    const ModelVersion v = versions.list().back();
    QCOMPARE(v.origin, std::string("federation"));
    QVERIFY2(v.originDetail.find("round 1") != std::string::npos, v.originDetail.c_str());
    QCOMPARE(v.gate, GateState::Accepted);
    QCOMPARE(versions.active()->id, v.id);
    QVERIFY(versions.activeModelDir().contains(QString("-v%1").arg(v.id)));
    firstFederated_ = v.id;

    // The panel's record: the round's bytes both ways and its outcome, and the coordinator's latest state.
    const auto rounds = FederationSettingsStore(*t_.site, 1).rounds();
    const auto r1 = std::find_if(rounds.begin(), rounds.end(), [](const RoundTraffic& t) { return t.round == 1; });
    QVERIFY(r1 != rounds.end());
    QCOMPARE(r1->status, std::string("completed"));
    QVERIFY(r1->approved);
    QVERIFY(r1->bytesUp > 0 && r1->bytesDown > 0);
    QVERIFY(!FederationSettingsStore(*t_.site, 1).lastSnapshot().at.empty());
    QVERIFY(t_.site->store().queryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'federation round approved'") == 1);
    QVERIFY(t_.site->store().queryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'federation update uploaded'") == 1);
  }

  void aDamagingVersionIsRefusedAndTheCapPacesTransfers() {
    QVERIFY(federation_);
    FederationSettingsStore settings(*t_.site, 1);
    FederationSettings s = settings.load();
    s.participation = Participation::EveryRound;
    s.bandwidthKbps = 64;
    settings.save(s);
    // The peers' change is 10^4 times an adapter step: the global generic adapter drafts other findings.
    auto a = peer("peer-a", {"--scale", "10000"});
    auto b = peer("peer-b", {"--scale", "10000"});
    QVERIFY2(waitFor([&] { return state().gateOutcome.find("global version 2") != std::string::npos ||
                                  state().phase == Phase::Failed; },
                     300000),
             qPrintable(diagnostics()));
    QVERIFY2(state().phase != Phase::Failed, qPrintable(diagnostics()));
    QVERIFY2(state().gateOutcome.find("refused") != std::string::npos, qPrintable(diagnostics()));
    ModelVersions versions(*t_.site, 1);
    const ModelVersion v = versions.list().back();
    QVERIFY2(v.originDetail.find("round 2") != std::string::npos, v.originDetail.c_str());
    QCOMPARE(v.gate, GateState::Refused);
    QVERIFY2(v.gateReason.find("refused: CE-F1") != std::string::npos, v.gateReason.c_str());
    QCOMPARE(versions.active()->id, firstFederated_);  // drafts stay on the accepted version

    // The cap, on the round's real transfers: none faster than 64 kbit/s, which loopback would beat by far.
    int paced = 0;
    for (const TransferRecord& t : federation_->transfers()) {
      if (t.round != 2) continue;
      const double floor = double(t.bytes) * 8.0 / 64000.0;
      qInfo("%s of round %llu: %llu bytes in %.2f s (the cap allows no less than %.2f s)", t.kind.c_str(),
            (unsigned long long)t.round, (unsigned long long)t.bytes, t.seconds, floor);
      QVERIFY2(t.seconds >= 0.95 * floor, qPrintable(QString("%1 of %2 bytes took %3 s, the cap needs %4 s")
                                                           .arg(QString::fromStdString(t.kind))
                                                           .arg(t.bytes)
                                                           .arg(t.seconds)
                                                           .arg(floor)));
      QVERIFY2(t.bytes > 2000, qPrintable(QString::number(t.bytes)));  // at least a quarter of a second at the cap
      ++paced;
    }
    QCOMPARE(paced, 2);  // the upload of round 2 and the download of its version
    fedmrg::test::siteResult(*a, 60000);
    fedmrg::test::siteResult(*b, 60000);
  }

  void theCoordinatorReceivedNothingPrivate() {
    const std::string wire = wire_->bytes();
    QVERIFY2(wire.size() > 10000, qPrintable(QString::number(wire.size())));
    std::vector<std::string> images;
    for (const auto& r : t_.records) images.push_back(r.imagePath);
    const fedmrg::testing::PrivateDataScan scan = fedmrg::testing::scanForPrivateData(wire, *t_.site, images);
    QVERIFY2(scan.found.empty(), qPrintable("crossed the wire:\n" + scan.list()));
    QVERIFY2(scan.checked > 20, qPrintable(QString::number(scan.checked)));
    // Nor is any of it in the audit log's federation lines.
    auto lines = t_.site->store().prepare("SELECT detail FROM audit_log WHERE action LIKE 'federation%'");
    std::string details;
    while (lines.step()) details += lines.text(0) + "\n";
    const fedmrg::testing::PrivateDataScan logged = fedmrg::testing::scanForPrivateData(details, *t_.site, {});
    QVERIFY2(logged.found.empty(), qPrintable("in the audit log:\n" + logged.list()));
  }

  void cleanupTestCase() {
    if (federation_) {
      federation_->stop();
      QVERIFY(!federation_->isRunning());
    }
    federation_.reset();
    if (coordinator_) coordinator_->stop();
  }
};

QTEST_GUILESS_MAIN(TestSiteFederation)
#include "tst_site_federation.moc"
