// Creating a site is all or nothing: a refused or failed first start leaves no site.db (so the next
// start offers to create the site again), a retry works, and the admin signs in after reopening.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/site.h"
#include "app/site/user_directory.h"

using namespace fedmrg::app;

class TstSiteCreate : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  // Every file under `dir`, relative, sorted: what a failed attempt left behind.
  static QStringList filesUnder(const QString& dir) {
    QStringList out;
    QDir d(dir);
    for (const QFileInfo& info : d.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name))
      out << info.fileName();
    return out;
  }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void refusedInputLeavesNoSiteThenARetryWorks() {
    const QString site = dir_.filePath("first-start");
    QVERIFY_THROWS_EXCEPTION(StoreError, Site::create(site, "passphrase!", "North", "admin", "Admin", "short"));
    QVERIFY(!Site::exists(site));
    QVERIFY2(!QFileInfo::exists(site), "the folder made for the site is gone again");
    QVERIFY_THROWS_EXCEPTION(StoreError, Site::create(site, "passphrase!", "North", "", "Admin", "longenough1"));
    QVERIFY_THROWS_EXCEPTION(StoreError, Site::create(site, "passphrase!", "", "admin", "Admin", "longenough1"));
    QVERIFY_THROWS_EXCEPTION(StoreError, Site::create(site, "", "North", "admin", "Admin", "longenough1"));
    QVERIFY(!QFileInfo::exists(site));
    try {
      Site::create(site, "passphrase!", "North", "admin", "Admin", "short");
      QFAIL("a short admin password was accepted");
    } catch (const StoreError& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains("shorter than 8"), e.what());
    }

    {
      auto created = Site::create(site, "passphrase!", "North", "admin", "Site Admin", "longenough1");
      QVERIFY(created);
      QCOMPARE(created->name(), std::string("North"));
    }
    QVERIFY(Site::exists(site));
    QCOMPARE(filesUnder(site).filter(".creating").size(), 0);
    // After a restart: the admin signs in.
    auto reopened = Site::open(site, "passphrase!");
    const auto admin = UserDirectory(*reopened).authenticate("admin", "longenough1");
    QVERIFY(admin.has_value());
    QVERIFY(admin->has(Role::Admin));
    QCOMPARE(admin->displayName, std::string("Site Admin"));
    QCOMPARE(UserDirectory(*reopened).count(), 1);
    QVERIFY_THROWS_EXCEPTION(StoreError, Site::create(site, "passphrase!", "Again", "admin", "Admin", "longenough1"));
  }

  void failureInAnExistingFolderKeepsWhatWasThere() {
    const QString site = dir_.filePath("existing");
    QVERIFY(QDir().mkpath(site));
    QFile note(QDir(site).filePath("README.txt"));
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.write("the user's own file\n");
    note.close();
    QVERIFY_THROWS_EXCEPTION(StoreError, Site::create(site, "passphrase!", "North", "admin", "Admin", "short"));
    QCOMPARE(filesUnder(site), QStringList({"README.txt"}));
    auto created = Site::create(site, "passphrase!", "North", "admin", "Admin", "longenough1");
    QVERIFY(Site::exists(site));
    QVERIFY(QFileInfo::exists(QDir(site).filePath("README.txt")));
  }

  void aKilledAttemptsLeftoverDoesNotBlockTheNextOne() {
    const QString site = dir_.filePath("killed");
    QVERIFY(QDir().mkpath(site));
    // What a first start killed before its admin existed leaves: a half-built store under its
    // temporary name, never site.db.
    for (const char* name : {".site.db.creating", ".site.db.creating-wal"}) {
      QFile f(QDir(site).filePath(name));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray(4096, 'x'));
    }
    QVERIFY(!Site::exists(site));
    {
      auto created = Site::create(site, "passphrase!", "North", "admin", "Admin", "longenough1");
      QVERIFY(created);
    }
    QCOMPARE(filesUnder(site).filter(".creating").size(), 0);
    auto reopened = Site::open(site, "passphrase!");
    QVERIFY(UserDirectory(*reopened).authenticate("admin", "longenough1").has_value());
  }
};

QTEST_APPLESS_MAIN(TstSiteCreate)
#include "tst_site_create.moc"
