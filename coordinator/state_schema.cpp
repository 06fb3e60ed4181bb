// Schema text shared by the SQLite and PostgreSQL backends. Types are spelled so that both accept them
// (BIGINT, TEXT); only the byte-string type differs. The rules that must hold under concurrency are
// constraints (one upload per round and site, one per idempotency key, one row per global version), so
// each backend enforces them in the database rather than in code that could race.
#include "coordinator/state_schema.h"

namespace fedmrg::coordinator::schema {

namespace {

const char* kVersion1 = R"sql(
CREATE TABLE sites (
  site_id TEXT PRIMARY KEY,
  cert_fingerprint TEXT NOT NULL,
  revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),
  joined_at_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL);
CREATE TABLE rounds (
  round BIGINT PRIMARY KEY,
  phase TEXT NOT NULL CHECK (phase IN ('open', 'aggregating', 'closed', 'failed')),
  base_version BIGINT NOT NULL,
  opened_at_ms BIGINT NOT NULL,
  deadline_ms BIGINT NOT NULL,
  task @BYTES@ NOT NULL,
  note TEXT NOT NULL);
CREATE TABLE uploads (
  round BIGINT NOT NULL REFERENCES rounds (round),
  site_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  blob_digest TEXT NOT NULL,
  sample_count BIGINT NOT NULL,
  wire_bytes BIGINT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  PRIMARY KEY (round, site_id));
CREATE INDEX uploads_by_arrival ON uploads (round, received_at_ms);
CREATE TABLE global_versions (
  version BIGINT PRIMARY KEY,
  round BIGINT NOT NULL REFERENCES rounds (round),
  digest_hex TEXT NOT NULL,
  blob_digest TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL);
CREATE TABLE named_values (
  name TEXT PRIMARY KEY,
  value @BYTES@ NOT NULL);
)sql";

// Version 2: the registered certificate's notBefore, so that a renewed certificate (a later notBefore
// from the same CA, same site id) is told from an older one. Existing rows get 0: their next renewal is
// accepted as such.
const char* kVersion2 = R"sql(
ALTER TABLE sites ADD COLUMN cert_not_before BIGINT NOT NULL DEFAULT 0;
)sql";

std::string withDialect(std::string sql, Dialect d) {
  const std::string marker = "@BYTES@";
  const std::string type = d == Dialect::Sqlite ? "BLOB" : "BYTEA";
  for (size_t at = sql.find(marker); at != std::string::npos; at = sql.find(marker, at))
    sql.replace(at, marker.size(), type);
  return sql;
}

}  // namespace

std::vector<std::string> migrations(Dialect d) { return {withDialect(kVersion1, d), withDialect(kVersion2, d)}; }

const std::vector<std::string>& tableNames() {
  static const std::vector<std::string> names{"sites", "rounds", "uploads", "global_versions", "named_values"};
  return names;
}

}  // namespace fedmrg::coordinator::schema
