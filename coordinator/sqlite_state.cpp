// CoordinatorState on SQLite, the embedded default: one file in WAL mode with synchronous=FULL, so a
// transaction that returned is on disk (an acknowledged upload survives a SIGKILL or a power loss), and
// readers never block the writer. Writes take the lock up front (BEGIN IMMEDIATE) and wait for another
// writer up to the busy timeout; the duplicate rule is a UNIQUE constraint, so two connections racing
// the same upload cannot both win.
//
// Which SQLite: SQLCipher's libsqlcipher, used without a key (a plain, unencrypted SQLite file). LibTorch
// already drags Debian's plain libsqlite3 into every process that links it, and both export the same
// unversioned sqlite3_* symbols; whichever the loader finds first serves the whole process
// (docs/design.md, section 6). Linking libsqlcipher here keeps one rule for every program: SQLCipher is
// the only SQLite any target links directly, so a process that holds both the coordinator and the site's
// encrypted store (fedmrg-cli, tests) can never fall back to plain SQLite for the encrypted one, and the
// workstation never links plain SQLite. The file format is the same either way; SQLCipher 3.4.1 is
// SQLite 3.15.2, so the SQL here avoids later syntax (no UPSERT, no RETURNING).
#include <sqlite3.h>

#include <map>
#include <mutex>

#include "coordinator/state_factory.h"
#include "coordinator/state_schema.h"

namespace fedmrg::coordinator {

namespace {

constexpr int kBusyTimeoutMs = 10000;

// Binds the statement's one parameter, a round or version number.
auto bindNumber(uint64_t n) {
  return [n](sqlite3_stmt* q) { sqlite3_bind_int64(q, 1, int64_t(n)); };
}

class SqliteState : public CoordinatorState {
 public:
  explicit SqliteState(const std::string& path) : path_(path), name_("sqlite:" + path) {
    if (path.empty()) throw StateError("sqlite: no file given (sqlite:<file>)");
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StateError(name_ + ": cannot open: " + reason);
    }
    try {
      sqlite3_busy_timeout(db_, kBusyTimeoutMs);
      setUp();
    } catch (...) {
      close();
      throw;
    }
  }
  ~SqliteState() override { close(); }

  std::string describe() const override { return name_; }

