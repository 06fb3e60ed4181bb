// Passwords and sign-in (issue 15, item 6): new hashes are PBKDF2-HMAC-SHA256 with 600,000
// iterations and their parameters stored; a hash from the 60,000-iteration release still verifies and
// is upgraded at the next sign-in; failed sign-ins (for known and unknown names alike) make the next
// attempt wait, growing, and the wait is measured on an injected clock instead of real sleeping.
#include <openssl/evp.h>

#include <QTemporaryDir>
#include <QtTest>

#include "app/site/site.h"
#include "app/site/user_directory.h"

using namespace fedmrg::app;

class TstUserDirectory : public QObject {
  Q_OBJECT

 private slots:
  void newHashesNameTheirParameters() {
    QTemporaryDir dir;
    auto site = Site::create(dir.filePath("s"), "pass phrase", "Users", "admin", "Admin", "adminpass1");
    QCOMPARE(site->store().queryText("SELECT kdf FROM users WHERE username = 'admin'").value_or(""),
             std::string("pbkdf2-sha256:600000"));
    // The stored hash is exactly PBKDF2-HMAC-SHA256(password, salt, 600000).
    auto st = site->store().prepare("SELECT salt, pass_hash FROM users WHERE username = 'admin'");
    QVERIFY(st.step());
    const auto salt = st.blob(0), hash = st.blob(1);
    std::vector<uint8_t> expected(32);
    const std::string pw = "adminpass1";
    QCOMPARE(PKCS5_PBKDF2_HMAC(pw.data(), int(pw.size()), salt.data(), int(salt.size()), 600000, EVP_sha256(), 32,
                               expected.data()),
             1);
    QVERIFY(hash == expected);
    QVERIFY(UserDirectory(*site).authenticate("admin", "adminpass1").has_value());
    QVERIFY(!UserDirectory(*site).authenticate("admin", "adminpass2").has_value());
  }

  void oldHashVerifiesAndIsUpgraded() {
    QTemporaryDir dir;
    auto site = Site::create(dir.filePath("s"), "pass phrase", "Users", "admin", "Admin", "adminpass1");
    // What the previous release stored: 60,000 iterations, and no kdf column (its default names it).
    const std::vector<uint8_t> salt(16, 7);
    std::vector<uint8_t> old(32);
    const std::string pw = "legacypass";
    PKCS5_PBKDF2_HMAC(pw.data(), int(pw.size()), salt.data(), 16, 60000, EVP_sha256(), 32, old.data());
    auto ins = site->store().prepare(
        "INSERT INTO users(username, display_name, role, salt, pass_hash, created_at) VALUES('old', 'Old', "
        "'radiologist', ?, ?, '')");
    ins.bindBlob(1, salt).bindBlob(2, old).run();
    QCOMPARE(site->store().queryText("SELECT kdf FROM users WHERE username = 'old'").value_or(""),
             std::string("pbkdf2-sha256:60000"));
    QVERIFY(UserDirectory(*site).authenticate("old", "legacypass").has_value());
    QCOMPARE(site->store().queryText("SELECT kdf FROM users WHERE username = 'old'").value_or(""),
             std::string("pbkdf2-sha256:600000"));
    QVERIFY(UserDirectory(*site).authenticate("old", "legacypass").has_value());  // the upgraded hash verifies
  }

  void failedSignInsBackOffOnTheInjectedClock() {
    QTemporaryDir dir;
    auto site = Site::create(dir.filePath("s"), "pass phrase", "Users", "admin", "Admin", "adminpass1");
    UserDirectory users(*site);
    QDateTime now = QDateTime::fromString("2026-12-01T10:00:00.000Z", Qt::ISODateWithMs);
    users.setClock([&now] { return now; });
    QCOMPARE(users.signIn("admin", "wrong-1").waitSeconds, 0);
    QCOMPARE(users.signIn("admin", "wrong-2").waitSeconds, 0);
    QCOMPARE(users.signIn("admin", "wrong-3").waitSeconds, 1);
    // During the wait even the right password is refused, unchecked, with the time left.
    const SignInResult early = users.signIn("admin", "adminpass1");
    QVERIFY(!early.user);
    QVERIFY(early.refused);
    QCOMPARE(early.waitSeconds, 1);
    now = now.addSecs(1);
    QCOMPARE(users.signIn("admin", "wrong-4").waitSeconds, 2);
    now = now.addSecs(2);
    QCOMPARE(users.signIn("admin", "wrong-5").waitSeconds, 4);
    now = now.addSecs(4);
    QVERIFY(users.signIn("admin", "adminpass1").user.has_value());
    QCOMPARE(users.signIn("admin", "wrong-after").waitSeconds, 0);  // success reset the count
    // An unknown name backs off the same way: the wait does not reveal which names exist.
    for (int i = 0; i < 2; ++i) QCOMPARE(users.signIn("nobody", "x").waitSeconds, 0);
    QCOMPARE(users.signIn("nobody", "x").waitSeconds, 1);
    QCOMPARE(UserDirectory::backOffSeconds(30), 300);
    QCOMPARE(UserDirectory::backOffSeconds(1000), 300);
  }
};

QTEST_APPLESS_MAIN(TstUserDirectory)
#include "tst_user_directory.moc"
