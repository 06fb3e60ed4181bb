// The consortium CA in a temporary folder: what it writes (certificates that verify, the names and usages
// they carry, keys only its owner can read), what it refuses (a second CA in the same folder, bad names, a
// second live certificate for one site, a CA key others can read, a damaged index), and revocation into a
// CRL signed by the CA.
#include <QtTest>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <fstream>

#include "coordinator/certificate_authority.h"
#include "coordinator/revocation_list.h"
#include "federation/peer_identity.h"
#include "federation/tls_credentials.h"

using namespace fedmrg::coordinator;
using fedmrg::federation::TlsRole;

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

unsigned modeOf(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return unsigned(st.st_mode & 0777);
}

// The certificate's subject alternative names as "DNS:x" / "IP:a.b.c.d", its common name and its EKU bits.
struct Parsed {
  QStringList names;
  QString commonName;
  uint32_t extendedUsage = 0;
  bool isCa = false;
};

Parsed parse(const std::string& pemFile) {
  const std::string pem = readAll(pemFile);
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  Parsed p;
  if (!cert) return p;
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  p.commonName = cn;
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans, i);
    if (n->type == GEN_DNS)
      p.names << "DNS:" + QString::fromLatin1(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)));
    if (n->type == GEN_IPADD && ASN1_STRING_length(n->d.iPAddress) == 4) {
      const unsigned char* b = ASN1_STRING_get0_data(n->d.iPAddress);
      p.names << QString("IP:%1.%2.%3.%4").arg(b[0]).arg(b[1]).arg(b[2]).arg(b[3]);
    }
  }
  GENERAL_NAMES_free(sans);
  p.extendedUsage = X509_get_extended_key_usage(cert);
  p.isCa = X509_check_ca(cert) != 0;
  X509_free(cert);
  return p;
}

}  // namespace

class TestCertificateAuthority : public QObject {
  Q_OBJECT

