// fedmrg-cli bench fl: the FL-MRG benchmark (issue 13; docs/benchmark-fl.md). Local-only, Centralized, FedAvg,
// FedProx, FedAvg-LoRA, FedMRG and FedMRG's ablations train the adapters of one base model on FL-MRG-Synth
// sites, in this process, through the federation's own codec and aggregation code; with --transport grpc the
// federated methods run through the real fedmrg-coordinator and site processes (bench_fl_grpc.h). Writes
// results/<run>/results.json, TABLE.md, rounds.csv and one file per finished run (method, seed); an interrupted
// benchmark skips the finished runs and continues the unfinished one from its last finished round
// (bench_fl_resume.h); then the PNG plots through fedmrg-bench-plots (app/cli/plots).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "app/cli/site/bench_fl_data.h"
#include "app/cli/site/bench_fl_grpc.h"
#include "app/cli/site/bench_fl_model.h"
#include "app/cli/site/bench_fl_report.h"
#include "app/cli/site/bench_fl_run.h"
#include "engine/model/model_folder.h"

namespace fedmrg::cli {
namespace {

namespace fs = std::filesystem;
using engine::Json;
using namespace benchfl;

constexpr const char* kSelectionNote =
    "Choices are made on validation studies only (the round kept per run: best seen-site val CE-F1); each test "
    "split is scored once per finished run, with the kept round's models.";

std::string shell(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string clock(double seconds) {
  const long s = long(seconds + 0.5);
  char b[32];
  std::snprintf(b, sizeof b, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return b;
}

void writeText(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!(f << text)) throw std::runtime_error(tmp.string() + ": cannot write");
  }
  fs::rename(tmp, path);  // a run file is either whole or absent: resume never reads half of one
}

// A finished run's file, when it was made with this very configuration.
std::optional<Json> finishedRun(const fs::path& file, const std::string& digest) {
  if (!fs::exists(file)) return std::nullopt;
  try {
    Json j = Json::parseFile(file.string());
    if (j.value("config_digest", "") == digest) return j;
    std::printf("%s: made with another configuration, run again\n", file.string().c_str());
  } catch (const std::exception& e) {
    std::printf("%s: unreadable (%s), run again\n", file.string().c_str(), e.what());
  }
  return std::nullopt;
}

// The PNG plots come from fedmrg-bench-plots (Qt Charts needs a QApplication, which this headless program does
// not build): run when it lies beside this executable, else its command is printed.
void drawPlots(const fs::path& runDir) {
  std::error_code ec;
  const fs::path plots = fs::read_symlink("/proc/self/exe", ec).parent_path() / "fedmrg-bench-plots";
  auto quoted = [](const std::string& s) {
    std::string q = "'";
    for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
  };
  if (ec || !fs::exists(plots)) {
    std::printf("plots: run fedmrg-bench-plots %s (not found beside fedmrg-cli)\n", runDir.string().c_str());
    return;
  }
  std::fflush(stdout);
  if (std::system((quoted(plots.string()) + " " + quoted(runDir.string())).c_str()) != 0)
    std::fprintf(stderr, "plots: fedmrg-bench-plots failed; the figures above are complete without them\n");
}

int runBenchFl(const Args& a) {
  const std::string configPath = a.require("config");
  const BenchConfig config = BenchConfig::load(configPath);
  const fs::path runDir = fs::path(a.get("out", "results")) / a.get("run", config.name);
  fs::create_directories(runDir / "runs");
  const std::string baseModel = config.baseModel.empty() ? bench::modelFolder(a) : config.baseModel;
  const std::string commit = shell("git rev-parse HEAD 2>/dev/null");
  const bool dirty = !shell("git status --porcelain --untracked-files=no 2>/dev/null").empty();
  const bench::Machine machine = bench::machine();
  const std::string transport = a.get("transport", "in-process");
  if (transport != "in-process" && transport != "grpc") throw UsageError("--transport must be in-process or grpc");
  const bool grpc = transport == "grpc";
  const std::optional<GrpcPrograms> programs = grpc ? std::optional(findGrpcPrograms()) : std::nullopt;
  // A run finished on the other transport is run again: its bytes and seconds are not this transport's.
  const std::string digest = std::to_string(std::hash<std::string>{}(config.source.dump() + "/" + transport));
  // Tests interrupt a benchmark at a known point with this, then check that a rerun resumes it.
  const long long stopAfter = a.getInt("stop-after-round", 0);
  if (stopAfter < 0) throw UsageError("--stop-after-round: must be a positive number of rounds");

  std::printf("command: %s\n", bench::commandLine().c_str());
  std::printf("commit: %s%s\nmachine: %s, %d cores\n", commit.empty() ? "unknown" : commit.c_str(),
              dirty ? " (with uncommitted changes)" : "", machine.cpuModel.c_str(), machine.cores);
  std::printf("base model: %s\nresults: %s\n%s\n", baseModel.c_str(), runDir.string().c_str(), kSelectionNote);
  std::printf("transport: %s\n", grpc ? "grpc (federated methods through fedmrg-coordinator and one fedmrg-cli "
                                        "federate --train engine process per site on 127.0.0.1; Local-only and "
                                        "Centralized in this process)"
                                      : "in-process");
  if (grpc || !config.sharePrototypes)
    std::printf("FedMRG's site prototypes are not shared: %s\n",
                grpc ? "the federation protocol has no channel for them" : "share_prototypes is false");
  std::fflush(stdout);

  const std::string dataDir = ensureDataset(config, runDir.string());
  const engine::ModelFolder base(baseModel);
  const BenchData data = loadData(config, dataDir, base.loadConfig(), base.loadTokenizer());
  std::printf("data: %s; seen sites:", dataDir.c_str());
  for (const SiteData& s : data.seen)
    std::printf(" %s (%zu train, %zu val, %zu test)", s.id.c_str(), s.train.examples.size(), s.val.examples.size(),
                s.test.examples.size());
  std::printf("; held-out %s (%zu val, %zu test)\n", data.heldOut.id.c_str(), data.heldOut.val.examples.size(),
              data.heldOut.test.examples.size());

  // Progress and ETA over every round of every run still to do.
  const int totalRounds = int(config.methods.size() * config.seeds.size()) * config.rounds;
  int roundsDone = 0, roundsTimed = 0, roundsHere = 0;
  double secondsTimed = 0;
  std::vector<Json> runs;
  // Rounds are timed back to back, so that a run's test scoring counts in the next round's time.
  auto last = std::chrono::steady_clock::now();
  for (const std::string& name : config.methods) {
    Method method = *findMethod(name);
    if (grpc || !config.sharePrototypes) method.sharePrototypes = false;
    const std::string modelDir = prepareModelFolder(baseModel, config, method, runDir.string());
    for (uint64_t seed : config.seeds) {
      const fs::path file = runDir / "runs" / (method.name + "-seed" + std::to_string(seed) + ".json");
      if (auto done = finishedRun(file, digest)) {
        std::printf("[%s seed %llu] finished before: %s (skipped)\n", method.name.c_str(), (unsigned long long)seed,
                    file.string().c_str());
        runs.push_back(*done);
        roundsDone += config.rounds;
        last = std::chrono::steady_clock::now();
        continue;
      }
      RunInputs in;
      in.config = &config;
      in.method = &method;
      in.seed = seed;
      in.data = &data;
      in.modelDir = modelDir;
      in.workDir = (runDir / "work" / (method.name + "-seed" + std::to_string(seed))).string();
      in.configDigest = digest;
      in.onStart = [&](int resumed, const std::string& note) {
        if (!note.empty())
          std::printf("[%s seed %llu] %s\n", method.name.c_str(), (unsigned long long)seed, note.c_str());
        roundsDone += resumed;
        last = std::chrono::steady_clock::now();
      };
      in.stopNow = [&] { return stopAfter > 0 && roundsHere >= stopAfter; };
      in.onRound = [&](int round, const std::string& summary) {
        const auto now = std::chrono::steady_clock::now();
        secondsTimed += std::chrono::duration<double>(now - last).count();
        last = now;
        ++roundsTimed;
        ++roundsDone;
        ++roundsHere;
        const double eta = secondsTimed / roundsTimed * (totalRounds - roundsDone);
        std::printf("[%s seed %llu] round %d/%d  %s  (%d/%d rounds of the benchmark, ETA %s)\n", method.name.c_str(),
                    (unsigned long long)seed, round, config.rounds, summary.c_str(), roundsDone, totalRounds,
                    clock(eta).c_str());
        std::fflush(stdout);
      };
      std::optional<Json> finished =
          grpc && method.strategy ? std::optional(runMethodGrpc(in, *programs)) : runMethod(in);
      if (!finished) {
        std::printf("stopped after %d rounds as asked (--stop-after-round); the same command resumes the run\n",
                    roundsHere);
        return 0;
      }
      Json run = std::move(*finished);
      run["config_digest"] = digest;
      const Json& t = run.at("test");
      std::printf(
          "[%s seed %llu] test (scored once, round %d kept on val): seen CE-F1 %.3f BLEU-4 %.3f, held-out "
          "CE-F1 %.3f; %.0f bytes sent\n",
          method.name.c_str(), (unsigned long long)seed, int(run.at("best_round").asNumber()),
          t.at("seen").at("ce_f1").asNumber(), t.at("seen").at("bleu4").asNumber(),
          t.at("held_out").at("ce_f1").asNumber(), run.at("total_bytes").asNumber());
      writeText(file, run.dump(2) + "\n");
      fs::remove_all(in.workDir);  // the run's state and kept models are large; its file holds every figure
      runs.push_back(std::move(run));
    }
  }

  const std::vector<std::string> header{
      "# FL-MRG benchmark: " + config.name,
      "",
      "Command: `" + bench::commandLine() + "`  ",
      "Commit: " + (commit.empty() ? std::string("unknown") : commit) + (dirty ? " (with uncommitted changes)" : "") +
          "  ",
      "Machine: " + machine.cpuModel + ", " + std::to_string(machine.cores) + " cores  ",
      "Transport: " + transport + "  ",
      "Sites: " + std::to_string(data.seen.size()) + " seen, held-out " + data.heldOut.id + "; " +
          std::to_string(config.rounds) + " rounds of " + std::to_string(config.localSteps) + " local steps (batch " +
          std::to_string(config.batch) + "); seeds: " + std::to_string(config.seeds.size()) + "  ",
      "",
      std::string(kSelectionNote),
      "",
      "Scores are on the test studies (seen sites: their own adapters; held-out site: the generic path of each seen "
      "site's model, pooled); mean ± sample std over seeds. Bytes: every serialized message of the run, up and down, "
      "all sites (Local-only and Centralized send no model update; Centralized pools the data itself)."};
  writeText(runDir / "TABLE.md", tableMarkdown(runs, config.methods, header));
  writeText(runDir / "rounds.csv", roundsCsv(runs));
  Json results = Json::object();
  results["command"] = bench::commandLine();
  results["git_commit"] = commit;
  results["uncommitted_changes"] = dirty;
  results["machine"] = bench::machineJson(machine);
  results["config_file"] = configPath;
  results["config"] = config.source;
  results["base_model"] = baseModel;
  results["data"] = dataDir;
  results["selection"] = kSelectionNote;
  results["transport"] = transport;
  Json list = Json::array();
  for (const Json& r : runs) list.push_back(r);
  results["runs"] = list;
  writeText(runDir / "results.json", results.dump(2) + "\n");
  std::printf("wrote %s, TABLE.md and rounds.csv\n", (runDir / "results.json").string().c_str());
  drawPlots(runDir);
  return 0;
}

const CommandRegistration reg(
    {"bench-fl",
     "the FL-MRG benchmark: Local, Centralized, FedAvg, FedProx, FedAvg-LoRA, FedMRG and its ablations",
     "--config bench/NAME.json [--out results] [--run NAME] [--model DIR] [--transport in-process|grpc]\n"
     "       [--stop-after-round N]",
     {{"config", true, "benchmark config (bench/tiny.json, bench/quick.json, bench/standard.json)"},
      {"out", true, "folder of the results (default results); the run's folder is <out>/<run>"},
      {"run", true, "name of the run's folder (default: the config's name)"},
      {"model", true, "base model folder when the config names none (default: the shipped default model)"},
      {"transport", true,
       "in-process (default) or grpc: the federated methods through the real fedmrg-coordinator and one "
       "`fedmrg-cli federate --train engine` process per site on 127.0.0.1 (no resume; no prototype sharing)"},
      {"stop-after-round", true,
       "stop once N rounds ran in this invocation, at the end of a round that leaves its run unfinished (tests "
       "interrupt a benchmark with it; the same command without it resumes)"}},
     runBenchFl,
     true});

}  // namespace
}  // namespace fedmrg::cli
