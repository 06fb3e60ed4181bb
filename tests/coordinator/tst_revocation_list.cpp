// The revocation list counts only when the consortium CA signed it: a CRL from another CA, or one forged
// with the CA's name but another key, is refused naming the file, as are missing and non-PEM files.
#include <QtTest>

#include <fstream>

#include "coordinator/certificate_authority.h"
#include "coordinator/revocation_list.h"

using namespace fedmrg::coordinator;

class TestRevocationList : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

  std::string file(const char* name) const { return tmp_.filePath(name).toStdString(); }

  static void expectRefusal(const std::string& crl, const std::string& ca, const QString& start) {
    try {
      RevocationList::load(crl, ca);
      QFAIL("accepted");
    } catch (const RevocationError& e) {
      QVERIFY2(QString(e.what()).startsWith(start), e.what());
    }
  }

 private slots:
  void listsTheRevokedSerials() {
    auto ca = CertificateAuthority::create(file("ca"), "consortium");
    const auto a = ca.issueSite("site-a");
    const auto b = ca.issueSite("site-b");
    ca.revoke("site-a");
    const auto list = RevocationList::load(ca.crlFile(), ca.caCertFile());
    QCOMPARE(list.size(), size_t(1));
    QVERIFY(list.isRevoked(a.record.serial));
    QVERIFY(!list.isRevoked(b.record.serial));
    QVERIFY(!RevocationList().isRevoked(a.record.serial));
  }

  void refusesWhatTheCaDidNotSign() {
    auto ca = CertificateAuthority::create(file("ca2"), "consortium");
    auto other = CertificateAuthority::create(file("other"), "intruders");
    auto twin = CertificateAuthority::create(file("twin"), "consortium");  // same name, another key
    expectRefusal(other.crlFile(), ca.caCertFile(),
                  QString::fromStdString(other.crlFile()) + ": not issued by the consortium CA");
    expectRefusal(twin.crlFile(), ca.caCertFile(),
                  QString::fromStdString(twin.crlFile()) + ": its signature does not verify");
    expectRefusal(file("missing.pem"), ca.caCertFile(), QString::fromStdString(file("missing.pem")) + ": cannot read");
    std::ofstream(file("note.txt")) << "not a CRL\n";
    expectRefusal(file("note.txt"), ca.caCertFile(),
                  QString::fromStdString(file("note.txt")) + ": not a PEM certificate revocation list");
    expectRefusal(ca.crlFile(), file("note.txt"), QString::fromStdString(file("note.txt")) + ": not a PEM certificate");
  }
};

QTEST_GUILESS_MAIN(TestRevocationList)
#include "tst_revocation_list.moc"
