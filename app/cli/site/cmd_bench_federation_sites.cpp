// fedmrg-cli bench federation-sites: many sites joining and polling one coordinator at once (issue 12: 1,000
// simulated sites without an error). The coordinator is the real one (RoundManager and CoordinatorService on
// 127.0.0.1, with the state backend asked for) in a child process of its own, so that its peak memory is its
// own; the sites are asynchronous gRPC clients in this process (federation/site_swarm.h), each with its own
// identity, in insecure loopback mode (the explicit --insecure-loopback flag).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <grpcpp/grpcpp.h>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "coordinator/coordinator_service.h"
#include "coordinator/state_factory.h"
#include "federation/federated_tensors.h"
#include "federation/site_swarm.h"
#include "fedmrg/federation/v1/federation.pb.h"

namespace fedmrg::cli {
namespace {

using engine::Json;

double statusKb(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::string(key).size()));
  return -1;
}

struct CoordinatorReport {
  double startKb = -1, peakKb = -1;
  int sites = 0, uniqueSites = 0, expectedSites = 0;
  long logLines = 0;
};

bool writeAll(int fd, const std::string& s) { return ::write(fd, s.data(), s.size()) == ssize_t(s.size()); }

std::string readLine(int fd) {
  std::string s;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') s += c;
  return s;
}

// The child: a coordinator on 127.0.0.1:0. Writes its port, waits for the word to stop, then writes what it
// registered and its memory, and exits.
[[noreturn]] void runCoordinator(int toParent, int fromParent, const std::string& stateSpec, const std::string& folder,
                                 const std::string& model, int sites, const std::string& prefix) {
  try {
    auto log = std::make_shared<std::ofstream>(folder + "/coordinator.log");
    auto lines = std::make_shared<long>(0);
    coordinator::RoundSettings rs;
    rs.strategy = federation::Strategy::FedMrg;
    federation::CodecPlan plan;
    plan.lowRank = true;
    auto rounds = std::make_shared<coordinator::RoundManager>(
        coordinator::openState(stateSpec), folder + "/uploads",
        federation::federatedTensors(model, federation::Strategy::FedMrg), plan, rs,
        [] {
          return int64_t(
              std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count());
        },
        [log, lines](const std::string& l) {
          ++*lines;
          *log << l << '\n';
        });
    coordinator::CoordinatorService service(rounds, grpc::InsecureServerCredentials(), true, rs.maxConcurrentUploads,
                                            [log, lines](const std::string& l) {
                                              ++*lines;
                                              *log << l << '\n';
                                            });
    const double startKb = statusKb("VmRSS:");
    const int port = service.start("127.0.0.1:0");
    writeAll(toParent, std::to_string(port) + "\n");
    readLine(fromParent);
    CoordinatorReport r;
    r.startKb = startKb;
    r.peakKb = statusKb("VmHWM:");
    federation::v1::StatusReply status;
    rounds->status(status);
    std::set<std::string> ids;
    for (const auto& s : status.sites()) {
      ids.insert(s.site_id());
      if (s.site_id().rfind(prefix, 0) == 0) {
        const std::string n = s.site_id().substr(prefix.size());
        r.expectedSites += !n.empty() && n.find_first_not_of("0123456789") == std::string::npos && std::stoi(n) < sites;
      }
    }
    service.shutdown();
    std::ostringstream out;
    out << r.startKb << ' ' << r.peakKb << ' ' << status.sites_size() << ' ' << ids.size() << ' ' << r.expectedSites
        << ' ' << *lines << '\n';
    writeAll(toParent, out.str());
    _exit(0);
  } catch (const std::exception& e) {
    writeAll(toParent, std::string("error ") + e.what() + "\n");
    _exit(1);
  }
}

