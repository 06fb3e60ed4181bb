// The state spec of the coordinator config, dispatched to a backend.
#include "coordinator/state_factory.h"

#include <regex>

namespace fedmrg::coordinator {

namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::string redactStateSpec(const std::string& spec) {
  // password=... in a keyword conninfo (quoted or not), and user:password@ in a URI.
  static const std::regex keyword(R"((password\s*=\s*)('([^'\\]|\\.)*'|\S+))", std::regex::icase);
  static const std::regex uri(R"(((?:postgresql|postgres)://[^:/@]*:)[^@/]*@)", std::regex::icase);
  std::string out = std::regex_replace(spec, keyword, "$1***");
  out = std::regex_replace(out, uri, "$1***@");
  return out;
}

std::unique_ptr<CoordinatorState> openState(const std::string& spec) {
  if (spec == "memory") return openMemoryState();
  if (startsWith(spec, "sqlite:")) return openSqliteState(spec.substr(7));
  // A URI is handed to libpq whole; "postgresql:<conninfo>" without it.
  if (startsWith(spec, "postgresql://") || startsWith(spec, "postgres://")) return openPostgresState(spec);
  if (startsWith(spec, "postgresql:")) return openPostgresState(spec.substr(11));
  throw StateError("state \"" + redactStateSpec(spec) +
                   "\": unknown backend; use memory, sqlite:<file> or postgresql:<conninfo>");
}

}  // namespace fedmrg::coordinator
