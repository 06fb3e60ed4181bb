// CoordinatorService under many sites at once (quotas and stream limits: tst_coordinator_service): 100
// simulated sites (federation/site_swarm.h) join and poll a
// real coordinator on 127.0.0.1 with SQLite state, every join issued together; no call fails and every site
// is registered exactly once. (Before the polling calls used gRPC's callback API, about a third of the joins
// were refused "Server Threadpool Exhausted".) The swarm refuses a target that is not loopback.
#include <QtTest>

#include <grpcpp/grpcpp.h>

#include <set>

#include "coordinator/coordinator_service.h"
#include "coordinator/state_factory.h"
#include "federation/site_swarm.h"
#include "fedmrg/federation/v1/federation.pb.h"

using namespace fedmrg;
using namespace fedmrg::coordinator;

class TestCoordinatorSwarm : public QObject {
  Q_OBJECT

 private slots:
  void hundredSitesJoinAndPollAtOnceWithoutAnError() {
    QTemporaryDir dir;
    RoundSettings rs;
    rs.minSites = 2;  // a round opens during the joins: the polls get real tasks
    auto rounds = std::make_shared<RoundManager>(
        openState("sqlite:" + dir.filePath("coordinator.db").toStdString()), dir.filePath("uploads").toStdString(),
        std::vector<federation::FederatedTensorSpec>{{"w", {64, 32}}, {"b", {32}}}, federation::CodecPlan{}, rs,
        [] {
          return int64_t(
              std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count());
        },
        [](const std::string&) {});
    CoordinatorService service(rounds, grpc::InsecureServerCredentials(), true, 16, [](const std::string&) {});
    const int port = service.start("127.0.0.1:0");

    federation::SwarmSettings s;
    s.target = "127.0.0.1:" + std::to_string(port);
    s.sites = 100;
    s.channels = 8;
    s.threads = 2;
    s.polls = 2;
    s.callTimeoutSeconds = 60;
    const federation::SwarmResult r = federation::runSiteSwarm(s);
    for (const auto& [what, n] : r.errors) qWarning("%d x %s", n, what.c_str());
    QCOMPARE(r.callsFailed, 0);
    QCOMPARE(r.joined, 100);
    QCOMPARE(r.callsOk, 100 * 5);

    federation::v1::StatusReply status;
    rounds->status(status);
    std::set<std::string> ids;
    for (const auto& site : status.sites()) ids.insert(site.site_id());
    QCOMPARE(status.sites_size(), 100);
    QCOMPARE(ids.size(), size_t(100));
    for (int i = 0; i < 100; ++i) QVERIFY(ids.count("sim-site-" + std::to_string(i)));
    QCOMPARE(status.round(), uint64_t(1));
    service.shutdown();
  }

  void theSwarmRefusesATargetThatIsNotLoopback() {
    federation::SwarmSettings s;
    s.target = "10.1.2.3:50051";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, federation::runSiteSwarm(s));
    s.target = "127.0.0.1:1";
    s.sites = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, federation::runSiteSwarm(s));
  }
};

QTEST_GUILESS_MAIN(TestCoordinatorSwarm)
#include "tst_coordinator_swarm.moc"