  void putSite(const SiteRecord& s) override {
    write([&] {
      upsert(
          "UPDATE sites SET cert_fingerprint = ?2, revoked = ?3, joined_at_ms = ?4, last_seen_ms = ?5, "
          "cert_not_before = ?6 WHERE site_id = ?1",
          "INSERT INTO sites (site_id, cert_fingerprint, revoked, joined_at_ms, last_seen_ms, cert_not_before) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          [&](sqlite3_stmt* q) { bindSite(q, s); });
    });
  }
  std::optional<SiteRecord> site(const std::string& siteId) override {
    return first<SiteRecord>(
        std::string(kSiteColumns) + " WHERE site_id = ?1", [&](sqlite3_stmt* q) { bindText(q, 1, siteId); }, readSite);
  }
  std::vector<SiteRecord> sites() override {
    return query<SiteRecord>(std::string(kSiteColumns) + " ORDER BY site_id", noBind, readSite);
  }

  void putRound(const RoundRecord& r) override {
    write([&] { upsertRound(r); });
  }
  std::optional<RoundRecord> round(uint64_t round) override {
    return first<RoundRecord>(std::string(kRoundColumns) + " WHERE round = ?1", bindNumber(round), readRound);
  }
  std::optional<RoundRecord> latestRound() override {
    return first<RoundRecord>(std::string(kRoundColumns) + " ORDER BY round DESC LIMIT 1", noBind, readRound);
  }

  bool recordUpload(const UploadRecord& u) override {
    return write([&] {
      // OR IGNORE: a row that breaks the (round, site) key or the unique idempotency key is skipped, so
      // the duplicate rule is decided by the database under its write lock, never by a read before it.
      auto& i = stmt(
          "INSERT OR IGNORE INTO uploads (round, site_id, idempotency_key, blob_digest, sample_count, "
          "wire_bytes, received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      sqlite3_bind_int64(i, 1, int64_t(u.round));
      bindText(i, 2, u.siteId);
      bindText(i, 3, u.idempotencyKey);
      bindText(i, 4, u.blobDigest);
      sqlite3_bind_int64(i, 5, int64_t(u.sampleCount));
      sqlite3_bind_int64(i, 6, int64_t(u.wireBytes));
      sqlite3_bind_int64(i, 7, u.receivedAtMs);
      run(i);
      return sqlite3_changes(db_) > 0;
    });
  }
  std::optional<UploadRecord> uploadByKey(const std::string& key) override {
    return first<UploadRecord>(
        std::string(kUploadColumns) + " WHERE idempotency_key = ?1", [&](sqlite3_stmt* q) { bindText(q, 1, key); },
        readUpload);
  }
  std::vector<UploadRecord> uploads(uint64_t round) override {
    return query<UploadRecord>(std::string(kUploadColumns) + " WHERE round = ?1 ORDER BY received_at_ms, site_id",
                               bindNumber(round), readUpload);
  }

  void publishGlobal(const GlobalVersion& v, const RoundRecord& closedRound) override {
    write([&] {
      RoundRecord closed = closedRound;
      closed.phase = RoundPhase::Closed;
      upsertRound(closed);
      auto& i = stmt(
          "INSERT OR IGNORE INTO global_versions (version, round, digest_hex, blob_digest, created_at_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5)");
      sqlite3_bind_int64(i, 1, int64_t(v.version));
      sqlite3_bind_int64(i, 2, int64_t(v.round));
      bindText(i, 3, v.digestHex);
      bindText(i, 4, v.blobDigest);
      sqlite3_bind_int64(i, 5, v.createdAtMs);
      run(i);
      // Throwing rolls the round's update back with it.
      if (sqlite3_changes(db_) == 0)
        throw StateError(name_ + ": global version " + std::to_string(v.version) + " is already published");
    });
  }
  std::optional<GlobalVersion> latestGlobal() override {
    return first<GlobalVersion>(std::string(kGlobalColumns) + " ORDER BY version DESC LIMIT 1", noBind, readGlobal);
  }
  std::optional<GlobalVersion> global(uint64_t version) override {
    return first<GlobalVersion>(std::string(kGlobalColumns) + " WHERE version = ?1", bindNumber(version), readGlobal);
  }

  void putValue(const std::string& key, const std::string& value) override {
    write([&] {
      auto& i = stmt("INSERT OR REPLACE INTO named_values (name, value) VALUES (?1, ?2)");
      bindText(i, 1, key);
      bindBlob(i, 2, value);
      run(i);
    });
  }
  std::optional<std::string> value(const std::string& key) override {
    return first<std::string>(
        "SELECT value FROM named_values WHERE name = ?1", [&](sqlite3_stmt* q) { bindText(q, 1, key); },
        [](sqlite3_stmt* q) { return columnBlob(q, 0); });
  }

 private:
  static constexpr const char* kSiteColumns =
      "SELECT site_id, cert_fingerprint, revoked, joined_at_ms, last_seen_ms, cert_not_before FROM sites";
  static constexpr const char* kRoundColumns =
      "SELECT round, phase, base_version, opened_at_ms, deadline_ms, task, note FROM rounds";
  static constexpr const char* kUploadColumns =
      "SELECT round, site_id, idempotency_key, blob_digest, sample_count, wire_bytes, received_at_ms FROM uploads";
  static constexpr const char* kGlobalColumns =
      "SELECT version, round, digest_hex, blob_digest, created_at_ms FROM global_versions";

  // Pragmas, then the schema: a new (empty) file gets it; our own file is migrated forward; anything else
  // is refused and left as it is.
  void setUp() {
    // The first read of the header: a file that is not SQLite fails here ("file is not a database").
    const int64_t applicationId = pragmaInt("PRAGMA application_id");
    const int64_t version = pragmaInt("PRAGMA user_version");
    const int64_t objects = pragmaInt("SELECT count(*) FROM sqlite_master");
    const bool fresh = applicationId == 0 && version == 0 && objects == 0;
    if (!fresh && applicationId != schema::kSqliteApplicationId)
      throw StateError(name_ + ": not a FedMRG coordinator state (application_id " + std::to_string(applicationId) +
                       ", " + std::to_string(objects) + " schema objects); refusing to touch it");
    if (version > schema::kVersion)
      throw StateError(name_ + ": schema version " + std::to_string(version) + " is newer than this program's (" +
                       std::to_string(schema::kVersion) + "); use a newer fedmrg-coordinator");
    if (pragmaText("PRAGMA journal_mode = WAL") != "wal")
      throw StateError(name_ + ": cannot switch to WAL journaling (a file system without shared memory?)");
    exec("PRAGMA synchronous = FULL");
    exec("PRAGMA foreign_keys = ON");
    if (!fresh) {
      const std::string check = pragmaText("PRAGMA quick_check");
      if (check != "ok") throw StateError(name_ + ": damaged: " + check);
    }
    migrate();
  }

  void migrate() {
    write([&] {
      // Read again under the write lock: another process may have migrated meanwhile.
      const int64_t version = pragmaInt("PRAGMA user_version");
      const auto steps = schema::migrations(schema::Dialect::Sqlite);
      for (int64_t v = version; v < schema::kVersion; ++v) exec(steps[size_t(v)]);
      if (version < schema::kVersion) {
        exec("PRAGMA application_id = " + std::to_string(schema::kSqliteApplicationId));
        exec("PRAGMA user_version = " + std::to_string(schema::kVersion));
      }
    });
  }

  template <typename F>
  auto write(F body) -> decltype(body()) {
    std::lock_guard lock(mutex_);
    exec("BEGIN IMMEDIATE");
    try {
      if constexpr (std::is_void_v<decltype(body())>) {
        body();
        exec("COMMIT");
      } else {
        auto result = body();
        exec("COMMIT");
        return result;
      }
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string reason = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      throw StateError(name_ + ": " + reason);
    }
  }

  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw StateError(name_ + ": " + sqlite3_errmsg(db_));
    return s;
  }

  // A prepared statement kept for the connection's life, reset and unbound for this use.
  sqlite3_stmt*& stmt(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, prepare(sql)).first;
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }

