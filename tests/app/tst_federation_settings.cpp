// The administrator's federation settings: stored and read back, bad values refused by name; certificates
// from a real consortium CA checked with OpenSSL on import (missing file, a key of another certificate, a
// certificate of another CA, each refused with its reason and without touching the files kept before) and
// kept 0600; "Test connection", join and the round shown, over mutual TLS against a real coordinator
// (CoordinatorService on 127.0.0.1); who may change them (the admin role, named in the refusal).
#include <sys/stat.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/federation_settings.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "coordinator/certificate_authority.h"
#include "coordinator/coordinator_service.h"
#include "coordinator/coordinator_state.h"
#include "coordinator/round_manager.h"
#include "federation/site_client.h"
#include "federation/tls_credentials.h"

using namespace fedmrg::app;
using fedmrg::coordinator::CertificateAuthority;
using fedmrg::coordinator::IssuedCertificate;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

int modeOf(const QString& file) {
  struct stat st {};
  ::stat(QFile::encodeName(file).constData(), &st);
  return int(st.st_mode & 0777);
}

QByteArray contents(const QString& file) {
  QFile f(file);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The refusal's text, or "" when nothing was thrown.
std::string refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const FederationSettingsError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

class TestFederationSettings : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<CertificateAuthority> ca_;
  IssuedCertificate siteA_, siteB_;
  int64_t admin_ = 1, radiologist_ = 0;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "site passphrase", "Test site", "admin", "Admin", "admin-password");
    radiologist_ = UserDirectory(*site_, admin_).addUser("rad", "Dr Rad", Role::Radiologist, "radiologist-password");
    ca_ = std::make_unique<CertificateAuthority>(
        CertificateAuthority::create(dir_.filePath("ca").toStdString(), "consortium"));
    siteA_ = ca_->issueSite("site-a");
    siteB_ = ca_->issueSite("site-b");
  }

  void onlyAdminsChangeTheFederation() {
    QVERIFY(federationAdminRefusal(*site_, *UserDirectory(*site_).find(admin_)).empty());
    const std::string why = federationAdminRefusal(*site_, *UserDirectory(*site_).find(radiologist_));
    QVERIFY2(why.find("needs the admin role") != std::string::npos &&
                 why.find("rad has: radiologist") != std::string::npos,
             why.c_str());
  }

  void settingsRoundTripAndBadInput() {
    FederationSettingsStore store(*site_, admin_);
    FederationSettings s = store.load();
    QCOMPARE(s.participation, Participation::ApproveEach);  // the default: nothing leaves without approval
    QVERIFY(!s.joined);
    s.coordinator = "coordinator.example.org:50051";
    s.participation = Participation::EveryRound;
    s.windowStart = 22;
    s.windowEnd = 6;
    s.bandwidthKbps = 2048;
    s.requireDp = true;
    store.save(s);
    const FederationSettings back = FederationSettingsStore(*site_, admin_).load();
    QCOMPARE(back.coordinator, s.coordinator);
    QCOMPARE(back.participation, Participation::EveryRound);
    QCOMPARE(back.windowStart, 22);
    QCOMPARE(back.windowEnd, 6);
    QCOMPARE(back.bandwidthKbps, 2048);
    QVERIFY(back.requireDp);

    const std::pair<std::function<void(FederationSettings&)>, std::string> bad[] = {
        {[](FederationSettings& x) { x.coordinator = "no-port"; }, "Coordinator address 'no-port'"},
        {[](FederationSettings& x) { x.coordinator = "host:70000"; }, "port from 1 to 65535"},
        {[](FederationSettings& x) { x.windowStart = 24; }, "Schedule: the first hour"},
        {[](FederationSettings& x) { x.windowEnd = 0; }, "Schedule: the last hour"},
        {[](FederationSettings& x) { x.windowEnd = x.windowStart; }, "the same"},
        {[](FederationSettings& x) { x.bandwidthKbps = -1; }, "Bandwidth cap"},
    };
    for (const auto& [change, expected] : bad) {
      FederationSettings x = back;
      change(x);
      const std::string why = refusal([&] { store.save(x); });
      QVERIFY2(why.find(expected) != std::string::npos, (expected + " / " + why).c_str());
    }
    QCOMPARE(store.load().coordinator, s.coordinator);  // nothing stored
    QCOMPARE(store.load().bandwidthKbps, 2048);
  }

  void certificatesCheckedOnImport() {
    FederationSettingsStore store(*site_, admin_);
    QVERIFY(!store.certificate().present());
    // The user's key file may be readable by others: the site's copy is private all the same.
    QFile::setPermissions(q(siteA_.keyFile), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    const CertificateSummary imported =
        store.importCertificates(q(siteA_.caFile), q(siteA_.certFile), q(siteA_.keyFile));
    QCOMPARE(imported.subject, std::string("site-a"));
    QVERIFY(imported.notAfter > QDateTime::currentSecsSinceEpoch());
    QCOMPARE(store.certificate().subject, std::string("site-a"));
    for (const QString& f : {store.caFile(), store.certFile(), store.keyFile()}) QCOMPARE(modeOf(f), 0600);
    QCOMPARE(contents(store.certFile()), contents(q(siteA_.certFile)));
    const QByteArray keptKey = contents(store.keyFile());

    const QString missing = dir_.filePath("nowhere/site.pem");
    std::string why = refusal([&] { store.importCertificates(q(siteA_.caFile), missing, q(siteA_.keyFile)); });
    QVERIFY2(why.find(missing.toStdString() + ": no such site certificate file") != std::string::npos, why.c_str());

    why = refusal([&] { store.importCertificates(q(siteA_.caFile), q(siteA_.certFile), q(siteB_.keyFile)); });
    QVERIFY2(
        why.find(siteB_.keyFile + ": the key does not match the certificate " + siteA_.certFile) != std::string::npos,
        why.c_str());

    auto other = CertificateAuthority::create(dir_.filePath("other-ca").toStdString(), "another-consortium");
    const auto foreign = other.issueSite("site-a");
    why = refusal([&] { store.importCertificates(q(siteA_.caFile), q(foreign.certFile), q(foreign.keyFile)); });
    QVERIFY2(why.find(foreign.certFile + ": the certificate is not signed by the consortium CA of " + siteA_.caFile) !=
                 std::string::npos,
             why.c_str());

    QFile junk(dir_.filePath("junk.pem"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("hello");
    junk.close();
    why = refusal([&] { store.importCertificates(junk.fileName(), q(siteA_.certFile), q(siteA_.keyFile)); });
    QVERIFY2(why.find(junk.fileName().toStdString() + ": not PEM") != std::string::npos, why.c_str());

    // Every refusal left the imported files as they were, and no staged copy behind.
    QCOMPARE(contents(store.keyFile()), keptKey);
    QCOMPARE(store.certificate().subject, std::string("site-a"));
    QCOMPARE(QDir(dir_.filePath("site/federation")).entryList(QDir::Files | QDir::Hidden).size(), 3);
  }

  void testConnectionAndJoinOverMutualTls() {
    const auto coordinatorCert = ca_->issueCoordinator({"127.0.0.1"});
    fedmrg::coordinator::RoundSettings rs;
    rs.minSites = 1;
    rs.aggregation.dpClipNorm = 1.0;
    rs.aggregation.dpNoiseMultiplier = 0.5;
    auto rounds = std::make_shared<fedmrg::coordinator::RoundManager>(
        fedmrg::coordinator::openMemoryState(), dir_.filePath("blobs").toStdString(),
        std::vector<fedmrg::federation::FederatedTensorSpec>{{"w", {4, 8}}}, fedmrg::federation::CodecPlan{}, rs,
        [] { return QDateTime::currentMSecsSinceEpoch(); }, [](const std::string&) {});
    fedmrg::coordinator::CoordinatorService service(
        rounds,
        fedmrg::federation::mutualTlsServerCredentials(
            {coordinatorCert.caFile, coordinatorCert.certFile, coordinatorCert.keyFile}),
        false, 4, [](const std::string&) {});
    const int port = service.start("127.0.0.1:0");

    FederationSettingsStore store(*site_, admin_);
    FederationSettings s = store.load();
    s.coordinator = "127.0.0.1:" + std::to_string(port);
    store.save(s);
    store.join();
    QVERIFY(store.load().joined);
    // The site asks for its task as the federation loop would: the coordinator opens round 1 for it.
    fedmrg::federation::SiteTask task;
    auto transport = fedmrg::federation::grpcSiteTransport(
        s.coordinator,
        fedmrg::federation::mutualTlsChannelCredentials(
            {store.caFile().toStdString(), store.certFile().toStdString(), store.keyFile().toStdString()}),
        {});
    QVERIFY(transport->task(task).ok);

    const ConnectionTest t = store.testConnection();
    QVERIFY2(t.ok, t.message.c_str());
    QVERIFY2(t.message.find("round " + std::to_string(task.round)) != std::string::npos &&
                 t.message.find("central DP on") != std::string::npos,
             t.message.c_str());
    QCOMPARE(t.snapshot.round, task.round);
    const CoordinatorSnapshot kept = store.lastSnapshot();
    QCOMPARE(kept.round, task.round);
    QVERIFY(kept.centralDp);
    QVERIFY(!kept.at.empty());
    service.shutdown();

    // No coordinator there any more: said, and the last sync stays.
    const ConnectionTest down = store.testConnection(2);
    QVERIFY(!down.ok);
    QVERIFY2(down.message.find("No answer from " + s.coordinator) != std::string::npos, down.message.c_str());
    QCOMPARE(store.lastSnapshot().at, kept.at);
    store.leave();
    QVERIFY(!store.load().joined);
  }

  void roundsAndApprovals() {
    FederationSettingsStore store(*site_, admin_);
    site_->store().exec(
        "INSERT INTO federation_rounds(round, base_version, started_at, status, bytes_up, bytes_down) "
        "VALUES (1, 0, '2026-01-01T00:00:00.000Z', 'closed', 1200, 5400)");
    store.approveRound(2);
    const auto r = store.rounds();
    QCOMPARE(r.size(), size_t(2));
    QCOMPARE(r[0].bytesUp, uint64_t(1200));
    QCOMPARE(r[0].bytesDown, uint64_t(5400));
    QVERIFY(!r[0].approved);
    QCOMPARE(r[1].round, uint64_t(2));
    QVERIFY(r[1].approved);
    QVERIFY(!refusal([&] { store.approveRound(0); }).empty());

    // The loop records a round's bytes in place of the approval row.
    store.recordRound(2, 1, 1000, 3000, "closed");
    QCOMPARE(store.rounds().size(), size_t(2));
    QCOMPARE(store.rounds()[1].bytesDown, uint64_t(3000));
    QVERIFY(store.rounds()[1].approved);
  }

  void whenTheSiteTakesPart() {
    FederationSettingsStore store(*site_, admin_);
    FederationSettings s = store.load();
    site_->store().exec("UPDATE federation_settings SET joined = 0");
    QVERIFY(store.notTakingPart(3, 23, true).find("has not joined") != std::string::npos);
    site_->store().exec("UPDATE federation_settings SET joined = 1");
    s.participation = Participation::ApproveEach;
    s.windowStart = 22;
    s.windowEnd = 6;
    s.requireDp = true;
    s.coordinator.clear();
    store.save(s);
    QVERIFY(store.notTakingPart(3, 12, true).find("outside the site's hours (22-6)") != std::string::npos);
    QVERIFY(store.notTakingPart(3, 23, false).find("requires central DP") != std::string::npos);
    QVERIFY(store.notTakingPart(3, 2, true).find("round 3 waits for an administrator's approval") != std::string::npos);
    store.approveRound(3);
    QCOMPARE(store.notTakingPart(3, 2, true), std::string());
    s.participation = Participation::EveryRound;
    s.requireDp = false;
    s.windowStart = 8;
    s.windowEnd = 18;
    store.save(s);
    QCOMPARE(store.notTakingPart(4, 8, false), std::string());
    QVERIFY(!store.notTakingPart(4, 18, false).empty());
  }
};

QTEST_GUILESS_MAIN(TestFederationSettings)
#include "tst_federation_settings.moc"
