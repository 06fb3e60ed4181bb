// CoordinatorState on PostgreSQL through libpq, for a consortium that outgrows one coordinator machine.
// Every write is one transaction of prepared statements. The rules that must hold under concurrency are
// unique constraints (state_schema.cpp), which PostgreSQL enforces at any isolation level: of two
// transactions inserting the same upload, the second waits for the first and then inserts nothing
// (ON CONFLICT DO NOTHING), so exactly one wins without SERIALIZABLE. Serialization failures and
// deadlocks, should a later statement meet one, are retried. A dropped connection (server restart,
// failover, idle timeout) is re-established once and the whole transaction run again; a transaction
// whose COMMIT was lost in flight is thereby either seen (the retry finds its rows) or redone.
#include <libpq-fe.h>

#include <memory>
#include <mutex>

#include "coordinator/state_factory.h"
#include "coordinator/state_schema.h"

namespace fedmrg::coordinator {

namespace {

// libpq's connect_timeout when the conninfo gives none, in seconds.
constexpr const char* kConnectTimeout = "10";
constexpr int kMaxSerializationRetries = 5;
// pg_advisory_xact_lock key that serializes two coordinators creating or migrating the schema at once.
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(7240117342163550001)";

struct ConnectionLost : StateError {
  using StateError::StateError;
};
struct Retryable : StateError {
  using StateError::StateError;
};

using Result = std::unique_ptr<PGresult, void (*)(PGresult*)>;

// A statement parameter: text, or bytes sent in binary format (bytea).
struct Param {
  std::string value;
  bool binary = false;
};
Param text(const std::string& v) { return {v, false}; }
Param number(int64_t v) { return {std::to_string(v), false}; }
Param bytes(const std::string& v) { return {v, true}; }

struct Statement {
  const char* name;
  const char* sql;
};

const Statement kStatements[] = {
    {"put_site",
     "INSERT INTO sites (site_id, cert_fingerprint, revoked, joined_at_ms, last_seen_ms, cert_not_before) "
     "VALUES ($1, $2, $3, $4, $5, $6) "
     "ON CONFLICT (site_id) DO UPDATE SET cert_fingerprint = EXCLUDED.cert_fingerprint, revoked = EXCLUDED.revoked, "
     "joined_at_ms = EXCLUDED.joined_at_ms, last_seen_ms = EXCLUDED.last_seen_ms, "
     "cert_not_before = EXCLUDED.cert_not_before"},
    {"get_site",
     "SELECT site_id, cert_fingerprint, revoked, joined_at_ms, last_seen_ms, cert_not_before FROM sites "
     "WHERE site_id = $1"},
    // COLLATE "C": byte order, as the other backends sort, whatever the database's locale.
    {"list_sites",
     "SELECT site_id, cert_fingerprint, revoked, joined_at_ms, last_seen_ms, cert_not_before FROM sites "
     "ORDER BY site_id COLLATE \"C\""},
    {"put_round",
     "INSERT INTO rounds (round, phase, base_version, opened_at_ms, deadline_ms, task, note) "
     "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (round) DO UPDATE SET phase = EXCLUDED.phase, "
     "base_version = EXCLUDED.base_version, opened_at_ms = EXCLUDED.opened_at_ms, deadline_ms = EXCLUDED.deadline_ms, "
     "task = EXCLUDED.task, note = EXCLUDED.note"},
    {"get_round",
     "SELECT round, phase, base_version, opened_at_ms, deadline_ms, task, note FROM rounds WHERE round = $1"},
    {"latest_round",
     "SELECT round, phase, base_version, opened_at_ms, deadline_ms, task, note FROM rounds ORDER BY round DESC LIMIT "
     "1"},
    // No conflict target: a row that meets either unique rule (round + site, idempotency key) is skipped.
    {"record_upload",
     "INSERT INTO uploads (round, site_id, idempotency_key, blob_digest, sample_count, wire_bytes, received_at_ms) "
     "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"},
    {"upload_by_key",
     "SELECT round, site_id, idempotency_key, blob_digest, sample_count, wire_bytes, received_at_ms FROM uploads "
     "WHERE idempotency_key = $1"},
    {"uploads_of_round",
     "SELECT round, site_id, idempotency_key, blob_digest, sample_count, wire_bytes, received_at_ms FROM uploads "
     "WHERE round = $1 ORDER BY received_at_ms, site_id COLLATE \"C\""},
    {"insert_global",
     "INSERT INTO global_versions (version, round, digest_hex, blob_digest, created_at_ms) "
     "VALUES ($1, $2, $3, $4, $5)"},
    {"get_global",
     "SELECT version, round, digest_hex, blob_digest, created_at_ms FROM global_versions WHERE version = $1"},
    {"latest_global",
     "SELECT version, round, digest_hex, blob_digest, created_at_ms FROM global_versions "
     "ORDER BY version DESC LIMIT 1"},
    {"put_value",
     "INSERT INTO named_values (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"},
    {"get_value", "SELECT value FROM named_values WHERE name = $1"},
};

std::string oneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// "postgresql:host:port/db" from the conninfo's fields; the password and other options never appear.
std::string describeConninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  PQfreemem(error);  // may quote the string, password included
  if (!options) throw StateError("postgresql: invalid connection string (key=value pairs or a postgresql:// URI)");
  std::string host, port, db, user;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    const std::string key = o->keyword, value = o->val ? o->val : "";
    if (key == "host") host = value;
    if (key == "hostaddr" && host.empty()) host = value;
    if (key == "port") port = value;
    if (key == "dbname") db = value;
    if (key == "user") user = value;
  }
  PQconninfoFree(options);
  return "postgresql:" + (host.empty() ? std::string("localhost") : host) + ":" + (port.empty() ? "5432" : port) + "/" +
         (db.empty() ? user : db);
}