  int64_t pragmaInt(const std::string& sql) {
    sqlite3_stmt* s = prepare(sql);
    const int rc = sqlite3_step(s);
    const int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw StateError(name_ + ": " + sqlite3_errmsg(db_));
    return value;
  }
  std::string pragmaText(const std::string& sql) {
    sqlite3_stmt* s = prepare(sql);
    std::string value;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) value += (value.empty() ? "" : "; ") + columnText(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) throw StateError(name_ + ": " + sqlite3_errmsg(db_));
    return value;
  }

  void run(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) throw StateError(name_ + ": " + sqlite3_errmsg(db_));
  }

  // A read: one statement, so one implicit transaction.
  template <typename T, typename Bind, typename Read>
  std::vector<T> query(const std::string& sql, Bind bind, Read read) {
    std::lock_guard lock(mutex_);
    auto& s = stmt(sql);
    bind(s);
    std::vector<T> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back(read(s));
    if (rc != SQLITE_DONE) throw StateError(name_ + ": " + sqlite3_errmsg(db_));
    return out;
  }
  template <typename T, typename Bind, typename Read>
  std::optional<T> first(const std::string& sql, Bind bind, Read read) {
    auto rows = query<T>(sql, bind, read);
    return rows.empty() ? std::nullopt : std::optional(rows.front());
  }
  static void noBind(sqlite3_stmt*) {}

  void upsertRound(const RoundRecord& r) {
    upsert(
        "UPDATE rounds SET phase = ?2, base_version = ?3, opened_at_ms = ?4, deadline_ms = ?5, task = ?6, "
        "note = ?7 WHERE round = ?1",
        "INSERT INTO rounds (round, phase, base_version, opened_at_ms, deadline_ms, task, note) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        [&](sqlite3_stmt* q) { bindRound(q, r); });
  }

  // Insert or update by key inside the caller's transaction (SQLite 3.15 has no UPSERT; INSERT OR
  // REPLACE would delete the row first, which the uploads' foreign key to rounds forbids).
  template <typename Bind>
  void upsert(const char* update, const char* insert, Bind bind) {
    auto& u = stmt(update);
    bind(u);
    run(u);
    if (sqlite3_changes(db_) > 0) return;
    auto& i = stmt(insert);
    bind(i);
    run(i);
  }

  static void bindText(sqlite3_stmt* s, int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
  }
  static void bindBlob(sqlite3_stmt* s, int i, const std::string& v) {
    // A zero-length blob, not NULL (the columns are NOT NULL).
    sqlite3_bind_blob(s, i, v.empty() ? "" : v.data(), int(v.size()), SQLITE_TRANSIENT);
  }
  static std::string columnText(sqlite3_stmt* s, int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    return p ? std::string(p, size_t(sqlite3_column_bytes(s, i))) : std::string();
  }
  static std::string columnBlob(sqlite3_stmt* s, int i) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
    return p ? std::string(p, size_t(sqlite3_column_bytes(s, i))) : std::string();
  }

  static void bindSite(sqlite3_stmt* s, const SiteRecord& r) {
    bindText(s, 1, r.siteId);
    bindText(s, 2, r.certFingerprint);
    sqlite3_bind_int(s, 3, r.revoked ? 1 : 0);
    sqlite3_bind_int64(s, 4, r.joinedAtMs);
    sqlite3_bind_int64(s, 5, r.lastSeenMs);
    sqlite3_bind_int64(s, 6, r.certNotBefore);
  }
  static SiteRecord readSite(sqlite3_stmt* s) {
    return {columnText(s, 0),           columnText(s, 1),           sqlite3_column_int(s, 2) != 0,
            sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5)};
  }
  static void bindRound(sqlite3_stmt* s, const RoundRecord& r) {
    sqlite3_bind_int64(s, 1, int64_t(r.round));
    sqlite3_bind_text(s, 2, roundPhaseName(r.phase), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, int64_t(r.baseVersion));
    sqlite3_bind_int64(s, 4, r.openedAtMs);
    sqlite3_bind_int64(s, 5, r.deadlineMs);
    bindBlob(s, 6, r.task);
    bindText(s, 7, r.note);
  }
  static RoundRecord readRound(sqlite3_stmt* s) {
    RoundRecord r;
    r.round = uint64_t(sqlite3_column_int64(s, 0));
    r.phase = parseRoundPhase(columnText(s, 1)).value_or(RoundPhase::Open);  // the CHECK constraint holds it
    r.baseVersion = uint64_t(sqlite3_column_int64(s, 2));
    r.openedAtMs = sqlite3_column_int64(s, 3);
    r.deadlineMs = sqlite3_column_int64(s, 4);
    r.task = columnBlob(s, 5);
    r.note = columnText(s, 6);
    return r;
  }
  static UploadRecord readUpload(sqlite3_stmt* s) {
    UploadRecord u;
    u.round = uint64_t(sqlite3_column_int64(s, 0));
    u.siteId = columnText(s, 1);
    u.idempotencyKey = columnText(s, 2);
    u.blobDigest = columnText(s, 3);
    u.sampleCount = uint64_t(sqlite3_column_int64(s, 4));
    u.wireBytes = uint64_t(sqlite3_column_int64(s, 5));
    u.receivedAtMs = sqlite3_column_int64(s, 6);
    return u;
  }
  static GlobalVersion readGlobal(sqlite3_stmt* s) {
    return {uint64_t(sqlite3_column_int64(s, 0)), uint64_t(sqlite3_column_int64(s, 1)), columnText(s, 2),
            columnText(s, 3), sqlite3_column_int64(s, 4)};
  }

  void close() {
    for (auto& [sql, s] : statements_) sqlite3_finalize(s);
    statements_.clear();
    sqlite3_close(db_);
    db_ = nullptr;
  }

  std::string path_;
  std::string name_;
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<CoordinatorState> openSqliteState(const std::string& path) {
  return std::make_unique<SqliteState>(path);
}

}  // namespace fedmrg::coordinator
