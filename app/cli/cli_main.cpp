#include "app/cli/cli.h"
#include "engine/core/torch_runtime.h"

int main(int argc, char** argv) {
  fedmrg::engine::reexecWithPassiveOpenMp(argv);
  return fedmrg::cli::runCli(argc, argv);
}