std::string decodeBytea(const char* value) {
  // bytea_output = hex (set at connect): "\x" then two hex digits per byte.
  std::string out;
  if (value[0] != '\\' || value[1] != 'x') return out;
  auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (const char* p = value + 2; p[0] && p[1]; p += 2) out += char(digit(p[0]) * 16 + digit(p[1]));
  return out;
}

class PostgresState : public CoordinatorState {
 public:
  explicit PostgresState(const std::string& conninfo) : conninfo_(conninfo), name_(describeConninfo(conninfo)) {
    connect();
    try {
      setUpSchema();
      prepareAll();
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  ~PostgresState() override { PQfinish(conn_); }

  std::string describe() const override { return name_; }

  void putSite(const SiteRecord& s) override {
    transact(true, [&](bool) {
      exec("put_site", {text(s.siteId), text(s.certFingerprint), number(s.revoked ? 1 : 0), number(s.joinedAtMs),
                        number(s.lastSeenMs), number(s.certNotBefore)});
    });
  }
  std::optional<SiteRecord> site(const std::string& siteId) override {
    return first<SiteRecord>("get_site", {text(siteId)}, readSite);
  }
  std::vector<SiteRecord> sites() override { return rows<SiteRecord>("list_sites", {}, readSite); }

  void putRound(const RoundRecord& r) override {
    transact(true, [&](bool) { exec("put_round", roundParams(r)); });
  }
  std::optional<RoundRecord> round(uint64_t round) override {
    return first<RoundRecord>("get_round", {number(int64_t(round))}, readRound);
  }
  std::optional<RoundRecord> latestRound() override { return first<RoundRecord>("latest_round", {}, readRound); }

  bool recordUpload(const UploadRecord& u) override {
    return transact(true, [&](bool) {
      Result r =
          exec("record_upload", {number(int64_t(u.round)), text(u.siteId), text(u.idempotencyKey), text(u.blobDigest),
                                 number(int64_t(u.sampleCount)), number(int64_t(u.wireBytes)), number(u.receivedAtMs)});
      return std::string(PQcmdTuples(r.get())) == "1";
    });
  }
  std::optional<UploadRecord> uploadByKey(const std::string& key) override {
    return first<UploadRecord>("upload_by_key", {text(key)}, readUpload);
  }
  std::vector<UploadRecord> uploads(uint64_t round) override {
    return rows<UploadRecord>("uploads_of_round", {number(int64_t(round))}, readUpload);
  }

  void publishGlobal(const GlobalVersion& v, const RoundRecord& closedRound) override {
    transact(true, [&](bool retrying) {
      Result existing = exec("get_global", {number(int64_t(v.version))});
      if (PQntuples(existing.get()) > 0) {
        // After a reconnect the first attempt may have committed before the connection dropped: the
        // same version already there is that commit, not a second publication.
        const GlobalVersion had = readGlobal(existing.get(), 0);
        if (retrying && had.round == v.round && had.digestHex == v.digestHex && had.blobDigest == v.blobDigest) return;
        throw StateError(name_ + ": global version " + std::to_string(v.version) + " is already published");
      }
      RoundRecord closed = closedRound;
      closed.phase = RoundPhase::Closed;
      exec("put_round", roundParams(closed));
      exec("insert_global", {number(int64_t(v.version)), number(int64_t(v.round)), text(v.digestHex),
                             text(v.blobDigest), number(v.createdAtMs)});
    });
  }
  std::optional<GlobalVersion> latestGlobal() override { return first<GlobalVersion>("latest_global", {}, readGlobal); }
  std::optional<GlobalVersion> global(uint64_t version) override {
    return first<GlobalVersion>("get_global", {number(int64_t(version))}, readGlobal);
  }

  void putValue(const std::string& key, const std::string& value) override {
    transact(true, [&](bool) { exec("put_value", {text(key), bytes(value)}); });
  }
  std::optional<std::string> value(const std::string& key) override {
    return first<std::string>("get_value", {text(key)},
                              [](const PGresult* r, int row) { return decodeBytea(PQgetvalue(r, row, 0)); });
  }

 private:
  void connect() {
    const char* keywords[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {kConnectTimeout, conninfo_.c_str(), nullptr};
    // expand_dbname: the conninfo's own fields (connect_timeout included) override the defaults before it.
    PGconn* conn = PQconnectdbParams(keywords, values, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
      const std::string reason = conn ? oneLine(PQerrorMessage(conn)) : "out of memory";
      PQfinish(conn);
      throw StateError(name_ + ": cannot connect: " + reason);
    }
    PQfinish(conn_);
    conn_ = conn;
    command("SET bytea_output = 'hex'");
  }

  // Creates or migrates the schema, under an advisory lock so that two coordinators starting together
  // do not both create it; refuses a database that holds another program's tables.
  void setUpSchema() {
    command("BEGIN");
    try {
      command(kSchemaLock);
      if (scalar("SELECT to_regclass('fedmrg_meta') IS NOT NULL") != "t") {
        std::string names;
        for (const auto& t : schema::tableNames()) names += (names.empty() ? "'" : ", '") + t + "'";
        const std::string clash = scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN (" +
            names + ")");
        if (clash != "0")
          throw StateError(name_ +
                           ": the database holds tables named like ours but no fedmrg_meta; refusing to touch it");
        command("CREATE TABLE fedmrg_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        command(std::string("INSERT INTO fedmrg_meta VALUES ('application', '") + schema::kApplication +
                "'), ('schema_version', '0')");
      }
      const std::string application = scalar("SELECT value FROM fedmrg_meta WHERE key = 'application'");
      if (application != schema::kApplication)
        throw StateError(name_ + ": not a FedMRG coordinator state (application \"" + application +
                         "\"); refusing to touch it");
      const std::string versionText = scalar("SELECT value FROM fedmrg_meta WHERE key = 'schema_version'");
      int version = -1;
      try {
        version = std::stoi(versionText);
      } catch (const std::exception&) {
      }
      if (version < 0) throw StateError(name_ + ": damaged: schema_version \"" + versionText + "\"");
      if (version > schema::kVersion)
        throw StateError(name_ + ": schema version " + std::to_string(version) + " is newer than this program's (" +
                         std::to_string(schema::kVersion) + "); use a newer fedmrg-coordinator");
      const auto steps = schema::migrations(schema::Dialect::Postgres);
      for (int v = version; v < schema::kVersion; ++v) command(steps[size_t(v)]);
      if (version < schema::kVersion)
        command("UPDATE fedmrg_meta SET value = '" + std::to_string(schema::kVersion) +
                "' WHERE key = 'schema_version'");
      command("COMMIT");
    } catch (...) {
      PQclear(PQexec(conn_, "ROLLBACK"));
      throw;
    }
  }

  void prepareAll() {
    for (const auto& s : kStatements) check(Result(PQprepare(conn_, s.name, s.sql, 0, nullptr), PQclear));
  }

  // Throws the right error for a failed result; returns it otherwise.
  Result check(Result r) {
    const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
    const std::string message = oneLine(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_));
    if (PQstatus(conn_) != CONNECTION_OK) throw ConnectionLost(name_ + ": connection lost: " + message);
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    if (sqlstate == "40001" || sqlstate == "40P01") throw Retryable(name_ + ": " + message);
    throw StateError(name_ + ": " + message);
  }

  void command(const std::string& sql) { check(Result(PQexec(conn_, sql.c_str()), PQclear)); }
  std::string scalar(const std::string& sql) {
    Result r = check(Result(PQexec(conn_, sql.c_str()), PQclear));
    return PQntuples(r.get()) > 0 && !PQgetisnull(r.get(), 0, 0) ? PQgetvalue(r.get(), 0, 0) : "";
  }

  Result exec(const char* statement, const std::vector<Param>& params) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const auto& p : params) {
      values.push_back(p.value.data());
      lengths.push_back(int(p.value.size()));
      formats.push_back(p.binary ? 1 : 0);
    }
    return check(
        Result(PQexecPrepared(conn_, statement, int(params.size()), values.data(), lengths.data(), formats.data(), 0),
               PQclear));
  }

  // Runs body (inside BEGIN/COMMIT when `transaction`) under the connection's lock; body(retrying) learns
  // whether this is the run after a reconnect.
  template <typename F>
  auto transact(bool transaction, F body) -> decltype(body(false)) {
    std::lock_guard lock(mutex_);
    bool reconnected = false;
    for (int attempt = 0;; ++attempt) {
      try {
        if (!transaction) return body(reconnected);
        command("BEGIN");
        if constexpr (std::is_void_v<decltype(body(false))>) {
          body(reconnected);
          command("COMMIT");
          return;
        } else {
          auto result = body(reconnected);
          command("COMMIT");
          return result;
        }
      } catch (const ConnectionLost& e) {
        if (reconnected) throw StateError(std::string(e.what()) + " (again after reconnecting)");
        reconnected = true;
        connect();  // StateError when the server is still unreachable
        prepareAll();
      } catch (const Retryable& e) {
        PQclear(PQexec(conn_, "ROLLBACK"));
        if (attempt >= kMaxSerializationRetries) throw StateError(std::string(e.what()) + " (gave up retrying)");
      } catch (...) {
        if (transaction && PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
        throw;
      }
    }
  }

  template <typename T, typename Read>
  std::vector<T> rows(const char* statement, const std::vector<Param>& params, Read read) {
    return transact(false, [&](bool) {
      Result r = exec(statement, params);
      std::vector<T> out;
      for (int i = 0; i < PQntuples(r.get()); ++i) out.push_back(read(r.get(), i));
      return out;
    });
  }
  template <typename T, typename Read>
  std::optional<T> first(const char* statement, const std::vector<Param>& params, Read read) {
    auto all = rows<T>(statement, params, read);
    return all.empty() ? std::nullopt : std::optional(all.front());
  }

  static std::vector<Param> roundParams(const RoundRecord& r) {
    return {number(int64_t(r.round)),
            text(roundPhaseName(r.phase)),
            number(int64_t(r.baseVersion)),
            number(r.openedAtMs),
            number(r.deadlineMs),
            bytes(r.task),
            text(r.note)};
  }
  static int64_t integer(const PGresult* r, int row, int column) { return std::stoll(PQgetvalue(r, row, column)); }
  static std::string str(const PGresult* r, int row, int column) { return PQgetvalue(r, row, column); }

  static SiteRecord readSite(const PGresult* r, int i) {
    return {str(r, i, 0), str(r, i, 1), integer(r, i, 2) != 0, integer(r, i, 3), integer(r, i, 4), integer(r, i, 5)};
  }
  static RoundRecord readRound(const PGresult* r, int i) {
    RoundRecord out;
    out.round = uint64_t(integer(r, i, 0));
    out.phase = parseRoundPhase(str(r, i, 1)).value_or(RoundPhase::Open);  // the CHECK constraint holds it
    out.baseVersion = uint64_t(integer(r, i, 2));
    out.openedAtMs = integer(r, i, 3);
    out.deadlineMs = integer(r, i, 4);
    out.task = decodeBytea(PQgetvalue(r, i, 5));
    out.note = str(r, i, 6);
    return out;
  }
  static UploadRecord readUpload(const PGresult* r, int i) {
    UploadRecord u;
    u.round = uint64_t(integer(r, i, 0));
    u.siteId = str(r, i, 1);
    u.idempotencyKey = str(r, i, 2);
    u.blobDigest = str(r, i, 3);
    u.sampleCount = uint64_t(integer(r, i, 4));
    u.wireBytes = uint64_t(integer(r, i, 5));
    u.receivedAtMs = integer(r, i, 6);
    return u;
  }
  static GlobalVersion readGlobal(const PGresult* r, int i) {
    return {uint64_t(integer(r, i, 0)), uint64_t(integer(r, i, 1)), str(r, i, 2), str(r, i, 3), integer(r, i, 4)};
  }

  std::string conninfo_;
  std::string name_;
  PGconn* conn_ = nullptr;
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<CoordinatorState> openPostgresState(const std::string& conninfo) {
  return std::make_unique<PostgresState>(conninfo);
}

}  // namespace fedmrg::coordinator
