// fedmrg-cli bench: the benchmark group. `bench <what>` runs the command registered as "bench-<what>"
// (cli.cpp dispatches it; the hyphenated names stay as hidden aliases for old scripts); this command only
// answers when the subcommand is missing or unknown.
#include <string>

#include "app/cli/cli.h"

namespace fedmrg::cli {
namespace {

std::string subcommands() {
  std::string list;
  for (const auto& [name, spec] : commands()) {
    if (name.rfind("bench-", 0) != 0) continue;
    list += (list.empty() ? "" : ", ") + name.substr(6);
  }
  return list;
}

int runBench(const Args& a) {
  if (a.positional().empty())
    throw UsageError("bench needs a subcommand: " + subcommands() + " (fedmrg-cli bench <subcommand> --help)");
  throw UsageError("unknown bench subcommand '" + a.positional()[0] + "' (known: " + subcommands() + ")");
}

const CommandRegistration reg(
    {"bench",
     "benchmarks: `bench engine` prints every engine figure against its target; also draft, "
     "draft-while-training, train, metrics, federation, federation-sites, fl",
     "engine|draft|draft-while-training|train|metrics|federation|federation-sites|fl [options]   "
     "(fedmrg-cli bench <subcommand> --help for its options)",
     {},
     runBench});

}  // namespace
}  // namespace fedmrg::cli
