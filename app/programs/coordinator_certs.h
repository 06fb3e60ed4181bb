#pragma once
// `fedmrg-coordinator certs ...`: the consortium CA's command line (coordinator/certificate_authority).
// argv[0] is "certs", argv[1] the command; returns the exit code (0 done, 1 failed, 2 bad arguments).
int runCertsCommand(int argc, char** argv);
