// fedmrg-cli federate: a site process for tests and demonstrations. It joins a coordinator, takes part in
// its rounds and prints one line per event. Its training is SYNTHETIC and deterministic: on the federated
// tensors of the coordinator's task (the default model's shapes), each round adds a change made from the
// site id, the round and the tensor name; the engine's real trainer is wired in by issue 14.
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

std::atomic<bool> gStop{false};
void onSignal(int) { gStop = true; }  // only sets a flag; the main loop cancels the site

int runFederate(const Args& a) {
  const std::string target = a.require("coordinator"), siteId = a.require("site-id"), dir = a.require("state");
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
  o.stateFile = (fs::path(dir) / "federation-state.txt").string();
  o.stopAtVersion = uint64_t(rounds);
  o.onEvent = [&](const std::string& line) {
    std::lock_guard lock(out);
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  };
  federation::FederatedSite site(
      federation::grpcSiteTransport(target, credentials, insecure ? siteId : std::string()),
      [&](const federation::TrainRequest& r) {
        // A slow site, for tests of stragglers: waits, and stops waiting when cancelled.
        for (long long waited = 0; waited < delayMs && !r.cancelled->load(); waited += 50)
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return syntheticTraining(r, siteId, data, scale);
      },
      o);
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
     "take part in federated rounds as a site (synthetic, deterministic training; for tests)",
     "--coordinator ADDR --site-id ID --state DIR [--ca CA.pem --cert SITE.pem --key SITE.key] [--rounds N]",
     {{"coordinator", true, "the coordinator's address, host:port (plain text only on a loopback address)"},
      {"site-id", true, "this site's id (with TLS, the certificate's common name is what the coordinator uses)"},
      {"ca", true, "the consortium CA's certificate (mutual TLS)"},
      {"cert", true, "this site's certificate (fedmrg-coordinator certs issue-site)"},
      {"key", true, "this site's private key (mode 0600)"},
      {"state", true, "the site's folder: its federation state file and its synthetic site data"},
      {"rounds", true, "stop once this global version is applied (default: when the coordinator is done)"},
      {"scale", true, "multiply the synthetic change (tests of the norm bound: 100, -1); default 1"},
      {"train-delay-ms", true, "wait this long before each round's synthetic training (tests of stragglers)"}},
     runFederate});

}  // namespace
}  // namespace fedmrg::cli
