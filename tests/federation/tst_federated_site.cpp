// The site client against a real coordinator service on loopback (in process, memory state): while the
// training callback runs for longer than the coordinator's last-seen throttle, the site keeps sending
// Heartbeats, so GetStatus shows it alive; it then uploads and the round closes.
#include <QtTest>

#include <thread>

#include "coordinator/loopback_coordinator.h"
#include "federation/federated_site.h"
#include "federation/site_client.h"

using namespace fedmrg;

namespace {

std::vector<federation::FederatedTensorSpec> specs() { return {{"w", {8, 16}}, {"b", {16}}}; }

int64_t lastSeen(const federation::v1::StatusReply& s, const std::string& site) {
  for (const auto& x : s.sites())
    if (x.site_id() == site) return x.last_seen_unix_ms();
  return -1;
}

}  // namespace

class TestFederatedSite : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QDir().mkpath(qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath())); }

  void aSiteHeartbeatsWhileItTrains() {
    coordinator::RoundSettings settings;
    settings.strategy = federation::Strategy::FedAvg;
    settings.minSites = 1;
    settings.maxRounds = 1;
    fedmrg::test::LoopbackCoordinator coordinator(specs(), settings);
    QVERIFY(coordinator.port() > 0);
    QTemporaryDir dir(qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath()) + "/site-XXXXXX");
    std::mutex m;
    QStringList events;
    federation::FederatedSiteOptions o;
    o.stateFile = dir.filePath("state.txt").toStdString();
    o.heartbeatMs = 200;
    o.onEvent = [&](const std::string& l) {
      std::lock_guard lock(m);
      events << QString::fromStdString(l);
    };
    int64_t seenAtStart = 0, seenAtEnd = 0;
    // A training of 3.5 s: longer than the coordinator's 2 s throttle on last-seen writes, so last-seen must
    // move while it runs, which only a call from the site during training can do.
    federation::FederatedSite site(
        federation::grpcSiteTransport(coordinator.target(), grpc::InsecureChannelCredentials(), "slow-site"),
        [&](const federation::TrainRequest& r) {
          seenAtStart = lastSeen(coordinator.status(), "slow-site");
          for (int waited = 0; waited < 3500 && !r.cancelled->load(); waited += 50)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          seenAtEnd = lastSeen(coordinator.status(), "slow-site");
          federation::TrainResult out;
          for (const auto& [name, g] : *r.global) {
            federation::Matrix x = g;
            for (auto& v : x.values) v += 1e-3f;
            out.tensors[name] = x;
          }
          out.sampleCount = 5;
          return out;
        },
        o);
    site.start();
    QVERIFY(site.wait(30000));
    QVERIFY2(site.error().empty(), site.error().c_str());
    QCOMPARE(site.version(), uint64_t(1));
    QVERIFY2(seenAtStart > 0 && seenAtEnd - seenAtStart >= 1500,
             qPrintable(QString("%1 -> %2").arg(seenAtStart).arg(seenAtEnd)));
    std::lock_guard lock(m);
    QVERIFY2(events.filter("event=heartbeat round=1").size() >= 10, qPrintable(events.join('\n')));
    QVERIFY(events.filter("heartbeat_failed").isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestFederatedSite)
#include "tst_federated_site.moc"
