// The encrypted site store: writes and reads, no plain header, wrong passphrase, fails closed.
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <thread>

#include "app/site/site_store.h"

using fedmrg::app::SiteStore;
using fedmrg::app::StoreError;

class TstSiteStore : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string file(const char* name) const { return (dir_.path() + "/" + name).toStdString(); }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void createsWritesAndReadsBack() {
    const auto path = file("site.db");
    {
      auto store = SiteStore::open(path, "correct horse");
      QVERIFY(!store->cipherVersion().empty());
      QCOMPARE(store->schemaVersion(), SiteStore::latestSchemaVersion());
      QVERIFY(store->schemaVersion() >= 1);
      store->setSetting("site.name", "North General");
      auto st = store->prepare("INSERT INTO studies(study_uid, patient_name, imported_at) VALUES(?, ?, ?)");
      st.bind(1, "1.2.3").bind(2, "DOE^JANE").bind(3, "2026-01-01T00:00:00Z").run();
    }
    auto store = SiteStore::open(path, "correct horse", false);
    QCOMPARE(store->setting("site.name").value_or(""), std::string("North General"));
    QCOMPARE(store->queryText("SELECT patient_name FROM studies WHERE study_uid = '1.2.3'").value_or(""),
             std::string("DOE^JANE"));
    QCOMPARE(store->integrityCheck(), std::string("ok"));
  }

  void fileHasNoPlainHeaderAndNoPlainText() {
    const auto path = file("secret.db");
    {
      auto store = SiteStore::open(path, "pw");
      store->setSetting("marker", "PLAINTEXT-MARKER-4711");
      store->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    QVERIFY(!SiteStore::hasPlainSqliteHeader(path));
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.size() > 1024);
    QVERIFY(!bytes.startsWith("SQLite format 3"));
    QVERIFY(!bytes.contains("PLAINTEXT-MARKER-4711"));
    QVERIFY(!bytes.contains("CREATE TABLE"));
  }

  void wrongPassphraseIsAClearError() {
    const auto path = file("locked.db");
    SiteStore::open(path, "right");
    try {
      SiteStore::open(path, "wrong");
      QFAIL("opened with a wrong passphrase");
    } catch (const StoreError& e) {
      QVERIFY2(QString(e.what()).contains("wrong passphrase"), e.what());
      QVERIFY2(QString(e.what()).contains("locked.db"), e.what());
    }
    // The right one still works after a failed try.
    QVERIFY(SiteStore::open(path, "right", false) != nullptr);
  }

  void refusesAnUnencryptedDatabase() {
    const auto path = file("plain.db");
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);  // no key: SQLCipher writes plain SQLite
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    QVERIFY(SiteStore::hasPlainSqliteHeader(path));
    try {
      SiteStore::open(path, "anything");
      QFAIL("opened an unencrypted database");
    } catch (const StoreError& e) {
      QVERIFY2(QString(e.what()).contains("unencrypted"), e.what());
    }
  }

  void refusesAnEmptyPassphraseAndAMissingFile() {
    QVERIFY_THROWS_EXCEPTION(StoreError, SiteStore::open(file("empty.db"), ""));
    QVERIFY(!QFile::exists(QString::fromStdString(file("empty.db"))));
    QVERIFY_THROWS_EXCEPTION(StoreError, SiteStore::open(file("absent.db"), "pw", false));
  }

  void refusesAZeroByteOrForeignStoreInsteadOfStartingANewOne() {
    const auto empty = file("zero.db");
    QFile(QString::fromStdString(empty)).open(QIODevice::WriteOnly);
    try {
      SiteStore::open(empty, "pw", true);
      QFAIL("a zero-byte file became a new store");
    } catch (const StoreError& e) {
      QVERIFY2(QString(e.what()).contains("zero bytes") && QString(e.what()).contains("zero.db"), e.what());
    }
    QCOMPARE(QFileInfo(QString::fromStdString(empty)).size(), 0);  // left as it was
    const auto noise = file("noise.db");
    {
      QFile f(QString::fromStdString(noise));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray(4096, '\x5a'));
    }
    QVERIFY_THROWS_EXCEPTION(StoreError, SiteStore::open(noise, "pw", true));
    // Encrypted with this passphrase, but made by something else: no schema version.
    const auto foreign = file("foreign.db");
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_key(db, "pw", 2), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE other(x); INSERT INTO other VALUES(1);", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    try {
      SiteStore::open(foreign, "pw", true);
      QFAIL("a foreign encrypted database was taken for a site store");
    } catch (const StoreError& e) {
      QVERIFY2(QString(e.what()).contains("not a FedMRG site store"), e.what());
    }
  }

  void pinnedParametersAreInEffect() {
    auto store = SiteStore::open(file("pinned.db"), "pw");
    QCOMPARE(store->queryText("PRAGMA kdf_iter").value_or(""), std::string("64000"));
    QCOMPARE(store->queryText("PRAGMA cipher_page_size").value_or(""), std::string("1024"));
    QCOMPARE(store->queryText("PRAGMA cipher_use_hmac").value_or(""), std::string("1"));
    QCOMPARE(QFileInfo(QString::fromStdString(file("pinned.db"))).permissions() & 0x0077, QFileDevice::Permissions());
  }

  void transactionsFromTwoThreadsWaitForEachOther() {
    auto store = SiteStore::open(file("threads.db"), "pw");
    store->exec("CREATE TABLE counter(n INTEGER)");
    auto work = [&store](int base) {
      for (int i = 0; i < 50; ++i) {
        SiteStore::Transaction tx(*store);
        auto st = store->prepare("INSERT INTO counter(n) VALUES(?)");
        st.bind(1, base + i).run();
        tx.commit();
      }
    };
    std::thread other(work, 1000);
    work(0);  // would throw "cannot start a transaction within a transaction" without the lock
    other.join();
    QCOMPARE(store->queryInt("SELECT count(*) FROM counter"), int64_t(100));
  }

  void transactionRollsBackWhenNotCommitted() {
    auto store = SiteStore::open(file("tx.db"), "pw");
    {
      SiteStore::Transaction tx(*store);
      store->setSetting("k", "v");
    }
    QVERIFY(!store->setting("k").has_value());
    {
      SiteStore::Transaction tx(*store);
      store->setSetting("k", "v");
      tx.commit();
    }
    QCOMPARE(store->setting("k").value_or(""), std::string("v"));
  }
};

QTEST_APPLESS_MAIN(TstSiteStore)
#include "tst_site_store.moc"
