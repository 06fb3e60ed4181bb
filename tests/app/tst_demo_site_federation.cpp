// The demo site's place in the demo federation (app/site/demo_federation): from scripts/demo-federation.sh's
// folder it sets the coordinator's address, imports the demo site's certificates, takes part in every round and
// joins with a real Join over mutual TLS (a coordinator on loopback); a second start changes nothing, a coordinator
// on another port is followed, and a folder without a running federation is named.
#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/demo_federation.h"
#include "app/site/federation_settings.h"
#include "app/site/site.h"
#include "coordinator/certificate_authority.h"
#include "coordinator/coordinator_service.h"
#include "coordinator/coordinator_state.h"
#include "coordinator/round_manager.h"
#include "federation/tls_credentials.h"

using namespace fedmrg::app;
using fedmrg::coordinator::CertificateAuthority;

class TestDemoSiteFederation : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<CertificateAuthority> ca_;
  QString fed_;

  // A coordinator with the demo CA's server certificate on a free loopback port; its address in the folder.
  std::unique_ptr<fedmrg::coordinator::CoordinatorService> startCoordinator(std::string* address) {
    const auto cert = ca_->issueCoordinator({"127.0.0.1"});
    fedmrg::coordinator::RoundSettings rs;
    auto rounds = std::make_shared<fedmrg::coordinator::RoundManager>(
        fedmrg::coordinator::openMemoryState(), dir_.filePath("blobs").toStdString(),
        std::vector<fedmrg::federation::FederatedTensorSpec>{{"w", {4, 8}}}, fedmrg::federation::CodecPlan{}, rs,
        [] { return QDateTime::currentMSecsSinceEpoch(); }, [](const std::string&) {});
    auto service = std::make_unique<fedmrg::coordinator::CoordinatorService>(
        rounds, fedmrg::federation::mutualTlsServerCredentials({cert.caFile, cert.certFile, cert.keyFile}), false, 4,
        [](const std::string&) {});
    *address = "127.0.0.1:" + std::to_string(service->start("127.0.0.1:0"));
    QFile f(fed_ + "/coordinator.address");
    f.open(QIODevice::WriteOnly);
    f.write(QByteArray::fromStdString(*address + "\n"));
    return service;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "site passphrase", "Demo Site", "demo", "Demo", "demo-password");
    fed_ = dir_.filePath("federation");
    ca_ = std::make_unique<CertificateAuthority>(CertificateAuthority::create((fed_ + "/ca").toStdString(), "demo"));
    ca_->issueSite(kDemoFederationSite);
  }

  void noRunningFederationIsNamed() {
    try {
      joinDemoFederation(*site_, 1, fed_);
      QFAIL("a folder without coordinator.address was accepted");
    } catch (const FederationSettingsError& e) {
      QVERIFY2(QString(e.what()).contains(fed_ + "/coordinator.address: missing or empty"), e.what());
    }
    QVERIFY(!FederationSettingsStore(*site_, 1).load().joined);
  }

  void joinsEveryRoundOnceAndFollowsTheCoordinator() {
    std::string address;
    auto service = startCoordinator(&address);
    const std::string done = joinDemoFederation(*site_, 1, fed_);
    QVERIFY2(done.find("joined") != std::string::npos, done.c_str());
    FederationSettingsStore store(*site_, 1);
    FederationSettings s = store.load();
    QCOMPARE(s.coordinator, address);
    QCOMPARE(s.participation, Participation::EveryRound);
    QVERIFY(s.joined);
    QCOMPARE(store.certificate().subject, std::string(kDemoFederationSite));
    QVERIFY(store.testConnection().ok);  // the imported files speak mutual TLS with the demo coordinator

    // The next start: nothing to change.
    const std::string again = joinDemoFederation(*site_, 1, fed_);
    QVERIFY2(again.find("already in the demo federation at " + address) != std::string::npos, again.c_str());
    service->shutdown();

    // The coordinator came back on another port: the site follows it and joins there.
    std::string moved;
    auto second = startCoordinator(&moved);
    QVERIFY(moved != address);
    const std::string followed = joinDemoFederation(*site_, 1, fed_);
    QVERIFY2(followed.find("coordinator " + moved) != std::string::npos && followed.find("joined") != std::string::npos,
             followed.c_str());
    QCOMPARE(store.load().coordinator, moved);
    QVERIFY(store.load().joined);
    second->shutdown();
  }
};

QTEST_GUILESS_MAIN(TestDemoSiteFederation)
#include "tst_demo_site_federation.moc"
