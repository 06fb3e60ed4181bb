#pragma once
// fedmrg-cli's command registry and argument parsing. Each command lives in its own
// cmd_<name>.cpp and registers itself with a static CommandRegistration.
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::cli {

// A usage error: printed with the command's usage, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;      // without the leading "--"
  bool takesValue = true;
  std::string help;
};

class Args {
 public:
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string get(const std::string& name, const std::string& def) const;
  std::string require(const std::string& name) const;  // UsageError when absent
  long long getInt(const std::string& name, long long def) const;   // UsageError when not an integer
  double getDouble(const std::string& name, double def) const;
  const std::vector<std::string>& positional() const { return positional_; }

  // Parses argv against the options; throws UsageError for unknown options or missing values.
  static Args parse(const std::vector<std::string>& argv, const std::vector<OptionSpec>& options);

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

struct CommandSpec {
  std::string name;
  std::string summary;    // one line for the command list
  std::string usage;      // argument synopsis after the command name
  std::vector<OptionSpec> options;
  std::function<int(const Args&)> run;
  bool hidden = false;    // left out of the command list (kept for old scripts, e.g. bench-engine)
};

struct CommandRegistration {
  explicit CommandRegistration(CommandSpec spec);
};

const std::map<std::string, CommandSpec>& commands();

// Entry point shared by main() and the tests: dispatches argv[1] to its command. A subcommand
// `fedmrg-cli <group> <sub> ...` runs the command registered as "<group>-<sub>" when there is one.
int runCli(int argc, char** argv);

}  // namespace fedmrg::cli
