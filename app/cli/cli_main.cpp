#include "app/cli/cli.h"

int main(int argc, char** argv) { return fedmrg::cli::runCli(argc, argv); }
