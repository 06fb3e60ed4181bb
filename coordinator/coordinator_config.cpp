#include "coordinator/coordinator_config.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace fedmrg::coordinator {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

double toDouble(const std::string& v, double lo, double hi) {
  size_t used = 0;
  double x = 0;
  try {
    x = std::stod(v, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("is not a number");
  }
  if (used != v.size() || !std::isfinite(x)) throw std::invalid_argument("is not a number");
  if (x < lo || x > hi) {
    std::ostringstream s;
    s << "must lie between " << lo << " and " << hi;
    throw std::invalid_argument(s.str());
  }
  return x;
}

long long toInt(const std::string& v, long long lo, long long hi) {
  const double x = toDouble(v, double(lo), double(hi));
  if (x != std::floor(x)) throw std::invalid_argument("must be a whole number");
  return (long long)x;
}

bool toBool(const std::string& v) {
  if (v == "true" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "no" || v == "0") return false;
  throw std::invalid_argument("must be true or false");
}

}  // namespace

CoordinatorConfig parseCoordinatorConfig(const std::string& text, const std::string& source) {
  CoordinatorConfig c;
  auto& r = c.rounds;
  bool lowRank = true;  // fedmrg only: false sends its tensors dense (the FL benchmark's fedmrg-dense)
  auto& a = r.aggregation;
  using Setter = std::function<void(const std::string&)>;
  const std::map<std::string, Setter> keys = {
      {"listen", [&](const std::string& v) { c.listen = v; }},
      {"insecure_loopback", [&](const std::string& v) { c.insecureLoopback = toBool(v); }},
      {"tls_cert", [&](const std::string& v) { c.tlsCert = v; }},
      {"tls_key", [&](const std::string& v) { c.tlsKey = v; }},
      {"tls_ca", [&](const std::string& v) { c.tlsCa = v; }},
      {"tls_crl", [&](const std::string& v) { c.tlsCrl = v; }},
      {"state", [&](const std::string& v) { c.state = v; }},
      {"upload_dir", [&](const std::string& v) { c.uploadDir = v; }},
      {"model", [&](const std::string& v) { c.model = v; }},
      {"strategy",
       [&](const std::string& v) {
         auto s = federation::parseStrategy(v);
         if (!s) throw std::invalid_argument("must be fedavg, fedprox, fedavg-lora or fedmrg");
         r.strategy = *s;
       }},
      {"min_sites", [&](const std::string& v) { r.minSites = int(toInt(v, 1, 100000)); }},
      {"fraction", [&](const std::string& v) { r.fraction = toDouble(v, 0.0, 1.0); }},
      {"deadline_seconds", [&](const std::string& v) { r.deadlineMs = int64_t(toDouble(v, 0.1, 7 * 86400.0) * 1000); }},
      {"max_rounds", [&](const std::string& v) { r.maxRounds = int(toInt(v, 1, 1000000)); }},
      {"proximal_mu", [&](const std::string& v) { r.proximalMu = toDouble(v, 0.0, 1e6); }},
      {"max_concurrent_uploads", [&](const std::string& v) { r.maxConcurrentUploads = int(toInt(v, 1, 10000)); }},
      {"site_upload_bytes_per_round",
       [&](const std::string& v) { c.limits.siteBytesPerRound = uint64_t(toInt(v, 0, (1ll << 50))); }},
      {"site_upload_attempts_per_round",
       [&](const std::string& v) { c.limits.siteAttemptsPerRound = int(toInt(v, 1, 100000)); }},
      {"max_streams_per_site", [&](const std::string& v) { c.limits.streamsPerSite = int(toInt(v, 1, 1000)); }},
      {"stream_idle_seconds",
       [&](const std::string& v) { c.limits.idleTimeoutMs = int64_t(toDouble(v, 0.1, 86400.0) * 1000); }},
      {"allowed_sites",
       [&](const std::string& v) {
         std::stringstream ss(v);
         for (std::string s; std::getline(ss, s, ',');)
           if (!trim(s).empty()) r.allowedSites.push_back(trim(s));
       }},
      {"codec_rank", [&](const std::string& v) { c.codec.settings.rank = int(toInt(v, 1, 4096)); }},
      {"codec_seed", [&](const std::string& v) { c.codec.seed = uint64_t(toInt(v, 0, (1ll << 52))); }},
      {"codec_refresh", [&](const std::string& v) { c.codec.refreshEvery = uint32_t(toInt(v, 0, 1000000)); }},
      {"codec_int8", [&](const std::string& v) { c.codec.settings.int8Factors = toBool(v); }},
      {"codec_zstd", [&](const std::string& v) { c.codec.settings.zstd = toBool(v); }},
      {"codec_low_rank", [&](const std::string& v) { lowRank = toBool(v); }},
      {"rule",
       [&](const std::string& v) {
         if (v == "mean") a.rule = federation::AggregationRule::WeightedMean;
         else if (v == "median") a.rule = federation::AggregationRule::CoordinateMedian;
         else if (v == "trimmed-mean") a.rule = federation::AggregationRule::TrimmedMean;
         else throw std::invalid_argument("must be mean, median or trimmed-mean");
       }},
      {"trim_fraction", [&](const std::string& v) { a.trimFraction = toDouble(v, 0.0, 0.49); }},
      {"norm_bound", [&](const std::string& v) { a.fixedNormBound = toDouble(v, 0.0, 1e30); }},
      {"norm_bound_median_multiple", [&](const std::string& v) { a.adaptiveNormMultiple = toDouble(v, 0.0, 1e6); }},
      {"dp_clip", [&](const std::string& v) { a.dpClipNorm = toDouble(v, 0.0, 1e30); }},
      {"dp_noise_multiplier", [&](const std::string& v) { a.dpNoiseMultiplier = toDouble(v, 0.0, 1e6); }},
      {"dp_delta", [&](const std::string& v) { a.dpDelta = toDouble(v, 1e-12, 0.5); }},
  };
  std::istringstream in(text);
  int lineNo = 0;
  for (std::string line; std::getline(in, line);) {
    ++lineNo;
    const std::string where = source + ":" + std::to_string(lineNo) + ": ";
    const size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    line = trim(line);
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) throw ConfigError(where + "expected 'key = value'");
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    auto it = keys.find(key);
    if (it == keys.end()) throw ConfigError(where + "unknown key '" + key + "'");
    try {
      it->second(value);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(where + key + " " + e.what() + " (got '" + value + "')");
    }
  }
  if (c.uploadDir.empty()) throw ConfigError(source + ": upload_dir is required (where uploads are spilled to disk)");
  if (c.model.empty())
    throw ConfigError(source + ": model is required (the folder whose federated tensors the rounds carry)");
  c.codec.lowRank = r.strategy == federation::Strategy::FedMrg && lowRank;
  if (r.strategy != federation::Strategy::FedProx) r.proximalMu = 0;
  return c;
}

CoordinatorConfig loadCoordinatorConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read the configuration file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parseCoordinatorConfig(ss.str(), path);
}

}  // namespace fedmrg::coordinator
