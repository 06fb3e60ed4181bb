#pragma once
// fedmrg-coordinator's configuration file (docs/federation.md, "Running a coordinator"): one `key = value`
// per line, `#` starts a comment. Unknown keys and bad values are refused with the file, line and reason.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "federation/federated_tensors.h"
#include "federation/round_aggregator.h"

namespace fedmrg::coordinator {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RoundSettings {
  federation::Strategy strategy = federation::Strategy::FedMrg;
  int minSites = 2;             // a round needs at least this many accepted uploads
  double fraction = 1.0;        // it closes early once this share of the joined sites uploaded
  int64_t deadlineMs = 600000;  // from the round's opening; stragglers are dropped at the deadline
  int maxRounds = 10;           // published versions after which the federation is done
  double proximalMu = 0.01;     // FedProx only: sent to the sites in the task
  federation::AggregationSettings aggregation;
  int maxConcurrentUploads = 16;          // further UploadUpdate streams are refused with RESOURCE_EXHAUSTED
  std::vector<std::string> allowedSites;  // empty: any site may join (with TLS: any the CA certified)
};

// Per-site limits on UploadUpdate streams (docs/federation.md, "Quotas and stream limits"): what one site,
// honest but broken or hostile, can take from the coordinator in a round. Counted per site and round.
struct UploadLimits {
  uint64_t siteBytesPerRound = 0;  // wire bytes a site may send in a round; 0: four times the largest upload
  int siteAttemptsPerRound = 16;   // UploadUpdate streams a site may open in a round (retries included)
  int streamsPerSite = 2;          // of one site's streams, at most this many at once
  int64_t idleTimeoutMs = 30000;   // a stream that sends nothing for this long is cancelled
};

struct CoordinatorConfig {
  std::string listen = "127.0.0.1:50051";
  bool insecureLoopback = false;
  std::string tlsCert, tlsKey, tlsCa;  // PEM files (federation/tls_credentials.h)
  std::string tlsCrl;                  // the CA's revocation list (fedmrg-coordinator certs revoke); optional
  std::string state = "memory";        // "memory", "sqlite:PATH", "postgresql:CONNINFO"
  std::string uploadDir;               // where uploads and versions are spilled (required)
  std::string model;                   // model folder whose federated tensors the rounds carry (required)
  federation::CodecPlan codec;
  RoundSettings rounds;
  UploadLimits limits;
};

// Parses the file's text; `source` names it in errors.
CoordinatorConfig parseCoordinatorConfig(const std::string& text, const std::string& source);
CoordinatorConfig loadCoordinatorConfig(const std::string& path);

}  // namespace fedmrg::coordinator
