#include "app/cli/cli.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>

#include "fedmrg_version.h"

namespace fedmrg::cli {

std::map<std::string, CommandSpec>& registry() {
  static std::map<std::string, CommandSpec> r;
  return r;
}

const std::map<std::string, CommandSpec>& commands() { return registry(); }

CommandRegistration::CommandRegistration(CommandSpec spec) {
  auto name = spec.name;
  registry().emplace(std::move(name), std::move(spec));
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get(const std::string& name, const std::string& def) const {
  auto v = get(name);
  return v ? *v : def;
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw UsageError("missing required option --" + name);
  return *v;
}

long long Args::getInt(const std::string& name, long long def) const {
  auto v = get(name);
  if (!v) return def;
  try {
    size_t used = 0;
    long long x = std::stoll(*v, &used);
    if (used != v->size()) throw std::invalid_argument("trailing text");
    return x;
  } catch (const std::exception&) {
    throw UsageError("option --" + name + " needs an integer, got '" + *v + "'");
  }
}

double Args::getDouble(const std::string& name, double def) const {
  auto v = get(name);
  if (!v) return def;
  try {
    size_t used = 0;
    double x = std::stod(*v, &used);
    if (used != v->size()) throw std::invalid_argument("trailing text");
    return x;
  } catch (const std::exception&) {
    throw UsageError("option --" + name + " needs a number, got '" + *v + "'");
  }
}

Args Args::parse(const std::vector<std::string>& argv, const std::vector<OptionSpec>& options) {
  Args a;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      std::string name = arg.substr(2), value;
      bool inlineValue = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inlineValue = true;
      }
      const OptionSpec* spec = nullptr;
      for (const auto& o : options)
        if (o.name == name) spec = &o;
      if (!spec) throw UsageError("unknown option --" + name);
      if (spec->takesValue && !inlineValue) {
        if (i + 1 >= argv.size()) throw UsageError("option --" + name + " needs a value");
        value = argv[++i];
      } else if (!spec->takesValue && inlineValue) {
        throw UsageError("option --" + name + " takes no value");
      }
      a.values_[name] = value;
    } else {
      a.positional_.push_back(arg);
    }
  }
  return a;
}

namespace {

void printCommandHelp(const CommandSpec& c, const std::string& invokedAs, std::ostream& out) {
  out << "usage: fedmrg-cli " << invokedAs << ' ' << c.usage << "\n\n" << c.summary << "\n";
  if (!c.options.empty()) {
    out << "\noptions:\n";
    for (const auto& o : c.options) {
      std::string left = "  --" + o.name + (o.takesValue ? " VALUE" : "");
      if (left.size() < 28) left.resize(28, ' ');
      else left += "  ";
      out << left << o.help << "\n";
    }
  }
}

void printHelp(std::ostream& out) {
  out << "fedmrg-cli " << FEDMRG_VERSION_STRING
      << ": headless tools of FedMRG Workstation (benchmark data, training, generation, evaluation)\n\n"
      << "usage: fedmrg-cli <command> [options]\n       fedmrg-cli <command> --help\n\ncommands:\n";
  size_t width = 0;
  for (const auto& entry : commands())
    if (!entry.second.hidden) width = std::max(width, entry.first.size());
  for (const auto& [name, c] : commands()) {
    if (c.hidden) continue;
    std::string left = "  " + name;
    left.resize(width + 4, ' ');
    out << left << c.summary << "\n";
  }
  std::string version = "  --version", help = "  --help";
  version.resize(width + 4, ' ');
  help.resize(width + 4, ' ');
  out << "\n" << version << "print the version\n" << help << "print this help\n";
}

}  // namespace

int runCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printHelp(std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "fedmrg-cli " << FEDMRG_VERSION_STRING << "\n";
    return 0;
  }
  auto it = commands().find(args[0]);
  if (it == commands().end()) {
    std::cerr << "fedmrg-cli: unknown command '" << args[0] << "' (see fedmrg-cli --help)\n";
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  std::string invokedAs = args[0];
  if (!rest.empty() && rest[0].rfind('-', 0) != 0) {
    auto sub = commands().find(args[0] + "-" + rest[0]);
    if (sub != commands().end()) {
      it = sub;
      invokedAs += " " + rest[0];
      rest.erase(rest.begin());
    }
  }
  const CommandSpec& cmd = it->second;
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      printCommandHelp(cmd, invokedAs, std::cout);
      return 0;
    }
  }
  try {
    return cmd.run(Args::parse(rest, cmd.options));
  } catch (const UsageError& e) {
    std::cerr << "fedmrg-cli " << invokedAs << ": " << e.what() << "\n\n";
    printCommandHelp(cmd, invokedAs, std::cerr);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "fedmrg-cli " << invokedAs << ": error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace fedmrg::cli
