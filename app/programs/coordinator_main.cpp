// fedmrg-coordinator: the federation server's transport: accepts adapter-update uploads and keeps them
// in memory (no aggregation, no TLS yet).
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>

#include "app/programs/coordinator_certs.h"
#include "federation/coordinator_service.h"
#include "fedmrg_version.h"

namespace {

void onSignal(int) {
  // Shutdown from a signal handler is not async-signal-safe; a watcher thread would be the
  // durable design. Until then, exit and let the kernel close the sockets.
  std::_Exit(0);
}

void printHelp() {
  std::cout << "fedmrg-coordinator " << FEDMRG_VERSION_STRING
            << ": the FedMRG federation server (transport only, for now).\n\n"
               "It accepts adapter updates streamed to it over gRPC (package fedmrg.federation.v1),\n"
               "checks each upload's sizes and digest, and keeps the accepted ones in memory until it\n"
               "exits. It does not aggregate them yet, so it has no global update for sites to download.\n"
               "The connection is not encrypted (no TLS) and sites are not authenticated: run it on a\n"
               "trusted network only. The protocol carries named tensors, not images, report text or\n"
               "patient data; the workstation does not connect to it yet.\n\n"
               "usage: fedmrg-coordinator [--listen ADDRESS:PORT]\n\n"
               "options:\n"
               "  --listen ADDR   address to listen on (default 127.0.0.1:50051)\n"
               "  --version       print the version\n"
               "  --help          print this help\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "certs") return runCertsCommand(argc - 1, argv + 1);
  std::string listen = "127.0.0.1:50051";
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
    if (a == "--listen" && i + 1 < argc) {
      listen = argv[++i];
      continue;
    }
    std::cerr << "fedmrg-coordinator: unknown argument '" << a << "' (see --help)\n";
    return 2;
  }
  try {
    fedmrg::federation::CoordinatorServer server;
    const int port = server.start(listen);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::cout << "fedmrg-coordinator: listening on port " << port << std::endl;
    server.wait();
  } catch (const std::exception& e) {
    std::cerr << "fedmrg-coordinator: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