 private slots:
  void createWritesACaWithAPrivateKey() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("ca").toStdString();
    auto ca = CertificateAuthority::create(dir, "consortium", Validity{0, 30});
    QCOMPARE(modeOf(dir + "/ca.key"), 0600u);
    QCOMPARE(modeOf(dir), 0700u);
    const Parsed p = parse(ca.caCertFile());
    QVERIFY(p.isCa);
    QCOMPARE(p.commonName, QString("consortium"));
    const auto list = ca.list();
    QCOMPARE(list.size(), size_t(1));
    QCOMPARE(list[0].kind, std::string("ca"));
    QCOMPARE(list[0].notAfter - list[0].notBefore, int64_t(30) * 86400);
    QCOMPARE(list[0].fingerprint, fedmrg::federation::certificateFingerprint(readAll(ca.caCertFile())));
    // An empty CRL exists from the start, so a coordinator can be configured with it at once.
    QCOMPARE(RevocationList::load(ca.crlFile(), ca.caCertFile()).size(), size_t(0));
    // A second CA in the same folder would orphan every certificate issued so far.
    try {
      CertificateAuthority::create(dir, "consortium");
      QFAIL("a second CA replaced the first");
    } catch (const CaError& e) {
      QVERIFY2(QString(e.what()).contains("a CA already exists"), e.what());
    }
  }

  void rsaKeysWork() {
    QTemporaryDir tmp;
    auto ca = CertificateAuthority::create(tmp.filePath("ca").toStdString(), "consortium", {}, KeyType::Rsa3072);
    const auto site = ca.issueSite("site-rsa", {}, KeyType::Rsa3072);
    QVERIFY(readAll(ca.caCertFile()).find("BEGIN CERTIFICATE") != std::string::npos);
    fedmrg::federation::loadTlsMaterial({site.caFile, site.certFile, site.keyFile}, TlsRole::Client);
  }

  void coordinatorCertificateNamesItsHosts() {
    QTemporaryDir tmp;
    auto ca = CertificateAuthority::create(tmp.filePath("ca").toStdString(), "consortium");
    const auto c = ca.issueCoordinator({"coordinator.example.org", "10.1.2.3"}, Validity{0, 90});
    const Parsed p = parse(c.certFile);
    QCOMPARE(p.commonName, QString("coordinator.example.org"));
    QCOMPARE(p.names, QStringList({"DNS:coordinator.example.org", "IP:10.1.2.3"}));
    QVERIFY(p.extendedUsage & XKU_SSL_SERVER);
    QVERIFY(!(p.extendedUsage & XKU_SSL_CLIENT));
    QVERIFY(!p.isCa);
    QCOMPARE(modeOf(c.keyFile), 0600u);
    QCOMPARE(readAll(c.caFile), readAll(ca.caCertFile()));
    fedmrg::federation::loadTlsMaterial({c.caFile, c.certFile, c.keyFile}, TlsRole::Server);
    QCOMPARE(c.record.notAfter - c.record.notBefore, int64_t(90) * 86400);
    QVERIFY_THROWS_EXCEPTION(CaError, ca.issueCoordinator({}));
    try {
      ca.issueCoordinator({"bad host/name"});
      QFAIL("accepted");
    } catch (const CaError& e) {
      QVERIFY2(QString(e.what()).startsWith("host 'bad host/name'"), e.what());
    }
  }

  void siteCertificateCarriesTheSiteId() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("ca").toStdString();
    auto ca = CertificateAuthority::create(dir, "consortium");
    const auto s = ca.issueSite("hospital-7");
    QCOMPARE(QString::fromStdString(s.certFile), QString::fromStdString(dir + "/sites/hospital-7/cert.pem"));
    const Parsed p = parse(s.certFile);
    QCOMPARE(p.commonName, QString("hospital-7"));
    QVERIFY(p.extendedUsage & XKU_SSL_CLIENT);
    QVERIFY(!(p.extendedUsage & XKU_SSL_SERVER));
    QCOMPARE(modeOf(s.keyFile), 0600u);
    QCOMPARE(s.record.fingerprint, fedmrg::federation::certificateFingerprint(readAll(s.certFile)));
    QCOMPARE(s.record.serial, fedmrg::federation::certificateSerial(readAll(s.certFile)));
    fedmrg::federation::loadTlsMaterial({s.caFile, s.certFile, s.keyFile}, TlsRole::Client);

    // Issuing again renews: a new key and serial, valid from later than the first (the coordinator's way of
    // telling the renewal from the older certificate), while the first stays valid until it is revoked.
    const auto renewed = ca.issueSite("hospital-7");
    QVERIFY(renewed.record.serial != s.record.serial);
    QVERIFY(renewed.record.fingerprint != s.record.fingerprint);
    QVERIFY(renewed.record.notBefore > s.record.notBefore);
    QCOMPARE(fedmrg::federation::certificateNotBefore(readAll(renewed.certFile)), renewed.record.notBefore);
    ca.revoke(s.record.serial);
    int live = 0;
    for (const auto& r : ca.list()) live += r.name == "hospital-7" && !r.revoked;
    QCOMPARE(live, 1);

    // Reopened from disk, the index has every certificate with its status.
    const auto reopened = CertificateAuthority::open(dir).list();
    QCOMPARE(reopened.size(), size_t(3));
    QCOMPARE(reopened[1].serial, s.record.serial);
    QVERIFY(reopened[1].revoked);
    QVERIFY(reopened[1].revokedAt > 0);
    QCOMPARE(reopened[2].serial, renewed.record.serial);
    QVERIFY(!reopened[2].revoked);
  }

  void badSiteIdsAreRefused_data() {
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << "";
    QTest::newRow("path") << "../etc";
    QTest::newRow("slash") << "a/b";
    QTest::newRow("space") << "site a";
    QTest::newRow("leading dot") << ".hidden";
    QTest::newRow("too long") << QString(65, 'x');
  }
  void badSiteIdsAreRefused() {
    QFETCH(QString, id);
    QTemporaryDir tmp;
    auto ca = CertificateAuthority::create(tmp.filePath("ca").toStdString(), "consortium");
    try {
      ca.issueSite(id.toStdString());
      QFAIL("accepted");
    } catch (const CaError& e) {
      QVERIFY2(QString(e.what()).startsWith("site id '" + id + "'"), e.what());
    }
    QVERIFY(!QDir(tmp.filePath("ca/sites/" + id)).exists() || id.isEmpty());
  }

  void revokeWritesASignedCrl() {
    QTemporaryDir tmp;
    auto ca = CertificateAuthority::create(tmp.filePath("ca").toStdString(), "consortium");
    const auto a = ca.issueSite("site-a");
    const auto b = ca.issueSite("site-b");
    const auto coordinator = ca.issueCoordinator({"127.0.0.1"});
    const auto revoked = ca.revoke(QString::fromStdString(b.record.serial).toUpper().toStdString());
    QCOMPARE(revoked.size(), size_t(1));
    QCOMPARE(revoked[0].name, std::string("site-b"));
    const auto crl = RevocationList::load(ca.crlFile(), ca.caCertFile());
    QVERIFY(crl.isRevoked(b.record.serial));
    QVERIFY(!crl.isRevoked(a.record.serial));
    QVERIFY(crl.nextUpdate() > int64_t(std::time(nullptr)));
    // The coordinator's certificate can be revoked by serial too; the CA's own cannot.
    ca.revoke(coordinator.record.serial);
    QCOMPARE(RevocationList::load(ca.crlFile(), ca.caCertFile()).size(), size_t(2));
    try {
      ca.revoke(ca.list()[0].serial);
      QFAIL("the CA revoked itself");
    } catch (const CaError& e) {
      QVERIFY2(QString(e.what()).contains("no certificate with serial or live site id"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(CaError, ca.revoke("site-z"));
    QVERIFY_THROWS_EXCEPTION(CaError, ca.revoke("site-b"));  // no live certificate left
  }

  void openRefusesWhatItCannotTrust() {
    QTemporaryDir tmp;
    const std::string dir = tmp.filePath("ca").toStdString();
    try {
      CertificateAuthority::open(dir);
      QFAIL("opened nothing");
    } catch (const CaError& e) {
      QVERIFY2(QString(e.what()).contains("ca.pem: missing"), e.what());
    }
    {
      auto ca = CertificateAuthority::create(dir, "consortium");
      ca.issueSite("site-a");
    }
    const std::string key = dir + "/ca.key";
    ::chmod(key.c_str(), 0644);
    try {
      CertificateAuthority::open(dir);
      QFAIL("opened a CA whose key others can read");
    } catch (const CaError& e) {
      QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(key) + ": the private key is readable"), e.what());
    }
    ::chmod(key.c_str(), 0600);
    const std::string index = dir + "/index.tsv";
    std::ofstream(index, std::ios::app) << "abc\tsite\tbroken\n";
    try {
      CertificateAuthority::open(dir);
      QFAIL("opened a damaged index");
    } catch (const CaError& e) {
      QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(index) + ":4: expected 8"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestCertificateAuthority)
#include "tst_certificate_authority.moc"
