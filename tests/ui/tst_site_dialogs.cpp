// Start-up: first-start site creation, unlock with a wrong then the right passphrase, sign-in; the
// users dialog adds a user as the signed-in admin.
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/audit_trail.h"
#include "app/site/site.h"
#include "ui/site_dialogs.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

class TstSiteDialogs : public QObject {
  Q_OBJECT

 private slots:
  void createUnlockAndSignIn() {
    QTemporaryDir dir;
    const QString siteDir = dir.filePath("site");
    {
      ui::SetupDialog setup(siteDir);
      setup.siteName->setText("Clinic North");
      setup.passphrase->setText("a long passphrase");
      setup.passphraseAgain->setText("a different one");
      setup.adminUser->setText("admin");
      setup.adminName->setText("Site Admin");
      setup.adminPassword->setText("adminpass1");
      setup.accept();
      QCOMPARE(setup.result(), int(QDialog::Rejected));  // mismatch: still open
      QVERIFY(!app::Site::exists(siteDir));
      setup.passphraseAgain->setText("a long passphrase");
      setup.accept();
      QCOMPARE(setup.result(), int(QDialog::Accepted));
      auto site = setup.takeSite();
      QVERIFY(site);
      QCOMPARE(site->name(), std::string("Clinic North"));
    }
    QVERIFY(app::Site::exists(siteDir));

    ui::UnlockDialog unlock(siteDir);
    QTest::keyClicks(unlock.passphrase, "wrong passphrase");
    unlock.accept();
    QCOMPARE(unlock.result(), int(QDialog::Rejected));
    QCOMPARE(unlock.error()->text(), QString("Wrong passphrase. Try again."));
    QVERIFY(unlock.passphrase->text().isEmpty());
    QTest::keyClicks(unlock.passphrase, "a long passphrase");
    unlock.accept();
    QCOMPARE(unlock.result(), int(QDialog::Accepted));
    auto site = unlock.takeSite();
    QVERIFY(site);

    ui::LoginDialog login(*site);
    login.username->setText("admin");
    login.password->setText("not-it-at-all");
    login.accept();
    QVERIFY(!login.user().has_value());
    QCOMPARE(login.error()->text(), QString("Wrong user name or password."));
    login.password->setText("adminpass1");
    login.accept();
    QVERIFY(login.user().has_value());
    QCOMPARE(login.user()->roles, app::Roles{app::Role::Admin});  // the setup box was left off
    QCOMPARE(login.user()->displayName, std::string("Site Admin"));

    ui::UsersDialog users(*site, *login.user());
    QCOMPARE(users.list->count(), 1);
    users.username->setText("drlee");
    users.displayName->setText("Dr Lee");
    users.password->setText("short");
    QVERIFY(!users.addUser());
    QVERIFY(users.error()->text().contains("shorter than 8"));
    users.password->setText("radiology1");
    QVERIFY(users.addUser());
    QCOMPARE(users.list->count(), 2);
    const auto lee = app::UserDirectory(*site).authenticate("drlee", "radiology1");
    QVERIFY(lee.has_value());
    QCOMPARE(lee->roles, app::Roles{app::Role::Radiologist});
    // The new user is credited to the admin who added it, not to "system".
    app::AuditQuery added;
    added.action = "user.add";
    const auto entries = app::auditLog(*site, added);
    QCOMPARE(int(entries.size()), 2);  // the admin at the site's creation, then drlee
    QCOMPARE(entries.front().user, std::string("admin"));
    QCOMPARE(entries.front().detail, std::string("drlee (radiologist)"));
  }

