#pragma once
// The durable backends' schema, written once for SQLite and PostgreSQL (docs/federation.md, "State").
// Version n of the schema is what migrations(d)[0..n-1] produce; a store records its version and a
// program refuses a store newer than it knows.
#include <string>
#include <vector>

namespace fedmrg::coordinator::schema {

enum class Dialect { Sqlite, Postgres };

// The schema version this program writes.
constexpr int kVersion = 2;
// SQLite's PRAGMA application_id of a coordinator state ("FMRG"), and the value of PostgreSQL's
// fedmrg_meta row "application": what tells our store from a foreign database.
constexpr int kSqliteApplicationId = 0x464d5247;
constexpr const char* kApplication = "fedmrg-coordinator";

// migrations(d)[i] takes a store from version i to i + 1 (several statements separated by ';').
std::vector<std::string> migrations(Dialect d);

// The tables of the schema, to recognise a half-foreign database.
const std::vector<std::string>& tableNames();

}  // namespace fedmrg::coordinator::schema
