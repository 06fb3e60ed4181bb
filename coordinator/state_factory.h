#pragma once
// Opening a CoordinatorState from the coordinator config's one-line spec (docs/federation.md, "State").
#include <memory>
#include <string>

#include "coordinator/coordinator_state.h"

namespace fedmrg::coordinator {

// "memory", "sqlite:<file>", "postgresql:<libpq conninfo>" or a postgresql:// / postgres:// URI.
// StateError naming the spec (never its password) and the reason for anything else or a failed open.
std::unique_ptr<CoordinatorState> openState(const std::string& spec);

// SQLite in WAL mode with synchronous=FULL: created when the file is missing or empty, migrated when it
// holds an older schema; StateError for a file that is not SQLite, is another program's database, is
// damaged or holds a newer schema (such a file is never modified).
std::unique_ptr<CoordinatorState> openSqliteState(const std::string& path);

// PostgreSQL through libpq: `conninfo` is "host=... port=... dbname=... user=... password=..." or a URI.
// The schema is created or migrated on first use; the connection is re-established once when it drops.
std::unique_ptr<CoordinatorState> openPostgresState(const std::string& conninfo);

// The spec as it may appear in a log: a PostgreSQL password replaced by "***".
std::string redactStateSpec(const std::string& spec);

}  // namespace fedmrg::coordinator
