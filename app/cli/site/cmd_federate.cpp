// fedmrg-cli federate: a site process. It joins a coordinator, takes part in its rounds and prints one line
// per event. By default its training is SYNTHETIC and deterministic (for tests of the protocol): on the
// federated tensors of the coordinator's task, each round adds a change made from the site id, the round and
// the tensor name. With --train engine it trains the model's adapters with the engine on one FL-MRG-Synth
// site's train split (federation/engine_train_function.h), as `bench fl --transport grpc` runs its sites.
//
// So that a test can prove nothing private leaves the site, the command keeps synthetic site data in its
// state folder (a patient name and ID, report sentences, image pixels) and reads them to count its samples,
// as a real site's trainer reads its studies; none of it is ever put into an update.
#include <grpcpp/grpcpp.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/cli/cli.h"
#include "app/cli/site/bench_fl_data.h"
#include "engine/model/model_folder.h"
#include "federation/engine_train_function.h"
#include "federation/codec_random.h"
#include "federation/federated_site.h"
#include "federation/site_client.h"
#include "federation/tls_credentials.h"

namespace fedmrg::cli {
namespace {

namespace fs = std::filesystem;
using federation::Matrix;

// The site's private synthetic data: written once, read by the training callback.
struct SiteData {
  std::string patientName, patientId, report, pixels;
};

SiteData siteData(const std::string& dir, const std::string& siteId) {
  const fs::path d = fs::path(dir) / "site-data";
  fs::create_directories(d);
  SiteData s;
  const uint64_t h = federation::stableHash(siteId);
  auto readOrWrite = [&](const char* name, const std::string& content) {
    const fs::path p = d / name;
    if (!fs::exists(p)) std::ofstream(p, std::ios::binary) << content;
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  s.patientName = readOrWrite("patient-name.txt", "SYNTHETIC^PATIENT^" + siteId);
  s.patientId = readOrWrite("patient-id.txt", "PID-" + std::to_string(h % 100000000));
  s.report = readOrWrite("report.txt", "Findings: small left basal effusion at " + siteId +
                                           ". Impression: no pneumothorax, heart size normal.");
  std::string px(4096, '\0');
  federation::CodecRandom rng(h);
  for (auto& c : px) c = char(rng.next() & 0xff);
  s.pixels = readOrWrite("pixels.raw", px);
  return s;
}

// Deterministic synthetic training: a direction every site shares in this round plus the site's own part,
// of the size of an adapter step; FedProx's proximal term shrinks the step by 1 / (1 + mu).
federation::TrainResult syntheticTraining(const federation::TrainRequest& r, const std::string& siteId,
                                          const SiteData& data, double scale) {
  federation::TrainResult out;
  const double step = scale / (1.0 + r.proximalMu);
  for (const auto& spec : *r.tensors) {
    Matrix m = r.global->at(spec.name);
    federation::CodecRandom shared(federation::stableHash(spec.name) ^ (r.round * 7919));
    federation::CodecRandom own(federation::stableHash(spec.name + "/" + siteId) ^ (r.round * 104729));
    const float w = float(step * 1e-3 / std::sqrt(double(m.values.size())));
    for (auto& v : m.values) v += w * float(shared.normal() + 0.2 * own.normal());
    out.tensors[spec.name] = std::move(m);
  }
  // The samples this site trained on: its studies (here one synthetic study with its pixels and report).
  out.sampleCount = 50 + data.pixels.size() % 7 + federation::stableHash(siteId) % 50;
  return out;
}

// --train engine: the model folder every site starts from, trained on the site's FL-MRG-Synth train split.
federation::EngineSite engineTraining(const Args& a, const std::string& site) {
  federation::EngineSiteTraining t;
  t.modelDir = a.require("model");
  const std::string data = a.require("data");
  t.siteRow = int(a.getInt("row", 0));
  engine::TrainOptions& o = t.options;
  o.steps = int(a.getInt("steps", 10));
  o.batchSize = int(a.getInt("batch", 4));
  o.learningRate = a.getDouble("lr", 1e-3);
  o.seed = uint64_t(a.getInt("seed", 1));
  o.threads = int(a.getInt("threads", 0));
  o.numSites = int(a.getInt("num-sites", t.siteRow + 1));
  // As the FL benchmark trains: a constant rate, since every round's train() restarts the schedule.
  o.warmupSteps = 0;
  o.minLearningRateRatio = 1.0;
  o.progressEvery = 1 << 30;
  const long long maxTrain = a.getInt("max-train", 0);
  if (o.steps < 1 || o.batchSize < 1) throw UsageError("--steps and --batch must be >= 1");
  if (o.learningRate <= 0) throw UsageError("--lr must be positive");
  if (t.siteRow < 0 || o.numSites <= t.siteRow) throw UsageError("--row must be 0 or more and below --num-sites");
  if (maxTrain < 0) throw UsageError("--max-train must be 0 or more");
  const engine::ModelFolder folder(t.modelDir);
  if (const std::string why = folder.problem(); !why.empty()) throw UsageError("--model: " + why);
  t.examples = [data, site, folder, row = t.siteRow, maxTrain] {
    for (const engine::SynthSiteEntry& e : engine::readSynthSites(data))
      if (e.id == site)
        return benchfl::readSiteSplit(e, "train", 0, int(maxTrain), folder.loadConfig(), folder.loadTokenizer(), row)
            .examples;
    throw std::runtime_error(data + "/manifest.json: no site '" + site + "' (--site)");
  };
  return federation::engineSite(std::move(t), a.get("save-versions", ""));
}

std::atomic<bool> gStop{false};
void onSignal(int) { gStop = true; }  // only sets a flag; the main loop cancels the site

int runFederate(const Args& a) {
  const std::string train = a.get("train", "synthetic");
  if (train != "synthetic" && train != "engine") throw UsageError("--train must be synthetic or engine");
  const bool engineMode = train == "engine";
  const std::string target = a.require("coordinator"), dir = a.require("state");
  const std::string siteId = engineMode && !a.has("site-id") ? a.require("site") : a.require("site-id");
  const long long rounds = a.getInt("rounds", 0);
  const double scale = a.getDouble("scale", 1.0);
  const long long delayMs = a.getInt("train-delay-ms", 0);
  if (rounds < 0) throw UsageError("--rounds must be 0 or more");
  // Mutual TLS with the site's certificate (fedmrg-coordinator certs issue-site); without certificate files,
  // plain text, which siteCredentials() allows on a loopback address only.
  const federation::TlsFiles tls{a.get("ca").value_or(""), a.get("cert").value_or(""), a.get("key").value_or("")};
  const bool insecure = tls.caCertFile.empty() && tls.certFile.empty() && tls.keyFile.empty();
  const auto credentials = federation::siteCredentials(target, tls, insecure);
  fs::create_directories(dir);
  const SiteData data = siteData(dir, siteId);
  std::mutex out;
  federation::FederatedSiteOptions o;
  o.siteId = siteId;
  o.stateFile = (fs::path(dir) / "federation-state.txt").string();
  o.stopAtVersion = uint64_t(rounds);
  o.onEvent = [&](const std::string& line) {
    std::lock_guard lock(out);
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  };
  federation::TrainFunction trainFunction = [&](const federation::TrainRequest& r) {
    // A slow site, for tests of stragglers: waits, and stops waiting when cancelled.
    for (long long waited = 0; waited < delayMs && !r.cancelled->load(); waited += 50)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return syntheticTraining(r, siteId, data, scale);
  };
  if (engineMode) {
    federation::EngineSite engine = engineTraining(a, a.require("site"));
    trainFunction = engine.train;
    o.onApplied = engine.applied;
  }
  federation::FederatedSite site(
      federation::grpcSiteTransport(target, credentials, insecure ? siteId : std::string()), trainFunction, o);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGINT, onSignal);
  site.start();
  while (!site.wait(100))
    if (gStop) site.cancel();
  if (!site.error().empty()) {
    std::fprintf(stderr, "fedmrg-cli federate: %s\n", site.error().c_str());
    return 1;
  }
  std::printf("done version=%llu model_digest=%s\n", (unsigned long long)site.version(), site.modelDigest().c_str());
  return 0;
}

const CommandRegistration reg(
    {"federate",
     "take part in federated rounds as a site (synthetic training for tests, or the engine's on FL-MRG-Synth)",
     "--coordinator ADDR --site-id ID --state DIR [--ca CA.pem --cert SITE.pem --key SITE.key] [--rounds N]\n"
     "       [--train engine --model DIR --data SYNTH_DIR --site SITE [--row R --num-sites N --max-train N]\n"
     "        [--steps N --batch B --lr X --seed S --threads T] [--save-versions DIR]]",
     {{"coordinator", true, "the coordinator's address, host:port (plain text only on a loopback address)"},
      {"site-id", true, "this site's id (with TLS, the certificate's common name is what the coordinator uses)"},
      {"ca", true, "the consortium CA's certificate (mutual TLS)"},
      {"cert", true, "this site's certificate (fedmrg-coordinator certs issue-site)"},
      {"key", true, "this site's private key (mode 0600)"},
      {"state", true, "the site's folder: its federation state file and its synthetic site data"},
      {"rounds", true, "stop once this global version is applied (default: when the coordinator is done)"},
      {"scale", true, "multiply the synthetic change (tests of the norm bound: 100, -1); default 1"},
      {"train-delay-ms", true, "wait this long before each round's synthetic training (tests of stragglers)"},
      {"train", true, "synthetic (default) or engine: train the adapters with the engine"},
      {"model", true, "engine: the model folder every site starts from"},
      {"data", true, "engine: an FL-MRG-Synth folder (manifest.json)"},
      {"site", true,
       "engine: the FL-MRG-Synth site whose train split this site trains on (and its id without --site-id)"},
      {"row", true, "engine: this site's row of the prototype table (default 0)"},
      {"num-sites", true, "engine: rows of the prototype table (default row + 1)"},
      {"max-train", true, "engine: use at most N training studies (default: all)"},
      {"steps", true, "engine: optimizer steps per round (default 10)"},
      {"batch", true, "engine: samples per step (default 4)"},
      {"lr", true, "engine: learning rate, constant (default 0.001)"},
      {"seed", true, "engine: the run's seed; each round's follows from it (default 1)"},
      {"threads", true, "engine: LibTorch threads (default: every core)"},
      {"save-versions", true, "engine: save the site's model of each global version to DIR/version-<v>"}},
     runFederate});

}  // namespace
}  // namespace fedmrg::cli
