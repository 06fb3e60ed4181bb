// Mutual TLS between a real gRPC server on 127.0.0.1 and its callers, with certificates made by the
// consortium CA (coordinator/certificate_authority) in a temporary folder: a site with a valid certificate
// gets in and is known by its certificate's name and fingerprint; no certificate, another CA's, an expired
// one or a wrong coordinator name never gets past the handshake. Every bad PEM input is refused before gRPC
// sees it, naming the file and the reason. Plaintext only with the flag and only on loopback.
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <fstream>

#include "coordinator/certificate_authority.h"
#include "federation/peer_identity.h"
#include "federation/tls_credentials.h"
#include "federation/tls_test_server.h"

using namespace fedmrg::federation;
using fedmrg::coordinator::CertificateAuthority;
using fedmrg::coordinator::IssuedCertificate;
using fedmrg::coordinator::Validity;

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string& path, const std::string& text, mode_t mode = 0600) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  ::chmod(path.c_str(), mode);
}

TlsFiles filesOf(const IssuedCertificate& c) { return {c.caFile, c.certFile, c.keyFile}; }

// A raw OpenSSL handshake with the site's certificate, offering only TLS versions up to `maxVersion` (security
// level 0, so that the client itself does not rule old versions out); the version negotiated, or 0 when the
// handshake failed.
int handshakeVersion(int port, const IssuedCertificate& site, int maxVersion) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx, maxVersion);
  SSL_CTX_use_certificate_file(ctx, site.certFile.c_str(), SSL_FILETYPE_PEM);
  SSL_CTX_use_PrivateKey_file(ctx, site.keyFile.c_str(), SSL_FILETYPE_PEM);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int version = 0;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>("\x02h2"), 3);
    if (SSL_connect(ssl) == 1) version = SSL_version(ssl);
    SSL_free(ssl);
  }
  ::close(fd);
  SSL_CTX_free(ctx);
  return version;
}

// Channel credentials straight from PEM files, bypassing loadTlsMaterial's checks: what an attacker's or a
// misconfigured client would present.
std::shared_ptr<grpc::ChannelCredentials> rawCredentials(const std::string& ca, const std::string& cert,
                                                         const std::string& key) {
  grpc::SslCredentialsOptions o;
  o.pem_root_certs = readAll(ca);
  if (!cert.empty()) o.pem_cert_chain = readAll(cert);
  if (!key.empty()) o.pem_private_key = readAll(key);
  return grpc::SslCredentials(o);
}

}  // namespace

