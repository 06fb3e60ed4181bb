#pragma once
// The site's encrypted database: SQLCipher 3.4 through its C API. It fails closed: it never opens
// or creates a file that would not be encrypted, and every schema change is a versioned migration.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace fedmrg::app {

// Every store failure; what() names the file (never its content) and the reason.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A prepared statement. Bind indexes start at 1, column indexes at 0.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
  Statement& bind(int index, double value);
  Statement& bindNull(int index);
  Statement& bindBlob(int index, const std::vector<uint8_t>& value);
  // Binds a string, or NULL when absent.
  Statement& bind(int index, const std::optional<std::string>& value);

  // Advances; true while a row is available. Throws StoreError on failure.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::string text(int column) const;
  int64_t int64(int column) const;
  double real(int column) const;
  bool isNull(int column) const;
  std::vector<uint8_t> blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SiteStore {
 public:
  // Opens (or creates, when absent and `create` is set) the store at `path` with `passphrase`,
  // then applies pending migrations. Throws StoreError for: an empty passphrase, a plain
  // (unencrypted) SQLite file, SQLCipher not active in the process, a wrong passphrase.
  static std::unique_ptr<SiteStore> open(const std::string& path, const std::string& passphrase,
                                         bool create = true);
  ~SiteStore();
  SiteStore(const SiteStore&) = delete;
  SiteStore& operator=(const SiteStore&) = delete;

  const std::string& path() const { return path_; }
  // Value of PRAGMA cipher_version (non-empty: checked at open).
  std::string cipherVersion() const;
  // PRAGMA user_version after migrations.
  int schemaVersion() const;
  // The newest schema version shipped with this build.
  static int latestSchemaVersion();

  void exec(const std::string& sql);
  Statement prepare(const std::string& sql);
  int64_t lastInsertId() const;
  int changes() const;

  // One-value helpers.
  std::optional<std::string> queryText(const std::string& sql);
  int64_t queryInt(const std::string& sql);

  // "ok" when PRAGMA integrity_check passes, otherwise its first messages.
  std::string integrityCheck();

  // Key-value site settings (table `settings`).
  std::optional<std::string> setting(const std::string& key);
  void setSetting(const std::string& key, const std::string& value);

  // RAII transaction: commits in commit(), rolls back when destroyed without commit. One
  // connection serves every thread: a transaction holds the store's lock, so another thread's
  // transaction waits for it instead of failing with "transaction within a transaction".
  class Transaction {
   public:
    explicit Transaction(SiteStore& store);
    ~Transaction();
    void commit();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

   private:
    SiteStore& store_;
    std::unique_lock<std::recursive_mutex> lock_;
    bool done_ = false;
  };

  // True when the file at `path` starts with the plain SQLite header (i.e. is NOT encrypted).
  static bool hasPlainSqliteHeader(const std::string& path);

 private:
  SiteStore(sqlite3* db, std::string path);
  void migrate();
  sqlite3* db_;
  std::string path_;
  std::recursive_mutex transactionMutex_;
};

}  // namespace fedmrg::app
