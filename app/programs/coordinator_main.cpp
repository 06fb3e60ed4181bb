// fedmrg-coordinator: the federation server (docs/federation.md, "Running a coordinator"). Reads a
// configuration file, opens the durable state, and runs rounds of fedmrg.federation.v1 until SIGTERM.
#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "app/programs/coordinator_certs.h"
#include "coordinator/coordinator_config.h"
#include "coordinator/coordinator_service.h"
#include "coordinator/site_admission.h"
#include "coordinator/state_factory.h"
#include "federation/tls_credentials.h"
#include "coordinator/round_manager.h"
#include "fedmrg_version.h"

namespace {

namespace co = fedmrg::coordinator;

void printHelp() {
  std::cout << "fedmrg-coordinator " << FEDMRG_VERSION_STRING
            << ": the FedMRG federation server.\n\n"
               "It runs rounds of federated training between sites (protocol fedmrg.federation.v1): a round opens\n"
               "once enough sites joined, sites download the global version, train, and upload their change;\n"
               "the coordinator checks each upload, aggregates while they stream in, and publishes the next\n"
               "global version. Only adapter and head tensors travel, never images, report text or patient data.\n\n"
               "Without --insecure-loopback the connection is mutual TLS: the configuration names the\n"
               "coordinator's certificate and key, the consortium CA and optionally its revocation list, and\n"
               "every call is admitted by the site's certificate (revoked or re-keyed sites are refused).\n\n"
               "usage: fedmrg-coordinator --config FILE [--listen ADDR] [--insecure-loopback]\n"
               "       fedmrg-coordinator certs init|issue-coordinator|issue-site|revoke|list --dir DIR ...\n"
               "                            the consortium CA and its certificates (certs --help)\n\n"
               "options:\n"
               "  --config FILE        the configuration file (key = value lines; docs/federation.md)\n"
               "  --listen ADDR        overrides the file's listen address\n"
               "  --insecure-loopback  no TLS; sites name themselves by the fedmrg-site-id metadata. Only on a\n"
               "                       loopback address (tests and development)\n"
               "  --version            print the version\n"
               "  --help               print this help\n";
}

std::mutex logMutex;
void logLine(const std::string& line) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::lock_guard lock(logMutex);
  std::cerr << "ts=" << ms << " " << line << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  // `fedmrg-coordinator certs ...`: the consortium CA and its certificates (app/programs/coordinator_certs).
  if (argc > 1 && std::string(argv[1]) == "certs") return runCertsCommand(argc - 1, argv + 1);
  std::string configPath, listen;
  bool insecure = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      printHelp();
      return 0;
    }
    if (a == "--version") {
      std::cout << "fedmrg-coordinator " << FEDMRG_VERSION_STRING << "\n";
      return 0;
    }
    if (a == "--config" && i + 1 < argc) {
      configPath = argv[++i];
    } else if (a == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else if (a == "--insecure-loopback") {
      insecure = true;
    } else {
      std::cerr << "fedmrg-coordinator: unknown argument '" << a << "' (see --help)\n";
      return 2;
    }
  }
  if (configPath.empty()) {
    std::cerr << "fedmrg-coordinator: --config FILE is required (see --help)\n";
    return 2;
  }
  // SIGTERM and SIGINT are taken by a watcher thread (sigwait), never by a handler: shutdown is not
  // async-signal-safe. Blocked here, before any thread starts, so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    co::CoordinatorConfig config = co::loadCoordinatorConfig(configPath);
    if (!listen.empty()) config.listen = listen;
    config.insecureLoopback = config.insecureLoopback || insecure;
    if (config.insecureLoopback && !fedmrg::federation::isLoopbackAddress(config.listen))
      throw std::runtime_error("--insecure-loopback is refused on " + config.listen +
                               ": plain text is allowed on a loopback address only (127.0.0.1, [::1], localhost)");
    auto tensors = fedmrg::federation::federatedTensors(config.model, config.rounds.strategy);
    auto state = co::openState(config.state);
    const std::string stateName = state->describe();
    // Certificate-identified calls are admitted against the CA's revocation list and the registered
    // fingerprints (coordinator/site_admission.h); the admission shares the round manager's state.
    std::shared_ptr<co::SiteAdmission> admission;
    if (!config.insecureLoopback)
      admission = std::make_shared<co::SiteAdmission>(
          *state, co::SiteAdmission::Options{config.tlsCrl, config.tlsCa, /*enrolOnJoin=*/true});
    auto rounds = std::make_shared<co::RoundManager>(
        std::move(state), config.uploadDir, std::move(tensors), config.codec, config.rounds,
        [] {
          return int64_t(
              std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count());
        },
        logLine);
    if (!config.insecureLoopback && (config.tlsCert.empty() || config.tlsKey.empty() || config.tlsCa.empty()))
      throw std::runtime_error("TLS needs tls_cert, tls_key and tls_ca in the configuration "
                               "(fedmrg-coordinator certs), or --insecure-loopback on a loopback address");
    const auto credentials = fedmrg::federation::coordinatorCredentials(
        config.listen, {config.tlsCa, config.tlsCert, config.tlsKey}, config.insecureLoopback);
    co::CoordinatorService service(rounds, credentials, config.insecureLoopback, config.rounds.maxConcurrentUploads,
                                   logLine, admission);
    service.setUploadLimits(config.limits);
    const int port = service.start(config.listen);
    logLine(std::string("event=started port=") + std::to_string(port) + " state=\"" + stateName +
            "\" strategy=" + fedmrg::federation::strategyName(config.rounds.strategy) +
            (config.insecureLoopback ? " tls=off" : " tls=mutual"));
    std::cout << "fedmrg-coordinator: listening on port " << port << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    logLine(std::string("event=stopping signal=") + (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
    service.shutdown();
    logLine("event=stopped");
  } catch (const std::exception& e) {
    std::cerr << "fedmrg-coordinator: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