  // The setup box gives the first admin the radiologist role too; the users dialog adds an admin-only
  // user and changes a user's roles, and refuses to leave a user without a role.
  void rolesInTheDialogs() {
    QTemporaryDir dir;
    ui::SetupDialog setup(dir.filePath("site"));
    setup.siteName->setText("Clinic East");
    setup.passphrase->setText("a long passphrase");
    setup.passphraseAgain->setText("a long passphrase");
    setup.adminUser->setText("drboss");
    setup.adminName->setText("Dr Boss");
    setup.adminPassword->setText("adminpass1");
    QVERIFY(!setup.adminIsRadiologist->isChecked());  // a choice, not a default
    setup.adminIsRadiologist->setChecked(true);
    setup.accept();
    QCOMPARE(setup.result(), int(QDialog::Accepted));
    auto site = setup.takeSite();
    const auto boss = app::UserDirectory(*site).authenticate("drboss", "adminpass1");
    QCOMPARE(boss->roles, (app::Roles{app::Role::Radiologist, app::Role::Admin}));

    ui::UsersDialog users(*site, *boss);
    users.username->setText("it");
    users.password->setText("itpassword1");
    users.radiologistRole->setChecked(false);
    users.adminRole->setChecked(true);
    QVERIFY(users.addUser());
    const int64_t it = app::UserDirectory(*site).authenticate("it", "itpassword1")->id;
    QCOMPARE(app::UserDirectory(*site).find(it)->roles, app::Roles{app::Role::Admin});
    QVERIFY(users.list->findItems("it (it) — admin", Qt::MatchExactly).size() == 1);
    users.list->setCurrentItem(users.list->findItems("it (it) — admin", Qt::MatchExactly).front());
    users.radiologistRole->setChecked(false);
    users.adminRole->setChecked(false);
    QVERIFY(!users.setRoles());
    QVERIFY2(users.error()->text().contains("needs a role"), qPrintable(users.error()->text()));
    users.radiologistRole->setChecked(true);
    users.adminRole->setChecked(true);
    QVERIFY(users.setRoles());
    QCOMPARE(app::UserDirectory(*site).find(it)->roles, (app::Roles{app::Role::Radiologist, app::Role::Admin}));
  }

  // Wrong passphrases and failed sign-ins make the next try wait, and the dialogs say how long; the
  // unlock dialog's clock is injected, so nothing sleeps.
  void failedAttemptsBackOffAndSaySo() {
    QTemporaryDir dir;
    const QString siteDir = dir.filePath("site");
    app::Site::create(siteDir, "a long passphrase", "Clinic", "admin", "Admin", "adminpass1");
    ui::UnlockDialog unlock(siteDir);
    QDateTime now = QDateTime::fromString("2026-12-01T08:00:00.000Z", Qt::ISODateWithMs);
    unlock.backOff() = app::BackOff([&now] { return now; });
    for (int i = 0; i < 3; ++i) {
      unlock.passphrase->setText("wrong");
      unlock.accept();
    }
    QCOMPARE(unlock.error()->text(), QString("Wrong passphrase. Too many failed attempts: wait 1 s before trying again."));
    unlock.passphrase->setText("a long passphrase");  // right, but too early: not even tried
    unlock.accept();
    QCOMPARE(unlock.result(), int(QDialog::Rejected));
    QVERIFY(unlock.error()->text().contains("wait 1 s"));
    now = now.addSecs(1);
    unlock.passphrase->setText("a long passphrase");
    unlock.accept();
    QCOMPARE(unlock.result(), int(QDialog::Accepted));
    auto site = unlock.takeSite();

    ui::LoginDialog login(*site);
    login.username->setText("admin");
    for (int i = 0; i < 3; ++i) {
      login.password->setText("wrong");
      login.accept();
    }
    QVERIFY(!login.user().has_value());
    QVERIFY2(login.error()->text().startsWith("Wrong user name or password. Too many failed attempts: wait "),
             qPrintable(login.error()->text()));
  }

  void shortAdminPasswordLeavesNoSiteAndARetryWorks() {
    QTemporaryDir dir;
    const QString siteDir = dir.filePath("site");
    {
      ui::SetupDialog setup(siteDir);
      setup.siteName->setText("Clinic South");
      setup.passphrase->setText("a long passphrase");
      setup.passphraseAgain->setText("a long passphrase");
      setup.adminUser->setText("admin");
      setup.adminPassword->setText("short");
      setup.accept();
      QCOMPARE(setup.result(), int(QDialog::Rejected));
      QVERIFY2(setup.error()->text().contains("shorter than 8"), qPrintable(setup.error()->text()));
      QVERIFY(!app::Site::exists(siteDir));  // the next start asks to create the site again
      setup.adminPassword->setText("adminpass1");
      setup.accept();
      QCOMPARE(setup.result(), int(QDialog::Accepted));
      QVERIFY(setup.takeSite());
    }
    // A restart: unlock, and the admin signs in.
    ui::UnlockDialog unlock(siteDir);
    unlock.passphrase->setText("a long passphrase");
    unlock.accept();
    QCOMPARE(unlock.result(), int(QDialog::Accepted));
    auto site = unlock.takeSite();
    ui::LoginDialog login(*site);
    login.username->setText("admin");
    login.password->setText("adminpass1");
    login.accept();
    QVERIFY(login.user().has_value());
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstSiteDialogs)
#include "tst_site_dialogs.moc"
