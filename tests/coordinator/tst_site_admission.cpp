// Who may call the coordinator, decided on every call. Over real mutual TLS on 127.0.0.1 with certificates
// from the consortium CA: a site is unknown until it joins, then known by its certificate; revoking it with
// the CA refuses its next call ("revoked") without a restart; a renewed certificate (later notBefore) is
// the same site, after which the older one is refused as superseded; another certificate that is not newer is
// refused until an administrator registers it. A CRL that cannot be trusted is refused at start, and a bad
// replacement keeps the previous list in force.
#include <QtTest>

#include <atomic>
#include <fstream>

#include "coordinator/certificate_authority.h"
#include "coordinator/site_admission.h"
#include "federation/tls_credentials.h"
#include "federation/tls_test_server.h"

using namespace fedmrg::coordinator;
using fedmrg::federation::PeerIdentity;
using fedmrg::federation::TlsFiles;

namespace {

TlsFiles filesOf(const IssuedCertificate& c) { return {c.caFile, c.certFile, c.keyFile}; }

PeerIdentity certified(const std::string& site, const std::string& fingerprint, const std::string& serial = "1",
                       int64_t notBefore = 0) {
  return {site, fingerprint, true, serial, notBefore};
}

}  // namespace

class TestSiteAdmission : public QObject {
  Q_OBJECT

 private slots:
  void decisions() {
    auto state = openMemoryState();
    SiteAdmission admission(*state, {});
    const std::string fpA(64, 'a'), fpB(64, 'b');

    const Admission none = admission.admit(std::nullopt);
    QCOMPARE(none.refusal, AdmissionRefusal::NoIdentity);
    QCOMPARE(admissionStatus(none).error_code(), grpc::StatusCode::UNAUTHENTICATED);

    const Admission unknown = admission.admit(certified("site-a", fpA));
    QCOMPARE(unknown.refusal, AdmissionRefusal::UnknownSite);
    QVERIFY2(unknown.reason.find("unknown site 'site-a'") != std::string::npos, unknown.reason.c_str());
    QCOMPARE(admissionStatus(unknown).error_code(), grpc::StatusCode::PERMISSION_DENIED);
    QVERIFY(!state->site("site-a"));  // refusing never registers

    QVERIFY(admission.join(certified("site-a", fpA), 1000).admitted());
    QCOMPARE(state->site("site-a")->certFingerprint, fpA);
    QCOMPARE(state->site("site-a")->joinedAtMs, int64_t(1000));
    QVERIFY(admission.admit(certified("site-a", fpA)).admitted());
    QVERIFY(admissionStatus(admission.admit(certified("site-a", fpA))).ok());

    // Another certificate with the same name, even through Join.
    const Admission other = admission.join(certified("site-a", fpB), 2000);
    QCOMPARE(other.refusal, AdmissionRefusal::FingerprintMismatch);
    QVERIFY2(other.reason.find("differs from the registered certificate") != std::string::npos, other.reason.c_str());
    QCOMPARE(state->site("site-a")->certFingerprint, fpA);  // unchanged
    // Nor does the insecure mode's metadata name a site registered with a certificate.
    QCOMPARE(admission.admit(PeerIdentity{"site-a", "", false, ""}).refusal, AdmissionRefusal::FingerprintMismatch);

    // An administrator registers the new certificate.
    admission.registerSite(certified("site-a", fpB), 3000);
    QVERIFY(admission.admit(certified("site-a", fpB)).admitted());
    QCOMPARE(admission.admit(certified("site-a", fpA)).refusal, AdmissionRefusal::FingerprintMismatch);
    QCOMPARE(state->site("site-a")->joinedAtMs, int64_t(1000));

    auto record = *state->site("site-a");
    record.revoked = true;
    state->putSite(record);
    const Admission revoked = admission.admit(certified("site-a", fpB));
    QCOMPARE(revoked.refusal, AdmissionRefusal::Revoked);
    QVERIFY2(revoked.reason.find("revoked") != std::string::npos, revoked.reason.c_str());
    QCOMPARE(admission.join(certified("site-a", fpB), 4000).refusal, AdmissionRefusal::Revoked);

    // A renewal: a newer certificate for the same site takes the pin, keeping the site's record; the older
    // one is then refused as superseded.
    record.revoked = false;
    state->putSite(record);
    const std::string fpC(64, 'c');
    QVERIFY(admission.admit(certified("site-a", fpC, "3", 5000)).admitted());
    QCOMPARE(state->site("site-a")->certFingerprint, fpC);
    QCOMPARE(state->site("site-a")->certNotBefore, int64_t(5000));
    QCOMPARE(state->site("site-a")->joinedAtMs, int64_t(1000));
    QCOMPARE(state->sites().size(), size_t(1));
    const Admission superseded = admission.admit(certified("site-a", fpB, "2", 4000));
    QCOMPARE(superseded.refusal, AdmissionRefusal::FingerprintMismatch);
    QVERIFY2(superseded.reason.find("superseded by a renewed certificate") != std::string::npos,
             superseded.reason.c_str());
    QCOMPARE(state->site("site-a")->certFingerprint, fpC);

    // With enrolment off, even Join needs a registered site.
    SiteAdmission closed(*state, {"", "", false});
    QCOMPARE(closed.join(certified("site-new", fpA), 5000).refusal, AdmissionRefusal::UnknownSite);
    QVERIFY(!state->site("site-new"));
  }