int runBenchFederationSites(const Args& a) {
  if (!a.has("insecure-loopback"))
    throw UsageError("the simulated sites name themselves in plain text on 127.0.0.1: pass --insecure-loopback");
  const int sites = int(a.getInt("sites", 1000));
  const int polls = int(a.getInt("polls", 3));
  const int channels = int(a.getInt("channels", 16));
  const int threads = int(a.getInt("threads", 4));
  if (sites < 1 || polls < 0 || channels < 1 || threads < 1)
    throw UsageError("--sites, --channels and --threads must be at least 1, --polls at least 0");
  const std::string model = bench::modelFolder(a);
  const auto jsonPath = a.get("json");
  if (jsonPath) bench::checkWritable(*jsonPath);
  const bench::TempDir folder;
  std::string stateSpec = a.get("state", "sqlite");
  if (stateSpec == "sqlite") stateSpec = "sqlite:" + (folder.path / "coordinator.db").string();

  std::printf("command: %s\n", bench::commandLine().c_str());
  const bench::Machine m = bench::machine();
  std::printf("machine: %s, %d cores, load average %.2f\n", m.cpuModel.c_str(), m.cores, m.load1);
  std::printf(
      "coordinator: fedmrg-coordinator's RoundManager + CoordinatorService in a child process on 127.0.0.1, "
      "state %s, strategy fedmrg, model %s\n",
      stateSpec.rfind("sqlite:", 0) == 0 ? "sqlite (WAL, synchronous=FULL)" : stateSpec.c_str(), model.c_str());
  std::printf(
      "sites: %d simulated sites (own identities, insecure loopback), %d channels, %d client threads; each "
      "joins, then %d x (GetTask, Heartbeat); every join issued at once\n",
      sites, channels, threads, polls);
  std::fflush(stdout);

  int up[2], down[2];
  if (::pipe(up) != 0 || ::pipe(down) != 0) throw std::runtime_error("cannot create a pipe");
  const std::string prefix = "sim-site-";
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("cannot fork the coordinator process");
  if (child == 0) {
    ::close(up[0]);
    ::close(down[1]);
    runCoordinator(up[1], down[0], stateSpec, folder.path.string(), model, sites, prefix);
  }
  ::close(up[1]);
  ::close(down[0]);
  const std::string portLine = readLine(up[0]);
  if (portLine.empty() || portLine.rfind("error", 0) == 0) {
    ::waitpid(child, nullptr, 0);
    throw std::runtime_error("the coordinator did not start: " + portLine);
  }
  federation::SwarmSettings ss;
  ss.target = "127.0.0.1:" + portLine;
  ss.sites = sites;
  ss.sitePrefix = prefix;
  ss.channels = channels;
  ss.threads = threads;
  ss.polls = polls;
  const federation::SwarmResult r = federation::runSiteSwarm(ss);
  writeAll(down[1], "stop\n");
  const std::string reportLine = readLine(up[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CoordinatorReport c;
  std::istringstream in(reportLine);
  if (!(in >> c.startKb >> c.peakKb >> c.sites >> c.uniqueSites >> c.expectedSites >> c.logLines))
    throw std::runtime_error("the coordinator process did not report: " + reportLine);

  const double joinP50 = bench::percentile(r.joinMs, 0.5), joinP99 = bench::percentile(r.joinMs, 0.99);
  const double pollP50 = bench::percentile(r.pollMs, 0.5), pollP99 = bench::percentile(r.pollMs, 0.99);
  std::printf("\nresults:\n");
  std::printf("  joined %d of %d; calls ok %d, failed %d\n", r.joined, sites, r.callsOk, r.callsFailed);
  for (const auto& [what, n] : r.errors) std::printf("  error x%d: %s\n", n, what.c_str());
  std::printf("  Join latency p50 %.1f ms, p99 %.1f ms; poll (GetTask, Heartbeat) p50 %.1f ms, p99 %.1f ms\n", joinP50,
              joinP99, pollP50, pollP99);
  std::printf("  wall time %.2f s (first join issued to last answer)\n", r.wallSeconds);
  std::printf(
      "  coordinator: %d sites registered (%d distinct, %d of the simulated ids), RSS %.1f MB at start, peak "
      "%.1f MB; %ld log lines\n",
      c.sites, c.uniqueSites, c.expectedSites, c.startKb / 1024, c.peakKb / 1024, c.logLines);
  bench::TargetTable targets;
  targets.add({"failed calls", double(r.callsFailed), "", bench::Target::Kind::AtMost, 0});
  targets.add({"sites registered once", double(c.expectedSites == c.sites ? c.uniqueSites : 0), "",
               bench::Target::Kind::AtLeast, double(sites)});
  targets.print("targets");

  if (jsonPath) {
    Json j = Json::object();
    j["command"] = bench::commandLine();
    j["machine"] = bench::machineJson(m);
    j["model"] = model;
    j["state"] = stateSpec.rfind("sqlite:", 0) == 0 ? std::string("sqlite") : stateSpec;
    j["sites"] = double(sites);
    j["polls_per_site"] = double(polls);
    j["channels"] = double(channels);
    j["client_threads"] = double(threads);
    j["joined"] = double(r.joined);
    j["calls_ok"] = double(r.callsOk);
    j["calls_failed"] = double(r.callsFailed);
    Json errors = Json::object();
    for (const auto& [what, n] : r.errors) errors[what] = double(n);
    j["errors"] = errors;
    j["join_ms_p50"] = joinP50;
    j["join_ms_p99"] = joinP99;
    j["poll_ms_p50"] = pollP50;
    j["poll_ms_p99"] = pollP99;
    j["wall_seconds"] = r.wallSeconds;
    j["coordinator_rss_start_mb"] = c.startKb / 1024;
    j["coordinator_rss_peak_mb"] = c.peakKb / 1024;
    j["registered_sites"] = double(c.sites);
    j["registered_distinct"] = double(c.uniqueSites);
    j["targets"] = targets.json();
    bench::writeJson(*jsonPath, j);
    std::printf("wrote %s\n", jsonPath->c_str());
  }
  return r.callsFailed == 0 && c.uniqueSites == sites && c.expectedSites == sites ? 0 : 1;
}

const CommandRegistration reg(
    {"bench-federation-sites",
     "benchmark many sites joining and polling one coordinator at once (errors, latency, coordinator memory)",
     "--insecure-loopback [--sites 1000] [--polls 3] [--channels 16] [--threads 4] [--state sqlite|memory|SPEC] "
     "[--model DIR] [--json OUT]",
     {{"insecure-loopback", false, "required: the simulated sites name themselves in plain text on 127.0.0.1"},
      {"sites", true, "simulated sites, each with its own identity (default 1000)"},
      {"polls", true, "GetTask + Heartbeat pairs per site after its join (default 3)"},
      {"channels", true, "connections the sites share (default 16)"},
      {"threads", true, "client completion threads (default 4)"},
      {"state", true, "coordinator state: sqlite (a new file, default), memory, or a full state spec"},
      {"model", true, "model folder whose federated tensors the tasks carry (default: the shipped default model)"},
      {"json", true, "write every figure as JSON"}},
     runBenchFederationSites,
     true});

}  // namespace
}  // namespace fedmrg::cli
