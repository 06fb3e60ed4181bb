// `fedmrg-coordinator certs` end to end through the built program: init, issue-coordinator, issue-site, revoke
// and list in a temporary folder; the files it writes verify as TLS material, the CRL lists what it revoked,
// no private key is ever printed, and bad arguments or a second CA fail with the reason.
#include <QtTest>

#include <sys/stat.h>

#include "coordinator/revocation_list.h"
#include "federation/tls_credentials.h"

namespace {

struct Run {
  int code = -1;
  QString out, err;
};

Run certs(const QStringList& args) {
  QProcess p;
  p.start(FEDMRG_COORDINATOR, QStringList{"certs"} + args);
  if (!p.waitForFinished(60000)) {
    p.kill();
    p.waitForFinished();
    return {};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

unsigned modeOf(const QString& path) {
  struct stat st {};
  ::stat(path.toLocal8Bit().constData(), &st);
  return unsigned(st.st_mode & 0777);
}

// A line of `certs list` for this kind and name: serial, kind, name, status, expiry, fingerprint.
QStringList listed(const QString& listOutput, const QString& kind, const QString& name) {
  for (const QString& line : listOutput.split('\n')) {
    const QStringList f = line.split('\t');
    if (f.size() == 6 && f[1] == kind && f[2] == name) return f;
  }
  return {};
}

}  // namespace

class TestCoordinatorCerts : public QObject {
  Q_OBJECT
  QTemporaryDir shared_;  // a CA for the refusals that need one

 private slots:
  void initTestCase() { QCOMPARE(certs({"init", "--dir", shared_.filePath("ca"), "--name", "c"}).code, 0); }

  void initIssueRevokeList() {
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("consortium-ca");
    QString printed;  // everything the program wrote, to look for key material

    Run r = certs({"init", "--dir", dir, "--name", "fedmrg-consortium", "--days", "100"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    printed += r.out + r.err;
    QVERIFY(r.out.contains("created the consortium CA 'fedmrg-consortium'"));
    QCOMPARE(modeOf(dir + "/ca.key"), 0600u);

    r = certs({"issue-coordinator", "--dir", dir, "--host", "127.0.0.1", "--host", "coordinator.example.org"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    printed += r.out + r.err;
    r = certs({"issue-site", "--dir", dir, "--site", "site-a"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    printed += r.out + r.err;
    QVERIFY(r.out.contains(dir + "/sites/site-a/key.pem (mode 0600"));
    r = certs({"issue-site", "--dir", dir, "--site", "site-b", "--key", "rsa", "--days", "30"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    printed += r.out + r.err;
    for (const QString site : {"site-a", "site-b"}) {
      const QString folder = dir + "/sites/" + site;
      QCOMPARE(modeOf(folder + "/key.pem"), 0600u);
      fedmrg::federation::loadTlsMaterial({(folder + "/ca.pem").toStdString(), (folder + "/cert.pem").toStdString(),
                                           (folder + "/key.pem").toStdString()},
                                          fedmrg::federation::TlsRole::Client);
    }
    fedmrg::federation::loadTlsMaterial(
        {(dir + "/coordinator/ca.pem").toStdString(), (dir + "/coordinator/cert.pem").toStdString(),
         (dir + "/coordinator/key.pem").toStdString()},
        fedmrg::federation::TlsRole::Server);

    r = certs({"list", "--dir", dir});
    QCOMPARE(r.code, 0);
    printed += r.out + r.err;
    const QStringList a = listed(r.out, "site", "site-a");
    QCOMPARE(a.value(3), QString("valid"));
    QCOMPARE(a.value(5).size(), 64);
    QCOMPARE(listed(r.out, "coordinator", "127.0.0.1").value(3), QString("valid"));
    QCOMPARE(listed(r.out, "ca", "fedmrg-consortium").value(3), QString("valid"));

    // Issuing again for a site renews its certificate and says how to revoke the old one, which stays valid
    // until then (the coordinator takes the renewed one for the same site: tst_site_admission).
    r = certs({"issue-site", "--dir", dir, "--site", "site-a"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    printed += r.out + r.err;
    QVERIFY2(r.out.contains("issued a renewed site certificate for 'site-a'"), qPrintable(r.out));
    QVERIFY2(r.out.contains("renews serial " + a[0]), qPrintable(r.out));
    QVERIFY2(r.out.contains("certs revoke --dir " + dir + " --serial " + a[0]), qPrintable(r.out));
    r = certs({"list", "--dir", dir});
    QStringList siteA;
    for (const QString& line : r.out.split('\n'))
      if (line.contains("\tsite\tsite-a\t")) siteA << line;
    QCOMPARE(siteA.size(), 2);
    QVERIFY2(siteA[0].contains("\tvalid\t") && siteA[1].contains("\tvalid\t"), qPrintable(siteA.join('\n')));
    r = certs({"revoke", "--dir", dir, "--serial", a[0]});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("revoked site 'site-a' serial " + a[0]));
    const auto crl =
        fedmrg::coordinator::RevocationList::load((dir + "/crl.pem").toStdString(), (dir + "/ca.pem").toStdString());
    QVERIFY(crl.isRevoked(a[0].toStdString()));
    QCOMPARE(crl.size(), size_t(1));
    r = certs({"list", "--dir", dir});
    QVERIFY(r.out.contains(a[0] + "\tsite\tsite-a\trevoked"));
    QCOMPARE(listed(r.out, "site", "site-b").value(3), QString("valid"));
    // By serial: site-b's certificate.
    const QString serialB = listed(certs({"list", "--dir", dir}).out, "site", "site-b").value(0);
    r = certs({"revoke", "--dir", dir, "--serial", serialB});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(fedmrg::coordinator::RevocationList::load((dir + "/crl.pem").toStdString(), (dir + "/ca.pem").toStdString())
                .isRevoked(serialB.toStdString()));

    QVERIFY(!printed.contains("PRIVATE KEY"));
    QVERIFY(!printed.contains("BEGIN"));
  }

  void badArgumentsAndRefusals_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << 2 << "no command given";
    QTest::newRow("unknown command") << QStringList{"sign"} << 2 << "unknown command 'sign'";
    QTest::newRow("no dir") << QStringList{"list"} << 2 << "--dir DIR is required";
    QTest::newRow("option of another command")
        << QStringList{"list", "--dir", "x", "--site", "a"} << 2 << "'--site' is not an option of 'list'";
    QTest::newRow("missing value") << QStringList{"list", "--dir"} << 2 << "--dir needs a value";
    QTest::newRow("bad days") << QStringList{"init", "--dir", "x", "--name", "c", "--days", "12x"} << 2
                              << "--days must be a whole number";
    QTest::newRow("bad key") << QStringList{"init", "--dir", "x", "--name", "c", "--key", "dsa"} << 2
                             << "--key must be 'ec' or 'rsa'";
    QTest::newRow("init without name") << QStringList{"init", "--dir", "x"} << 2 << "init needs --name";
    QTest::newRow("revoke both") << QStringList{"revoke", "--dir", "x", "--site", "a", "--serial", "1"} << 2
                                 << "either --site ID or --serial HEX";
    QTest::newRow("no CA there") << QStringList{"list", "--dir", "DIR/none"} << 1 << "ca.pem: missing";
    QTest::newRow("second CA") << QStringList{"init", "--dir", "DIR/ca", "--name", "again"} << 1
                               << "a CA already exists";
    QTest::newRow("bad site id") << QStringList{"issue-site", "--dir", "DIR/ca", "--site", "../x"} << 1
                                 << "site id '../x'";
    QTest::newRow("unknown revocation") << QStringList{"revoke", "--dir", "DIR/ca", "--site", "nobody"} << 1
                                        << "no certificate with serial or live site id 'nobody'";
  }
  void badArgumentsAndRefusals() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    args.replaceInStrings("DIR", shared_.path());
    const Run r = certs(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
  }

  void helpAnswers() {
    const Run r = certs({"--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("usage: fedmrg-coordinator certs COMMAND --dir DIR"));
  }
};

QTEST_GUILESS_MAIN(TestCoordinatorCerts)
#include "tst_coordinator_certs.moc"