  void overMutualTlsWithRevocation() {
    QTemporaryDir tmp;
    auto ca = CertificateAuthority::create(tmp.filePath("ca").toStdString(), "consortium");
    const auto coordinator = ca.issueCoordinator({"127.0.0.1"});
    // Valid from a minute ago, so that its renewal below is valid at once.
    const auto siteA = ca.issueSite("site-a", Validity{int64_t(std::time(nullptr)) - 60, 365});
    const auto siteB = ca.issueSite("site-b");
    auto state = openMemoryState();
    SiteAdmission admission(*state, {ca.crlFile(), ca.caCertFile(), true});
    std::atomic<bool> joining{false};
    auto server =
        tlstest::startServer(fedmrg::federation::mutualTlsServerCredentials(filesOf(coordinator)), false,
                             [&](const std::optional<PeerIdentity>& id) {
                               return admissionStatus(joining ? admission.join(id, 1000) : admission.admit(id));
                             });
    QVERIFY(server);
    const auto channelOf = [&](const IssuedCertificate& c) {
      return grpc::CreateChannel(server->target(), fedmrg::federation::mutualTlsChannelCredentials(filesOf(c)));
    };
    auto a = channelOf(siteA);

    auto answer = tlstest::whoIs(a);
    QCOMPARE(answer.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    QVERIFY2(answer.status.error_message().find("unknown site 'site-a'") != std::string::npos,
             answer.status.error_message().c_str());
    joining = true;
    QVERIFY(tlstest::whoIs(a).status.ok());
    QVERIFY(tlstest::whoIs(channelOf(siteB)).status.ok());
    joining = false;
    QCOMPARE(state->site("site-a")->certFingerprint, siteA.record.fingerprint);
    QVERIFY(tlstest::whoIs(a).status.ok());

    // Renewed while the old certificate is still live: the renewed one is the same site (not a new one, the
    // record keeps its join time), and from then on the old one is refused as superseded.
    const auto renewed = ca.issueSite("site-a");
    auto r = channelOf(renewed);
    QVERIFY2(tlstest::whoIs(r).status.ok(), tlstest::whoIs(r).status.error_message().c_str());
    QCOMPARE(state->site("site-a")->certFingerprint, renewed.record.fingerprint);
    QCOMPARE(state->site("site-a")->joinedAtMs, int64_t(1000));
    QCOMPARE(state->sites().size(), size_t(2));
    answer = tlstest::whoIs(a);
    QCOMPARE(answer.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    QVERIFY2(answer.status.error_message().find("superseded by a renewed certificate") != std::string::npos,
             answer.status.error_message().c_str());

    // The old one revoked by serial with the CA while the coordinator runs: the next call, on the same
    // connection, is refused as revoked; the renewed one goes on.
    ca.revoke(siteA.record.serial);
    answer = tlstest::whoIs(a);
    QCOMPARE(answer.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    QVERIFY2(answer.status.error_message().find("site 'site-a': its certificate (serial " + siteA.record.serial +
                                                ") is revoked") != std::string::npos,
             answer.status.error_message().c_str());
    joining = true;  // joining again does not help
    QCOMPARE(tlstest::whoIs(a).status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    joining = false;
    QVERIFY(tlstest::whoIs(channelOf(siteB)).status.ok());  // the others go on
    QVERIFY(tlstest::whoIs(r).status.ok());
    QVERIFY(admission.crlProblem().empty());
  }

  void untrustedCrl() {
    QTemporaryDir tmp;
    auto ca = CertificateAuthority::create(tmp.filePath("ca").toStdString(), "consortium");
    auto other = CertificateAuthority::create(tmp.filePath("other").toStdString(), "intruders");
    const auto siteA = ca.issueSite("site-a");
    auto state = openMemoryState();
    // At start: refused, naming the file.
    try {
      SiteAdmission bad(*state, {other.crlFile(), ca.caCertFile(), true});
      QFAIL("started on another CA's revocation list");
    } catch (const RevocationError& e) {
      QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(other.crlFile())), e.what());
    }
    // While running: a replacement that cannot be trusted keeps the previous list (site-a stays revoked).
    ca.revoke("site-a");
    SiteAdmission admission(*state, {ca.crlFile(), ca.caCertFile(), true});
    const PeerIdentity a = certified("site-a", siteA.record.fingerprint, siteA.record.serial);
    QCOMPARE(admission.join(a, 1).refusal, AdmissionRefusal::Revoked);
    std::ofstream(ca.crlFile(), std::ios::trunc) << "emptied by an intruder\n";
    QCOMPARE(admission.join(a, 2).refusal, AdmissionRefusal::Revoked);
    QVERIFY2(admission.crlProblem().find("previous revocation list stays in force") != std::string::npos,
             admission.crlProblem().c_str());
  }
};

QTEST_GUILESS_MAIN(TestSiteAdmission)
#include "tst_site_admission.moc"
