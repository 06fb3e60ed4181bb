#pragma once
// One run of a federated method of the FL benchmark over the wire (`bench fl --transport grpc`; docs/benchmark-fl.md,
// "Transports"): the real fedmrg-coordinator (temporary state, loopback, the method's strategy and codec) and one
// `fedmrg-cli federate --train engine` process per seen site, which saves its model of every global version. The
// rounds are then scored exactly as the in-process run scores them (validation each round, the kept round's models
// on the test studies once). The run does not resume: an interrupted one starts over.
#include <optional>
#include <string>

#include "app/cli/site/bench_fl_run.h"
#include "engine/core/json.h"

namespace fedmrg::cli::benchfl {

struct GrpcPrograms {
  std::string coordinator;  // fedmrg-coordinator
  std::string cli;          // fedmrg-cli (the site processes)
};

// The programs beside this executable (an installed bin/, or the build tree's app/programs and app/cli); throws
// std::runtime_error saying where it looked.
GrpcPrograms findGrpcPrograms();

// The run's figures, as runMethod gives them, with "transport": "grpc". Throws std::runtime_error with the failing
// process's last lines when a process fails.
engine::Json runMethodGrpc(const RunInputs& in, const GrpcPrograms& programs);

}  // namespace fedmrg::cli::benchfl