class TestTlsCredentials : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string dir_, otherDir_;
  IssuedCertificate coordinator_, siteA_, siteB_, expired_, future_, foreign_;

  std::string path(const char* name) const { return dir_ + "/" + name; }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    dir_ = tmp_.filePath("ca").toStdString();
    otherDir_ = tmp_.filePath("other-ca").toStdString();
    auto ca = CertificateAuthority::create(dir_, "consortium");
    coordinator_ = ca.issueCoordinator({"127.0.0.1", "localhost"});
    siteA_ = ca.issueSite("site-a");
    siteB_ = ca.issueSite("site-b");
    const int64_t now = int64_t(std::time(nullptr));
    expired_ = ca.issueSite("site-expired", Validity{now - 10 * 86400, 1});
    future_ = ca.issueSite("site-future", Validity{now + 10 * 86400, 1});
    auto other = CertificateAuthority::create(otherDir_, "intruders");
    foreign_ = other.issueSite("site-a");  // same name, wrong CA
  }

  void validFilesLoad() {
    const TlsMaterial server = loadTlsMaterial(filesOf(coordinator_), TlsRole::Server);
    QVERIFY(server.certPem.find("BEGIN CERTIFICATE") != std::string::npos);
    QVERIFY(server.keyPem.find("PRIVATE KEY") != std::string::npos);
    loadTlsMaterial(filesOf(siteA_), TlsRole::Client);
  }

  void badInputIsRefusedNamingTheFile_data() {
    QTest::addColumn<QString>("role");  // "server" or "client"
    QTest::addColumn<QString>("ca");
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("namedFile");
    QTest::addColumn<QString>("reason");
    const auto q = [](const std::string& s) { return QString::fromStdString(s); };
    const QString ca = q(siteA_.caFile), cert = q(siteA_.certFile), key = q(siteA_.keyFile);
    const QString missing = q(path("nothing-here.pem"));
    const QString text = q(path("not-pem.txt")), broken = q(path("broken.pem"));
    const QString openKey = q(path("open-key.pem")), groupKey = q(path("group-key.pem"));
    QTest::newRow("CA missing") << "client" << missing << cert << key << missing << "CA certificate file missing";
    QTest::newRow("certificate missing") << "client" << ca << missing << key << missing << "certificate file missing";
    QTest::newRow("key missing") << "client" << ca << cert << missing << missing << "private key file missing";
    QTest::newRow("CA is a folder") << "client" << q(dir_) << cert << key << q(dir_) << "not a regular file";
    QTest::newRow("CA not PEM") << "client" << text << cert << key << text << "not PEM";
    QTest::newRow("certificate not PEM") << "client" << ca << text << key << text << "not PEM";
    QTest::newRow("key not PEM") << "client" << ca << cert << text << text << "not PEM";
    QTest::newRow("certificate PEM that does not parse")
        << "client" << ca << broken << key << broken << "does not parse as an X.509 certificate";
    QTest::newRow("CA PEM that does not parse")
        << "client" << broken << cert << key << broken << "does not parse as an X.509 certificate";
    QTest::newRow("key of another site") << "client" << ca << cert << q(siteB_.keyFile) << q(siteB_.keyFile)
                                         << "does not match the certificate";
    QTest::newRow("certificate of another CA") << "client" << ca << q(foreign_.certFile) << q(foreign_.keyFile)
                                               << q(foreign_.certFile) << "not signed by the consortium CA";
    QTest::newRow("expired") << "client" << ca << q(expired_.certFile) << q(expired_.keyFile) << q(expired_.certFile)
                             << "expired on";
    QTest::newRow("not yet valid") << "client" << ca << q(future_.certFile) << q(future_.keyFile) << q(future_.certFile)
                                   << "not valid before";
    QTest::newRow("world-readable key") << "client" << ca << cert << openKey << openKey << "readable by other users";
    QTest::newRow("group-readable key") << "client" << ca << cert << groupKey << groupKey << "mode 0640";
    QTest::newRow("site certificate as a server")
        << "server" << ca << cert << key << cert << "not meant for a TLS server";
    QTest::newRow("coordinator certificate as a client")
        << "client" << q(coordinator_.caFile) << q(coordinator_.certFile) << q(coordinator_.keyFile)
        << q(coordinator_.certFile) << "not meant for a TLS client";
  }
  void badInputIsRefusedNamingTheFile() {
    QFETCH(QString, role);
    QFETCH(QString, ca);
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, namedFile);
    QFETCH(QString, reason);
    writeAll(path("not-pem.txt"), "this is a note, not a certificate\n");
    writeAll(path("broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");
    writeAll(path("open-key.pem"), readAll(siteA_.keyFile), 0644);
    writeAll(path("group-key.pem"), readAll(siteA_.keyFile), 0640);
    const TlsFiles files{ca.toStdString(), cert.toStdString(), key.toStdString()};
    try {
      loadTlsMaterial(files, role == "server" ? TlsRole::Server : TlsRole::Client);
      QFAIL("accepted");
    } catch (const TlsConfigError& e) {
      const QString what = QString::fromStdString(e.what());
      QVERIFY2(what.startsWith(namedFile + ":"), qPrintable(what));
      QVERIFY2(what.contains(reason), qPrintable(what));
    }
    // The credential factories refuse the same way (the coordinator and the site fail at start).
    if (role == "server") QVERIFY_THROWS_EXCEPTION(TlsConfigError, mutualTlsServerCredentials(files));
    else QVERIFY_THROWS_EXCEPTION(TlsConfigError, mutualTlsChannelCredentials(files));
  }

  void unreadableFileIsNamed() {
    if (::geteuid() == 0) QSKIP("root reads any file; the mode cannot make it unreadable here");
    const std::string locked = path("locked.pem");
    writeAll(locked, readAll(siteA_.certFile), 0000);
    try {
      loadTlsMaterial({siteA_.caFile, locked, siteA_.keyFile}, TlsRole::Client);
      QFAIL("accepted");
    } catch (const TlsConfigError& e) {
      QVERIFY2(QString(e.what()).contains(QString::fromStdString(locked) + ": certificate file unreadable"), e.what());
    }
  }

  void siteWithValidCertificateIsKnownByItsCertificate() {
    auto server = tlstest::startServer(mutualTlsServerCredentials(filesOf(coordinator_)));
    QVERIFY(server);
    auto channel = grpc::CreateChannel(server->target(), mutualTlsChannelCredentials(filesOf(siteA_)));
    const auto a = tlstest::whoIs(channel, "site-b");  // the metadata is ignored under TLS
    QVERIFY2(a.status.ok(), a.status.error_message().c_str());
    QCOMPARE(a.siteId, std::string("site-a"));
    QCOMPARE(a.source, std::string("certificate"));
    QCOMPARE(a.fingerprint, siteA_.record.fingerprint);
    QCOMPARE(a.fingerprint, certificateFingerprint(readAll(siteA_.certFile)));
    QCOMPARE(a.fingerprint.size(), size_t(64));
    QCOMPARE(a.serial, siteA_.record.serial);
    // The host name in the certificate counts as well as its IP address.
    auto byName =
        grpc::CreateChannel("localhost:" + std::to_string(server->port), mutualTlsChannelCredentials(filesOf(siteB_)));
    const auto b = tlstest::whoIs(byName);
    QVERIFY2(b.status.ok(), b.status.error_message().c_str());
    QCOMPARE(b.siteId, std::string("site-b"));
  }

  void handshakeRefusals_data() {
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("coordinatorName");
    const auto q = [](const std::string& s) { return QString::fromStdString(s); };
    QTest::newRow("no client certificate") << ""
                                           << ""
                                           << "";
    QTest::newRow("certificate of another CA") << q(foreign_.certFile) << q(foreign_.keyFile) << "";
    QTest::newRow("expired certificate") << q(expired_.certFile) << q(expired_.keyFile) << "";
    QTest::newRow("not yet valid certificate") << q(future_.certFile) << q(future_.keyFile) << "";
    QTest::newRow("coordinator certificate as a client") << q(coordinator_.certFile) << q(coordinator_.keyFile) << "";
    QTest::newRow("coordinator name not in its certificate")
        << q(siteA_.certFile) << q(siteA_.keyFile) << "coordinator.elsewhere.example";
  }
  void handshakeRefusals() {
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, coordinatorName);
    auto server = tlstest::startServer(mutualTlsServerCredentials(filesOf(coordinator_)));
    QVERIFY(server);
    auto channel = grpc::CreateCustomChannel(server->target(),
                                             rawCredentials(siteA_.caFile, cert.toStdString(), key.toStdString()),
                                             coordinatorNameArguments(coordinatorName.toStdString()));
    const auto a = tlstest::whoIs(channel, "site-a");
    QVERIFY2(!a.status.ok(), "the call got through");
    QCOMPARE(a.status.error_code(), grpc::StatusCode::UNAVAILABLE);  // the handshake failed
    QCOMPARE(server->service->calls.load(), 0);                      // and no handler ever ran
  }

  // TLS 1.2 is the oldest the coordinator speaks; what gRPC and OpenSSL 3 negotiate here is TLS 1.3, under which
  // the client certificate (the site's name) travels encrypted (docs/federation.md, "Security").
  void oldTlsIsRefused() {
    auto server = tlstest::startServer(mutualTlsServerCredentials(filesOf(coordinator_)));
    QVERIFY(server);
    QCOMPARE(handshakeVersion(server->port, siteA_, TLS1_1_VERSION), 0);
    QCOMPARE(handshakeVersion(server->port, siteA_, TLS1_2_VERSION), TLS1_2_VERSION);
    QCOMPARE(handshakeVersion(server->port, siteA_, TLS1_3_VERSION), TLS1_3_VERSION);
  }

  void coordinatorNameOverrideIsChecked() {
    auto server = tlstest::startServer(mutualTlsServerCredentials(filesOf(coordinator_)));
    QVERIFY(server);
    auto channel = grpc::CreateCustomChannel(server->target(), mutualTlsChannelCredentials(filesOf(siteA_)),
                                             coordinatorNameArguments("localhost"));
    const auto a = tlstest::whoIs(channel);
    QVERIFY2(a.status.ok(), a.status.error_message().c_str());
  }

  void loopbackAddresses_data() {
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("loopback");
    QTest::newRow("127.0.0.1") << "127.0.0.1:50051" << true;
    QTest::newRow("127.8.9.10") << "127.8.9.10:1" << true;
    QTest::newRow("localhost") << "localhost:50051" << true;
    QTest::newRow("LocalHost") << "LocalHost:0" << true;
    QTest::newRow("[::1]") << "[::1]:50051" << true;
    QTest::newRow("ipv4 scheme") << "ipv4:127.0.0.1:5" << true;
    QTest::newRow("dns scheme") << "dns:///localhost:5" << true;
    QTest::newRow("v4-mapped") << "[::ffff:127.0.0.1]:5" << true;
    QTest::newRow("unix socket") << "unix:/tmp/fedmrg.sock" << true;
    QTest::newRow("0.0.0.0") << "0.0.0.0:50051" << false;
    QTest::newRow("[::]") << "[::]:50051" << false;
    QTest::newRow("LAN address") << "192.168.1.5:50051" << false;
    QTest::newRow("public name") << "coordinator.example.org:443" << false;
    QTest::newRow("localhost lookalike") << "localhost.example.org:1" << false;
    QTest::newRow("no host") << ":50051" << false;
    QTest::newRow("dns authority") << "dns://8.8.8.8/coordinator.example.org:1" << false;
  }
  void loopbackAddresses() {
    QFETCH(QString, address);
    QFETCH(bool, loopback);
    QCOMPARE(isLoopbackAddress(address.toStdString()), loopback);
  }

  void plaintextNeedsTheFlagAndLoopback() {
    QVERIFY(plaintextRefusal("127.0.0.1:0", true).empty());
    const std::string noFlag = plaintextRefusal("127.0.0.1:0", false);
    QVERIFY2(noFlag.find("insecure-loopback flag") != std::string::npos, noFlag.c_str());
    const std::string wide = plaintextRefusal("0.0.0.0:50051", true);
    QVERIFY2(
        wide.find("'0.0.0.0:50051'") != std::string::npos && wide.find("not a loopback address") != std::string::npos,
        wide.c_str());
    QVERIFY_THROWS_EXCEPTION(TlsConfigError, insecureLoopbackServerCredentials("0.0.0.0:0", true));
    QVERIFY_THROWS_EXCEPTION(TlsConfigError, insecureLoopbackServerCredentials("127.0.0.1:0", false));
    QVERIFY_THROWS_EXCEPTION(TlsConfigError, insecureLoopbackChannelCredentials("10.0.0.1:50051", true));
  }

  // What the programs call with their configuration: TLS files, or the flag on loopback, never both or neither.
  void configurationPicksTheCredentials() {
    const TlsFiles none;
    QVERIFY(coordinatorCredentials("127.0.0.1:0", none, true));
    QVERIFY(siteCredentials("localhost:50051", none, true));
    QVERIFY(coordinatorCredentials("0.0.0.0:50051", filesOf(coordinator_), false));
    QVERIFY(siteCredentials("coordinator.example.org:443", filesOf(siteA_), false));
    const auto refusal = [](const std::function<void()>& f) {
      try {
        f();
      } catch (const TlsConfigError& e) {
        return std::string(e.what());
      }
      return std::string("accepted");
    };
    QVERIFY(refusal([&] { coordinatorCredentials("0.0.0.0:0", none, true); }).find("not a loopback") !=
            std::string::npos);
    QVERIFY(refusal([&] { coordinatorCredentials("127.0.0.1:0", filesOf(coordinator_), true); }).find("choose one") !=
            std::string::npos);
    QVERIFY(refusal([&] { siteCredentials("127.0.0.1:1", filesOf(siteA_), true); }).find("choose one") !=
            std::string::npos);
    QCOMPARE(refusal([&] { coordinatorCredentials("127.0.0.1:0", none, false); }),
             std::string("no CA certificate file given"));
    QVERIFY(refusal([&] {
              siteCredentials("127.0.0.1:1", filesOf(coordinator_), false);
            }).find("not meant for a TLS client") != std::string::npos);
  }

  void plaintextOnLoopbackTakesTheSiteFromMetadata() {
    auto server = tlstest::startServer(insecureLoopbackServerCredentials("127.0.0.1:0", true), true);
    QVERIFY(server);
    auto channel = grpc::CreateChannel(server->target(), insecureLoopbackChannelCredentials(server->target(), true));
    const auto a = tlstest::whoIs(channel, "site-dev");
    QVERIFY2(a.status.ok(), a.status.error_message().c_str());
    QCOMPARE(a.siteId, std::string("site-dev"));
    QCOMPARE(a.source, std::string("metadata"));
    QVERIFY(a.fingerprint.empty());
    // Without the metadata the caller has no identity.
    const auto none = tlstest::whoIs(channel);
    QCOMPARE(none.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }

  void metadataNeverNamesTheSiteOutsideInsecureMode() {
    // A plaintext server that was not started in insecure mode ignores "fedmrg-site-id".
    auto server = tlstest::startServer(grpc::InsecureServerCredentials(), false);
    QVERIFY(server);
    auto channel = grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials());
    QCOMPARE(tlstest::whoIs(channel, "site-a").status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
};

QTEST_GUILESS_MAIN(TestTlsCredentials)
#include "tst_tls_credentials.moc"
