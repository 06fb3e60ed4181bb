// fedmrg-coordinator: the federation server that sites upload their adapter updates to.
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>

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
            << ": the FedMRG federation server.\n\n"
               "Sites stream low-rank adapter updates to it over gRPC (package fedmrg.federation.v1)\n"
               "and download the aggregated global update. No image, report text or patient data is\n"
               "ever sent to it.\n\n"
               "usage: fedmrg-coordinator [--listen ADDRESS:PORT]\n\n"
               "options:\n"
               "  --listen ADDR   address to listen on (default 127.0.0.1:50051)\n"
               "  --version       print the version\n"
               "  --help          print this help\n";
}

}  // namespace

int main(int argc, char** argv) {
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
