#pragma once
// Many simulated sites against one coordinator at once (docs/federation.md, "Many sites"): each has its own
// identity, joins, then polls (GetTask and Heartbeat in turn). All joins are issued together; the calls run
// asynchronously on a few channels and completion threads, so a thousand sites need neither a thousand
// threads nor a thousand connections. Insecure loopback mode only: each site names itself in the
// fedmrg-site-id metadata, which a coordinator accepts only on a loopback address with the explicit flag.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fedmrg::federation {

struct SwarmSettings {
  std::string target;  // "127.0.0.1:PORT"; anything but a loopback address is refused
  int sites = 1000;
  std::string sitePrefix = "sim-site-";  // site i is sitePrefix + i
  int channels = 16;                     // connections shared by the sites (site i uses channel i % channels)
  int threads = 4;                       // completion-queue threads of the client
  int polls = 3;                         // GetTask + Heartbeat pairs per site after its join
  int callTimeoutSeconds = 120;          // a call slower than this counts as an error (DEADLINE_EXCEEDED)
};

struct SwarmResult {
  int joined = 0;                      // sites whose Join succeeded
  int callsOk = 0, callsFailed = 0;    // every call, joins included
  std::map<std::string, int> errors;   // "CALL CODE: message" -> how many
  std::vector<double> joinMs, pollMs;  // latency of each successful call
  double wallSeconds = 0;              // from the first join issued to the last answer
};

// Throws std::invalid_argument when the target is not a loopback address or a count is below 1.
SwarmResult runSiteSwarm(const SwarmSettings& settings);

}  // namespace fedmrg::federation
