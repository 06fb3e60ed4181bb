#include "app/site/site_store.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <cstring>
#include <fstream>
#include <map>

namespace fedmrg::app {
namespace {

constexpr const char* kMigrationDir = ":/fedmrg/sql";

std::string errorOf(sqlite3* db) { return db ? sqlite3_errmsg(db) : "out of memory"; }

// Migrations shipped as resources, named NNN_description.sql, by version.
std::map<int, QString> migrationFiles() {
  std::map<int, QString> files;
  static const QRegularExpression name(QStringLiteral("^(\\d+)_.*\\.sql$"));
  for (const QString& entry : QDir(QString::fromLatin1(kMigrationDir)).entryList(QDir::Files)) {
    const auto m = name.match(entry);
    if (m.hasMatch()) files[m.captured(1).toInt()] = QString::fromLatin1(kMigrationDir) + "/" + entry;
  }
  return files;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
Statement::Statement(sqlite3* db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), int(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    throw StoreError("cannot prepare statement: " + errorOf(db_));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

static void checkBind(sqlite3* db, int rc) {
  if (rc != SQLITE_OK) throw StoreError("cannot bind a value: " + errorOf(db));
}

Statement& Statement::bind(int index, const std::string& value) {
  checkBind(db_, sqlite3_bind_text(stmt_, index, value.data(), int(value.size()), SQLITE_TRANSIENT));
  return *this;
}
Statement& Statement::bind(int index, int64_t value) {
  checkBind(db_, sqlite3_bind_int64(stmt_, index, sqlite3_int64(value)));
  return *this;
}
Statement& Statement::bind(int index, double value) {
  checkBind(db_, sqlite3_bind_double(stmt_, index, value));
  return *this;
}
Statement& Statement::bindNull(int index) {
  checkBind(db_, sqlite3_bind_null(stmt_, index));
  return *this;
}
Statement& Statement::bindBlob(int index, const std::vector<uint8_t>& value) {
  checkBind(db_, sqlite3_bind_blob(stmt_, index, value.data(), int(value.size()), SQLITE_TRANSIENT));
  return *this;
}
Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, *value) : bindNull(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw StoreError("statement failed: " + errorOf(db_));
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}
int64_t Statement::int64(int column) const { return int64_t(sqlite3_column_int64(stmt_, column)); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::vector<uint8_t> Statement::blob(int column) const {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  return p ? std::vector<uint8_t>(p, p + sqlite3_column_bytes(stmt_, column)) : std::vector<uint8_t>();
}

// ---------------------------------------------------------------------------------------------
bool SiteStore::hasPlainSqliteHeader(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  if (!in.read(header, sizeof header)) return false;
  return std::memcmp(header, "SQLite format 3", 16) == 0;  // 15 characters and the NUL
}

std::unique_ptr<SiteStore> SiteStore::open(const std::string& path, const std::string& passphrase,
                                           bool create) {
  if (passphrase.empty()) throw StoreError(path + ": a passphrase is required; the store is always encrypted");
  const bool existed = QFile::exists(QString::fromStdString(path));
  if (!existed && !create) throw StoreError(path + ": no site store at this path");
  if (existed && hasPlainSqliteHeader(path))
    throw StoreError(path + ": the file is a plain, unencrypted SQLite database; refusing to open it");
  // SQLCipher treats an empty file as a new database: that would silently replace a lost store.
  if (existed && QFileInfo(QString::fromStdString(path)).size() == 0)
    throw StoreError(
        path + ": the file is empty (zero bytes); it is not a site store, refusing to start a new one in its place");
  if (!existed) {  // created owner-only before SQLite writes a byte into it, whatever the umask
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) throw StoreError(path + ": cannot create the store file");
    ::fchmod(fd, S_IRUSR | S_IWUSR);
    ::close(fd);
  }

  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    const std::string reason = errorOf(db);
    sqlite3_close(db);
    throw StoreError(path + ": cannot open: " + reason);
  }
  std::unique_ptr<SiteStore> store(new SiteStore(db, path));

  if (sqlite3_key(db, passphrase.data(), int(passphrase.size())) != SQLITE_OK)
    throw StoreError(path + ": cannot set the key: " + errorOf(db));
  // The format pinned explicitly (SQLCipher 3.4's defaults: AES-256-CBC, HMAC-SHA1 per page, PBKDF2-
  // HMAC-SHA1 with 64,000 iterations, 1024-byte pages), so a library with other defaults (SQLCipher 4)
  // still opens every existing store instead of reading it as a foreign file.
  for (const char* pragma : {"PRAGMA cipher = 'aes-256-cbc'", "PRAGMA kdf_iter = 64000",
                             "PRAGMA cipher_page_size = 1024", "PRAGMA cipher_use_hmac = ON"}) {
    if (sqlite3_exec(db, pragma, nullptr, nullptr, nullptr) != SQLITE_OK)
      throw StoreError(path + ": cannot pin the encryption parameters (" + pragma + "): " + errorOf(db));
  }
  // Fail closed when the SQLCipher codec is not the sqlite3 in use (plain SQLite linked first).
  const auto cipher = store->queryText("PRAGMA cipher_version");
  if (!cipher || cipher->empty())
    throw StoreError(path + ": SQLCipher is not active in this process (PRAGMA cipher_version is empty); "
                            "refusing to use an unencrypted database");

  // The first read decrypts page 1: a wrong key reports "file is not a database".
  char* err = nullptr;
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string reason = err ? err : "unknown error";
    sqlite3_free(err);
    throw StoreError(path + ": wrong passphrase, or the file is not a FedMRG site store (" + reason + ")");
  }
  // An encrypted database this passphrase opens but that no FedMRG build made: no schema version,
  // yet tables. Refused rather than migrated into.
  if (existed && store->schemaVersion() == 0 && store->queryInt("SELECT count(*) FROM sqlite_master") > 0)
    throw StoreError(path + ": the file is an encrypted database but not a FedMRG site store (no schema version)");
  if (existed && store->schemaVersion() == 0)
    throw StoreError(path + ": the file holds no FedMRG site store (an empty database)");
  sqlite3_busy_timeout(db, 5000);
  store->exec("PRAGMA foreign_keys = ON");
  // WAL with synchronous=FULL: a commit that returned is on disk, a killed process loses nothing.
  const auto mode = store->queryText("PRAGMA journal_mode = WAL");
  if (!mode || *mode != "wal") throw StoreError(path + ": cannot enable the write-ahead log");
  store->exec("PRAGMA synchronous = FULL");
  store->migrate();
  if (!existed) {
    store->exec("PRAGMA wal_checkpoint(FULL)");
    if (hasPlainSqliteHeader(path))
      throw StoreError(path + ": the new store was written unencrypted; refusing to use it");
  }
  return store;
}

SiteStore::SiteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

SiteStore::~SiteStore() { sqlite3_close_v2(db_); }

std::string SiteStore::cipherVersion() const {
  return const_cast<SiteStore*>(this)->queryText("PRAGMA cipher_version").value_or("");
}

int SiteStore::schemaVersion() const { return int(const_cast<SiteStore*>(this)->queryInt("PRAGMA user_version")); }

int SiteStore::latestSchemaVersion() {
  const auto files = migrationFiles();
  return files.empty() ? 0 : files.rbegin()->first;
}

void SiteStore::migrate() {
  const auto files = migrationFiles();
  if (files.empty()) throw StoreError(path_ + ": no schema migrations are built into this program");
  const int current = schemaVersion();
  if (current > files.rbegin()->first)
    throw StoreError(path_ + ": the store has schema version " + std::to_string(current) +
                     ", newer than this program knows (" + std::to_string(files.rbegin()->first) + ")");
  for (const auto& [version, file] : files) {
    if (version <= current) continue;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) throw StoreError("cannot read migration " + file.toStdString());
    const std::string sql = f.readAll().toStdString();
    Transaction tx(*this);
    try {
      exec(sql);
    } catch (const StoreError& e) {
      throw StoreError(path_ + ": migration " + file.toStdString() + " failed: " + e.what());
    }
    exec("PRAGMA user_version = " + std::to_string(version));
    tx.commit();
  }
}

