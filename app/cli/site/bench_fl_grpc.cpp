#include "app/cli/site/bench_fl_grpc.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "app/cli/site/bench_fl_eval.h"
#include "app/cli/site/bench_fl_process.h"
#include "federation/federated_tensors.h"

namespace fedmrg::cli::benchfl {
namespace fs = std::filesystem;
using engine::Json;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string number(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

std::string coordinatorConfig(const RunInputs& in, const fs::path& work) {
  const BenchConfig& c = *in.config;
  std::ostringstream f;
  // The coordinator's durable state (SQLite) and its spilled uploads live in the run's work folder.
  f << "listen = 127.0.0.1:0\nstate = sqlite:" << (work / "coordinator.db").string()
    << "\nupload_dir = " << (work / "coordinator-uploads").string() << "\nmodel = " << in.modelDir
    << "\nstrategy = " << federation::strategyName(*in.method->strategy) << "\nmin_sites = " << in.data->seen.size()
    << "\nfraction = 1\ndeadline_seconds = 604800\nmax_rounds = " << c.rounds
    << "\nproximal_mu = " << number(c.fedproxMu) << "\ncodec_low_rank = " << (in.method->lowRank ? "true" : "false")
    << "\ncodec_rank = " << c.codec.rank << "\ncodec_seed = " << in.seed + 1
    << "\ncodec_refresh = " << c.codec.refreshEvery << "\ncodec_int8 = " << (c.codec.int8 ? "true" : "false")
    << "\ncodec_zstd = " << (c.codec.zstd ? "true" : "false") << "\n";
  return f.str();
}

// The port from the coordinator's "listening on port N" line (it flushes the line before serving).
int waitForPort(Child& coordinator) {
  const std::string prefix = "listening on port ";
  for (int i = 0; i < 600; ++i) {
    const std::string log = readText(coordinator.log());
    const size_t at = log.find(prefix);
    if (at != std::string::npos && log.find('\n', at) != std::string::npos)
      return std::atoi(log.c_str() + at + prefix.size());
    if (coordinator.poll()) throw std::runtime_error(coordinator.failure("fedmrg-coordinator"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("fedmrg-coordinator did not say its port within a minute: " + coordinator.log().string());
}

// key=value fields of a site's event line.
std::map<std::string, std::string> fields(const std::string& line) {
  std::map<std::string, std::string> out;
  std::istringstream s(line);
  for (std::string w; s >> w;)
    if (const size_t eq = w.find('='); eq != std::string::npos) out[w.substr(0, eq)] = w.substr(eq + 1);
  return out;
}

struct RoundWire {
  double up = 0, down = 0;
  std::string broadcastDigest, modelDigest;
};

// Bytes and digests per round from the sites' event lines; every site must have applied the same versions.
std::vector<RoundWire> wireOf(const std::vector<fs::path>& logs, int rounds) {
  std::vector<RoundWire> out(size_t(rounds) + 1);
  for (const fs::path& log : logs) {
    std::istringstream in(readText(log));
    for (std::string line; std::getline(in, line);) {
      auto f = fields(line);
      if (f["event"] == "uploaded") {
        const int r = std::atoi(f["round"].c_str());
        if (r >= 1 && r <= rounds) out[size_t(r)].up += std::atof(f["bytes"].c_str());
      } else if (f["event"] == "applied") {
        const int v = std::atoi(f["version"].c_str());
        if (v < 1 || v > rounds) continue;
        RoundWire& w = out[size_t(v)];
        w.down += std::atof(f["bytes"].c_str());
        if (!w.broadcastDigest.empty() && (w.broadcastDigest != f["digest"] || w.modelDigest != f["model_digest"]))
          throw std::runtime_error(log.string() + ": version " + f["version"] + " differs from another site's");
        w.broadcastDigest = f["digest"];
        w.modelDigest = f["model_digest"];
      }
    }
  }
  return out;
}

double number(const Json& j, const char* key) { return j.at(key).asNumber(); }

}  // namespace

GrpcPrograms findGrpcPrograms() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this program's path (/proc/self/exe)");
  GrpcPrograms p;
  p.cli = self.string();
  const fs::path dir = self.parent_path();
  for (const fs::path& c : {dir / "fedmrg-coordinator", dir.parent_path() / "programs" / "fedmrg-coordinator"})
    if (fs::exists(c)) p.coordinator = c.string();
  if (p.coordinator.empty())
    throw std::runtime_error("--transport grpc needs fedmrg-coordinator beside " + self.string() + " or in " +
                             (dir.parent_path() / "programs").string());
  return p;
}

Json runMethodGrpc(const RunInputs& in, const GrpcPrograms& programs) {
  const BenchConfig& c = *in.config;
  const Method& method = *in.method;
  const BenchData& data = *in.data;
  if (!method.strategy) throw std::logic_error("runMethodGrpc: " + method.name + " sends nothing");
  const size_t S = data.seen.size();
  const fs::path work(in.workDir);
  fs::remove_all(work);  // a grpc run does not resume
  fs::create_directories(work / "logs");
  if (in.onStart) in.onStart(0, "");
  const auto runStart = Clock::now();
  {
    std::ofstream f(work / "coordinator.conf");
    f << coordinatorConfig(in, work);
  }
  Child coordinator({programs.coordinator, "--config", (work / "coordinator.conf").string(), "--insecure-loopback"},
                    work / "logs" / "coordinator.log");
  const int port = waitForPort(coordinator);
  std::vector<std::unique_ptr<Child>> sites;
  std::vector<fs::path> siteLogs;
  for (size_t s = 0; s < S; ++s) {
    const std::string& id = data.seen[s].id;
    siteLogs.push_back(work / "logs" / (id + ".log"));
    sites.push_back(std::make_unique<Child>(std::vector<std::string>{programs.cli,
                                                                     "federate",
                                                                     "--coordinator",
                                                                     "127.0.0.1:" + std::to_string(port),
                                                                     "--site-id",
                                                                     id,
                                                                     "--state",
                                                                     (work / "sites" / id).string(),
                                                                     "--train",
                                                                     "engine",
                                                                     "--model",
                                                                     in.modelDir,
                                                                     "--data",
                                                                     data.dir,
                                                                     "--site",
                                                                     id,
                                                                     "--row",
                                                                     std::to_string(s),
                                                                     "--num-sites",
                                                                     std::to_string(S),
                                                                     "--max-train",
                                                                     std::to_string(c.data.maxTrainPerSite),
                                                                     "--steps",
                                                                     std::to_string(c.localSteps),
                                                                     "--batch",
                                                                     std::to_string(c.batch),
                                                                     "--lr",
                                                                     number(c.learningRate),
                                                                     "--seed",
                                                                     std::to_string(in.seed),
                                                                     "--threads",
                                                                     std::to_string(c.threads),
                                                                     "--save-versions",
                                                                     (work / "versions" / id).string(),
                                                                     "--rounds",
                                                                     std::to_string(c.rounds)},
                                            siteLogs.back()));
  }
  auto versionDir = [&](size_t s, int v) {
    return work / "versions" / data.seen[s].id / ("version-" + std::to_string(v));
  };
  // Rounds close as the sites' saved models of each version appear; a process that fails stops the run.
  std::vector<double> closedAt(size_t(c.rounds) + 1, 0.0);
  for (int r = 1; r <= c.rounds; ++r) {
    for (;;) {
      bool all = true;
      for (size_t s = 0; s < S && all; ++s) all = fs::exists(versionDir(s, r) / "config.json");
      if (all) break;
      if (coordinator.poll()) throw std::runtime_error(coordinator.failure("fedmrg-coordinator"));
      for (size_t s = 0; s < S; ++s)
        if (auto code = sites[s]->poll(); code && (*code != 0 || !fs::exists(versionDir(s, r) / "config.json")))
          throw std::runtime_error(sites[s]->failure("the site process of " + data.seen[s].id));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    closedAt[size_t(r)] = since(runStart);
    std::printf("[%s seed %llu] round %d/%d closed on the coordinator (%.0f s)\n", method.name.c_str(),
                (unsigned long long)in.seed, r, c.rounds, closedAt[size_t(r)]);
    std::fflush(stdout);
  }
  for (size_t s = 0; s < S; ++s) {
    for (int i = 0; i < 600 && !sites[s]->poll(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (sites[s]->poll().value_or(1) != 0)
      throw std::runtime_error(sites[s]->failure("the site process of " + data.seen[s].id));
  }
  coordinator.stop();
  const std::vector<RoundWire> wire = wireOf(siteLogs, c.rounds);

  std::vector<std::string> names;
  for (const SiteData& site : data.seen) names.push_back(site.id);
  auto modelsOf = [&](int r) {
    std::vector<std::string> m;
    for (size_t s = 0; s < S; ++s) m.push_back(versionDir(s, r).string());
    return m;
  };
  Json rounds = Json::array();
  double cumUp = 0, cumDown = 0, bestF1 = -1;
  int bestRound = 0;
  for (int r = 1; r <= c.rounds; ++r) {
    const auto e0 = Clock::now();
    Json scores = scoreModels(modelsOf(r), names, data, false, c);
    const double f1 = number(scores.at("seen"), "ce_f1");
    if (f1 > bestF1) {  // the first round that reaches the best val CE-F1 is kept, as in-process
      bestF1 = f1;
      bestRound = r;
    }
    const RoundWire& w = wire[size_t(r)];
    cumUp += w.up;
    cumDown += w.down;
    Json j = Json::object();
    j["round"] = r;
    j["val"] = scores;
    j["up_bytes"] = w.up;
    j["down_bytes"] = w.down;
    j["cumulative_up_bytes"] = cumUp;
    j["cumulative_down_bytes"] = cumDown;
    j["train_seconds"] = closedAt[size_t(r)] - closedAt[size_t(r) - 1];
    j["eval_seconds"] = since(e0);
    j["broadcast_digest"] = w.broadcastDigest;
    j["model_digest"] = w.modelDigest;
    rounds.push_back(j);
    if (in.onRound) {
      char line[256];
      std::snprintf(line, sizeof line, "val CE-F1 seen %.3f held-out %.3f  BLEU-4 seen %.3f  up %.1f KB down %.1f KB",
                    f1, number(scores.at("held_out"), "ce_f1"), number(scores.at("seen"), "bleu4"), w.up / 1024,
                    w.down / 1024);
      in.onRound(r, line);
    }
  }
  // The test studies, scored once, by the models of the round chosen on validation.
  const Json test = scoreModels(modelsOf(bestRound), names, data, true, c);
  const auto specs = federation::federatedTensors(in.modelDir, *method.strategy);
  int64_t values = 0;
  for (const auto& s : specs) values += s.rows() * s.cols();
  Json out = Json::object();
  out["method"] = method.name;
  out["label"] = method.label;
  out["seed"] = double(in.seed);
  out["transport"] = "grpc";
  out["rounds"] = rounds;
  out["best_round"] = bestRound;
  out["selection"] = "round with the best seen-site validation CE-F1; test scored once with its models";
  out["test"] = test;
  out["shared_tensors"] = double(specs.size());
  out["shared_values"] = double(values);
  out["low_rank"] = method.lowRank;
  out["prototypes_shared"] = false;
  out["total_up_bytes"] = cumUp;
  out["total_down_bytes"] = cumDown;
  out["total_bytes"] = cumUp + cumDown;
  out["seconds"] = since(runStart);
  return out;
}

}  // namespace fedmrg::cli::benchfl