void SiteStore::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string reason = err ? err : errorOf(db_);
    sqlite3_free(err);
    throw StoreError(reason);
  }
}

Statement SiteStore::prepare(const std::string& sql) { return Statement(db_, sql); }

int64_t SiteStore::lastInsertId() const { return int64_t(sqlite3_last_insert_rowid(db_)); }

int SiteStore::changes() const { return sqlite3_changes(db_); }

std::optional<std::string> SiteStore::queryText(const std::string& sql) {
  Statement st(db_, sql);
  if (!st.step() || st.isNull(0)) return std::nullopt;
  return st.text(0);
}

int64_t SiteStore::queryInt(const std::string& sql) {
  Statement st(db_, sql);
  return st.step() ? st.int64(0) : 0;
}

std::string SiteStore::integrityCheck() {
  Statement st(db_, "PRAGMA integrity_check");
  std::string result;
  for (int n = 0; st.step() && n < 5; ++n) result += (result.empty() ? "" : "; ") + st.text(0);
  return result;
}

std::optional<std::string> SiteStore::setting(const std::string& key) {
  Statement st(db_, "SELECT value FROM settings WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void SiteStore::setSetting(const std::string& key, const std::string& value) {
  Statement st(db_, "INSERT OR REPLACE INTO settings(key, value) VALUES(?, ?)");
  st.bind(1, key).bind(2, value).run();
}

SiteStore::Transaction::Transaction(SiteStore& store) : store_(store), lock_(store.transactionMutex_) {
  store_.exec("BEGIN IMMEDIATE");
}

SiteStore::Transaction::~Transaction() {
  if (!done_) {
    try {
      store_.exec("ROLLBACK");
    } catch (...) {  // the connection already rolled back
    }
  }
}

void SiteStore::Transaction::commit() {
  store_.exec("COMMIT");
  done_ = true;
}

}  // namespace fedmrg::app
