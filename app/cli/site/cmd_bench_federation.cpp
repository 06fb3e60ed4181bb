// fedmrg-cli bench federation: bytes on the wire per round and site for FedMRG's low-rank codec against dense
// fp32 FedAvg of the same federated tensors (and against FedAvg-LoRA, both adapters dense), on the shapes of the
// default model; then the time and memory to aggregate many uploads.
//
// The sites' changes are synthetic (a decaying spectrum plus site noise, of the size adapter updates have): the
// byte counts depend on shapes, rank and int8, and on values only through zstd. Whether the codec keeps the
// clinical accuracy of dense FedAvg is for the FL benchmark (issue 13) to measure with real training; this
// command reports how closely the sum of what was sent tracks the sum of the true changes.
#include <malloc.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <random>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "coordinator/round_blobs.h"
#include "coordinator/spilled_update.h"
#include "engine/core/safetensors.h"
#include "engine/model/model_folder.h"
#include "federation/codec_random.h"
#include "federation/error_feedback.h"
#include "federation/payload_stream.h"
#include "federation/round_aggregator.h"
#include "federation/tensor_codec.h"

namespace fedmrg::cli {
namespace {

using engine::Json;
using federation::BasisSide;
using federation::Matrix;
using federation::Payload;
using federation::SharedBasis;
using federation::WireTensor;

struct FederatedTensor {
  std::string name;
  std::vector<int64_t> shape;
  int64_t rows = 1, cols = 1;  // as a matrix: first dimension x the rest (a vector is 1 x n)
};

FederatedTensor describe(const engine::TensorView& t) {
  FederatedTensor f{t.name, t.shape};
  f.rows = t.shape.size() >= 2 ? t.shape[0] : 1;
  f.cols = t.numel() / f.rows;
  return f;
}

// FedMRG shares the generic adapter, the generic contrastive head and the generic projector; the specialized
// adapter and the site head never leave the site. FedAvg-LoRA shares both adapters.
struct TensorSets {
  std::vector<FederatedTensor> fedmrg, fedavgLora;
};

TensorSets federatedTensors(const std::string& model) {
  const engine::ModelFolder folder(model);
  TensorSets sets;
  const auto generic = engine::SafetensorsFile::open(folder.adapterPath(engine::AdapterKind::Generic));
  const auto specialized = engine::SafetensorsFile::open(folder.adapterPath(engine::AdapterKind::Specialized));
  const auto base = engine::SafetensorsFile::open(folder.weightsPath());
  for (const auto& n : generic.names()) {
    sets.fedmrg.push_back(describe(generic.at(n)));
    sets.fedavgLora.push_back(describe(generic.at(n)));
    sets.fedavgLora.back().name = "generic." + n;
  }
  for (const auto& n : specialized.names()) {
    sets.fedavgLora.push_back(describe(specialized.at(n)));
    sets.fedavgLora.back().name = "specialized." + n;
  }
  for (const auto& n : base.names())
    if (n.rfind("heads.generic.", 0) == 0 || n.rfind("projector.generic.", 0) == 0)
      sets.fedmrg.push_back(describe(base.at(n)));
  return sets;
}

uint64_t denseFp32WireBytes(const std::vector<FederatedTensor>& tensors) {
  Payload p;
  p.siteId = "site";
  for (const auto& t : tensors) {
    WireTensor w;
    w.name = t.name;
    w.shape = t.shape;
    w.bytes.assign(size_t(t.rows * t.cols) * 4, '\0');
    p.tensors.push_back(std::move(w));
  }
  return federation::wirePayloadBytes(p, federation::kDefaultChunkBytes);
}

// A site's change of one tensor in one round: a direction all sites share this round, with a decaying
// spectrum, plus the site's own noise; about the size of an adapter step (1e-3).
Matrix siteChange(const FederatedTensor& t, int round, int site, uint64_t seed) {
  std::mt19937 shared(uint32_t(seed * 7919 + uint64_t(round) * 131 + federation::stableHash(t.name)));
  std::mt19937 own(uint32_t(seed * 104729 + uint64_t(round) * 31 + uint64_t(site) * 17 + federation::stableHash(t.name)));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Matrix m(t.rows, t.cols);
  const int terms = int(std::min<int64_t>(6, std::min(t.rows, t.cols)));
  for (int k = 0; k < terms; ++k) {
    std::vector<float> u(size_t(t.rows)), v(size_t(t.cols));
    for (auto& x : u) x = normal(shared);
    for (auto& x : v) x = normal(shared);
    const float w = 1e-3f * std::ldexp(1.0f, -k) / std::sqrt(float(t.rows * t.cols));
    for (int64_t i = 0; i < t.rows; ++i)
      for (int64_t j = 0; j < t.cols; ++j) m.at(i, j) += w * u[size_t(i)] * v[size_t(j)];
  }
  const float noise = 2e-4f / std::sqrt(float(t.rows * t.cols));
  for (auto& x : m.values) x += noise * normal(own);
  return m;
}

struct RoundBytes {
  uint64_t upPerSite = 0, downPerSite = 0;  // mean over sites (up), the broadcast (down)
  bool dense = false;
};

struct CodecRun {
  std::vector<RoundBytes> rounds;
  double trackingError = 0;  // |sum of true mean changes - sum of broadcast changes| / |sum of true mean changes|
};

CodecRun runCodec(const std::vector<FederatedTensor>& tensors, int sites, int rounds, int denseRounds,
                  int refreshEvery, const federation::CodecSettings& settings, uint64_t seed) {
  CodecRun run;
  std::map<std::string, SharedBasis> basis;
  std::vector<federation::ErrorFeedback> feedback(static_cast<size_t>(sites));
  std::map<std::string, Matrix> sumTrue, sumSent;
  for (const auto& t : tensors) {
    sumTrue[t.name] = Matrix(t.rows, t.cols);
    sumSent[t.name] = Matrix(t.rows, t.cols);
  }
  for (int r = 0; r < rounds; ++r) {
    const bool dense = r < denseRounds;
    const uint64_t epoch = refreshEvery > 0 ? uint64_t(r / refreshEvery) : 0;
    for (const auto& t : tensors) {
      if (dense || !federation::goesLowRank(t.rows, t.cols, settings)) continue;
      const bool fresh = !basis.count(t.name) || (refreshEvery > 0 && r % refreshEvery == 0) || r == denseRounds;
      if (fresh) {
        const BasisSide side = (r % 2) ? BasisSide::Left : BasisSide::Right;
        basis[t.name] = federation::initialBasis(t.rows, t.cols, settings.rank, side, seed, t.name, epoch);
      }
    }
    // What each site sends; the coordinator decodes and averages (equal sample counts here).
    auto lowRank = [&](const FederatedTensor& t) {
      return !dense && basis.count(t.name) && federation::goesLowRank(t.rows, t.cols, settings);
    };
    std::map<std::string, std::pair<int64_t, int64_t>> expected;
    for (const auto& t : tensors)
      expected[t.name] = lowRank(t) ? federation::factorShape(t.rows, t.cols, basis[t.name]) : std::pair{t.rows, t.cols};
    federation::RoundAggregator aggregator(expected, {});
    uint64_t upTotal = 0;
    for (int s = 0; s < sites; ++s) {
      Payload upload;
      upload.siteId = "site-" + std::to_string(s);
      upload.round = uint64_t(r);
      federation::SiteUpdate decoded;
      for (const auto& t : tensors) {
        const Matrix change = siteChange(t, r, s, seed);
        for (size_t i = 0; i < change.values.size(); ++i) sumTrue[t.name].values[i] += change.values[i] / float(sites);
        const Matrix input = feedback[size_t(s)].withResidual(t.name, change);
        Matrix sent;
        WireTensor w;
        if (lowRank(t)) {
          w = federation::encodeLowRank(t.name, input, basis[t.name], settings,
                                        seed ^ (uint64_t(r) << 20) ^ uint64_t(s), &sent);
        } else {
          w = federation::encodeDense(t.name, t.shape, input.values, settings);
          sent = input;
        }
        feedback[size_t(s)].stage(t.name, input, sent);
        decoded[t.name] = federation::decodeFrame(w);
        upload.tensors.push_back(std::move(w));
      }
      feedback[size_t(s)].commit();
      upTotal += federation::wirePayloadBytes(upload, federation::kDefaultChunkBytes);
      const std::string refused = aggregator.add(upload.siteId, decoded, 1.0);
      if (!refused.empty()) throw std::runtime_error("the benchmark's own upload was refused: " + refused);
    }
    const federation::AggregationResult result = aggregator.finish();
    // The broadcast: the aggregate, encoded the same way (int8 factors with stochastic rounding).
    Payload broadcast;
    for (const auto& t : tensors) {
      const Matrix& agg = result.aggregate.at(t.name);
      const bool factor = lowRank(t);
      WireTensor w = factor ? federation::encodeFactor(t.name, agg, basis[t.name].side, settings,
                                                       seed ^ 0x5eedull ^ uint64_t(r))
                            : federation::encodeDense(t.name, t.shape, agg.values, settings);
      const Matrix received = federation::decodeFrame(w);
      const Matrix change = factor ? federation::expandFactor(received, basis[t.name]) : received;
      for (size_t i = 0; i < change.values.size(); ++i) sumSent[t.name].values[i] += change.values[i];
      if (factor) basis[t.name] = federation::nextBasis(received, basis[t.name], seed + uint64_t(r));
      broadcast.tensors.push_back(std::move(w));
    }
    run.rounds.push_back({upTotal / uint64_t(sites), federation::wirePayloadBytes(broadcast, federation::kDefaultChunkBytes), dense});
  }
  double diff = 0, norm = 0;
  for (const auto& [name, m] : sumTrue) {
    for (size_t i = 0; i < m.values.size(); ++i) {
      const double d = double(m.values[i]) - sumSent[name].values[i];
      diff += d * d;
      norm += double(m.values[i]) * m.values[i];
    }
  }
  run.trackingError = norm > 0 ? std::sqrt(diff / norm) : 0;
  return run;
}

double currentRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1;
}

struct AggregationCost {
  double seconds = 0, cpuSeconds = 0, extraMb = -1;
};

double processCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// Aggregates `uploads` uploads the way the coordinator does: each upload spilled to its file (RoundBlobs, before
// the clock starts: the coordinator writes it on arrival), then read back tensor by tensor (SpilledUpdate) to be
// checked, kept as a file, and read again when the round closes: whole, in site-id order, by the mean; in blocks
// by the median and the trimmed mean.
AggregationCost aggregateUploads(const std::vector<FederatedTensor>& tensors, int uploads,
                                 const federation::CodecSettings& settings, bool lowRank, uint64_t seed,
                                 federation::AggregationRule rule) {
  std::map<std::string, SharedBasis> basis;
  std::map<std::string, std::pair<int64_t, int64_t>> expected;
  for (const auto& t : tensors) {
    const bool lr = lowRank && federation::goesLowRank(t.rows, t.cols, settings);
    if (lr) basis[t.name] = federation::initialBasis(t.rows, t.cols, settings.rank, BasisSide::Right, seed, t.name, 0);
    expected[t.name] = lr ? federation::factorShape(t.rows, t.cols, basis[t.name]) : std::pair{t.rows, t.cols};
  }
  const bench::TempDir folder;
  coordinator::RoundBlobs blobs(folder.path.string());
  std::vector<std::string> digests;
  for (int u = 0; u < uploads; ++u) {
    Payload p;
    p.sampleCount = uint64_t(1 + u % 7);
    for (const auto& t : tensors) {
      const Matrix change = siteChange(t, 0, u, seed);
      p.tensors.push_back(basis.count(t.name)
                              ? federation::encodeLowRank(t.name, change, basis[t.name], settings, uint64_t(u))
                              : federation::encodeDense(t.name, t.shape, change.values, settings));
    }
    digests.push_back(blobs.put(p));
  }
  const auto shapes = std::make_shared<const coordinator::SpillShapes>(expected);
  federation::AggregationSettings rules;
  rules.rule = rule;
  rules.trimFraction = 0.1;
  // Freed memory goes back to the system first, so the peak counts what aggregation itself allocates.
  malloc_trim(0);
  bench::resetPeakRss();
  const double before = currentRssMb();
  const auto t0 = bench::Clock::now();
  const double cpu0 = processCpuSeconds();
  federation::AggregationResult result;
  {
    federation::RoundAggregator aggregator(expected, rules);
    for (int u = 0; u < uploads; ++u) {
      const std::string& d = digests[size_t(u)];
      const std::string refused =
          aggregator.add("site-" + std::to_string(u),
                         std::make_shared<coordinator::SpilledUpdate>(blobs.path(d), d, shapes), 1.0 + u % 7);
      if (!refused.empty()) throw std::runtime_error("the benchmark's own upload was refused: " + refused);
    }
    result = aggregator.finish();
  }
  AggregationCost cost;
  cost.seconds = bench::seconds(t0, bench::Clock::now());
  cost.cpuSeconds = processCpuSeconds() - cpu0;
  const double peak = bench::peakRssMb();
  if (before >= 0 && peak >= 0) cost.extraMb = std::max(0.0, peak - before);
  if (result.accepted != uploads) throw std::runtime_error("not every benchmark upload was aggregated");
  return cost;
}

uint64_t sum(const std::vector<RoundBytes>& rounds, bool up) {
  uint64_t n = 0;
  for (const auto& r : rounds) n += up ? r.upPerSite : r.downPerSite;
  return n;
}

int runBenchFederation(const Args& a) {
  const std::string model = bench::modelFolder(a);
  const int sites = int(a.getInt("sites", 4));
  const int rounds = int(a.getInt("rounds", 20));
  const int denseRounds = int(a.getInt("dense-rounds", 0));
  const int refresh = int(a.getInt("refresh", 10));
  const int uploads = int(a.getInt("uploads", 100));
  federation::CodecSettings settings;
  settings.rank = int(a.getInt("rank", 4));
  if (sites < 1 || rounds < 1 || denseRounds < 0 || denseRounds > rounds || uploads < 1 || settings.rank < 1)
    throw UsageError("--sites, --rounds, --uploads and --rank must be at least 1, and --dense-rounds between 0 and --rounds");
  const auto jsonPath = a.get("json");
  if (jsonPath) bench::checkWritable(*jsonPath);
  const uint64_t seed = 20261201;

  std::printf("command: %s\n", bench::commandLine().c_str());
  const bench::Machine m = bench::machine();
  std::printf("machine: %s, %d cores\nmodel: %s\n", m.cpuModel.c_str(), m.cores, model.c_str());
  const TensorSets sets = federatedTensors(model);
  int64_t fedmrgValues = 0, lowRankTensors = 0;
  for (const auto& t : sets.fedmrg) {
    fedmrgValues += t.rows * t.cols;
    lowRankTensors += federation::goesLowRank(t.rows, t.cols, settings);
  }
  std::printf("FedMRG federated tensors: %zu (generic adapter, generic head, generic projector), %lld values "
              "(%.1f KB fp32); %lld go low-rank at rank %d, the rest dense (fp32 + zstd)\n",
              sets.fedmrg.size(), (long long)fedmrgValues, fedmrgValues * 4 / 1024.0, (long long)lowRankTensors,
              settings.rank);
  std::printf("changes: synthetic (decaying spectrum + site noise); byte counts depend on values only through zstd\n");

  const uint64_t dense = denseFp32WireBytes(sets.fedmrg);
  const uint64_t fedavgLora = denseFp32WireBytes(sets.fedavgLora);
  const auto t0 = bench::Clock::now();
  const CodecRun run = runCodec(sets.fedmrg, sites, rounds, denseRounds, refresh, settings, seed);
  const double codecSeconds = bench::seconds(t0, bench::Clock::now());

  std::printf("\nper site and round, bytes on the wire (serialized messages), %d sites, %d rounds (%d dense warm-up):\n",
              sites, rounds, denseRounds);
  std::printf("  %5s  %12s  %12s  %14s  %16s\n", "round", "FedMRG up", "FedMRG down", "FedAvg fp32", "FedAvg-LoRA fp32");
  Json perRound = Json::array();
  for (size_t r = 0; r < run.rounds.size(); ++r) {
    const RoundBytes& b = run.rounds[r];
    std::printf("  %5zu  %12llu  %12llu  %14llu  %16llu%s\n", r + 1, (unsigned long long)b.upPerSite,
                (unsigned long long)b.downPerSite, (unsigned long long)dense, (unsigned long long)fedavgLora,
                b.dense ? "  (dense warm-up)" : "");
    Json j = Json::object();
    j["round"] = double(r + 1);
    j["fedmrg_up_bytes_per_site"] = double(b.upPerSite);
    j["fedmrg_down_bytes_per_site"] = double(b.downPerSite);
    j["dense_warmup"] = b.dense;
    perRound.push_back(j);
  }
  const double up = double(sum(run.rounds, true)), down = double(sum(run.rounds, false));
  const double baseline = double(dense) * rounds, loraBaseline = double(fedavgLora) * rounds;
  const double saveUp = 100 * (1 - up / baseline), saveDown = 100 * (1 - down / baseline);
  const double saveBoth = 100 * (1 - (up + down) / (2 * baseline));
  const double saveLora = 100 * (1 - (up + down) / (2 * loraBaseline));
  std::printf("\ntotal over %d rounds, per site: FedMRG up %.0f B, down %.0f B; dense fp32 FedAvg of the same tensors "
              "%.0f B each way; FedAvg-LoRA (both adapters, fp32) %.0f B each way\n",
              rounds, up, down, baseline, loraBaseline);
  std::printf("FedMRG codec against dense fp32 FedAvg of the same tensors: %.1f%% fewer bytes up, %.1f%% fewer down, "
              "%.1f%% fewer in all (%d dense warm-up rounds included)\n", saveUp, saveDown, saveBoth, denseRounds);
  std::printf("against FedAvg-LoRA (both adapters dense fp32): %.1f%% fewer in all\n", saveLora);
  std::printf("tracking: |sum of true mean changes - sum of broadcast changes| / |sum of true mean changes| = %.3f "
              "(error feedback keeps the rest at the sites)\n", run.trackingError);
  std::printf("codec simulation time: %.2f s\n", codecSeconds);

  bench::TargetTable targets;
  targets.add({"bytes saved against dense fp32 FedAvg, up + down", saveBoth, "%", bench::Target::Kind::AtLeast, 90});

  std::printf(
      "\naggregating %d uploads as the coordinator does (spilled files read back one tensor at a time; "
      "mean: fp32 running sums; median, trimmed mean: blocks of coordinates):\n",
      uploads);
  const double tensorMb = fedmrgValues * 4 / 1048576.0;
  std::printf("  (load average now %.2f on %d cores: wall time counts waiting for a core, CPU time does not)\n",
              bench::loadAverage1(), m.cores);
  Json aggregation = Json::array();
  std::map<std::string, AggregationCost> costs;
  const std::pair<const char*, federation::AggregationRule> rules[] = {
      {"mean", federation::AggregationRule::WeightedMean},
      {"median", federation::AggregationRule::CoordinateMedian},
      {"trimmed-mean", federation::AggregationRule::TrimmedMean}};
  for (const auto& [ruleName, rule] : rules)
    for (const bool lowRankPath : {true, false}) {
      const std::string path = lowRankPath ? "low-rank" : "dense";
      const AggregationCost c = aggregateUploads(sets.fedmrg, uploads, settings, lowRankPath, seed, rule);
      costs[std::string(ruleName) + "/" + path] = c;
      std::printf("  %-12s %-8s  %7.3f s (CPU %.3f s)   +%6.2f MB peak   %5.2f x the federated tensors (%.2f MB)\n",
                  ruleName, path.c_str(), c.seconds, c.cpuSeconds, c.extraMb, c.extraMb / tensorMb, tensorMb);
      targets.add({"aggregate uploads, " + std::string(ruleName) + ", " + path, c.seconds, "s",
                   bench::Target::Kind::AtMost, 5});
      if (c.extraMb >= 0)
        targets.add({"aggregation memory / tensors, " + std::string(ruleName) + ", " + path, c.extraMb / tensorMb, "x",
                     bench::Target::Kind::AtMost, 2});
      Json j = Json::object();
      j["rule"] = std::string(ruleName);
      j["path"] = path;
      j["seconds"] = c.seconds;
      j["cpu_seconds"] = c.cpuSeconds;
      j["extra_mb"] = c.extraMb;
      j["memory_over_tensors"] = c.extraMb / tensorMb;
      aggregation.push_back(j);
    }
  const AggregationCost lowRank = costs["mean/low-rank"], plain = costs["mean/dense"];
  targets.print("targets");

  if (jsonPath) {
    Json j = Json::object();
    j["command"] = bench::commandLine();
    j["machine"] = bench::machineJson(m);
    j["model"] = model;
    j["sites"] = double(sites);
    j["rounds"] = double(rounds);
    j["dense_rounds"] = double(denseRounds);
    j["rank"] = double(settings.rank);
    j["int8_factors"] = settings.int8Factors;
    j["zstd"] = settings.zstd;
    j["fedmrg_tensors"] = double(sets.fedmrg.size());
    j["fedmrg_values"] = double(fedmrgValues);
    j["dense_fp32_bytes_per_round"] = double(dense);
    j["fedavg_lora_fp32_bytes_per_round"] = double(fedavgLora);
    j["per_round"] = perRound;
    j["fedmrg_up_bytes_total_per_site"] = up;
    j["fedmrg_down_bytes_total_per_site"] = down;
    j["saved_percent_vs_dense_fedavg"] = saveBoth;
    j["saved_percent_vs_fedavg_lora"] = saveLora;
    j["tracking_error"] = run.trackingError;
    j["aggregate_uploads"] = double(uploads);
    j["aggregate_seconds_lowrank"] = lowRank.seconds;
    j["aggregate_seconds_dense"] = plain.seconds;
    j["aggregate_extra_mb_lowrank"] = lowRank.extraMb;
    j["aggregate_extra_mb_dense"] = plain.extraMb;
    j["federated_tensor_mb"] = tensorMb;
    j["aggregation"] = aggregation;
    j["changes"] = "synthetic";
    j["targets"] = targets.json();
    bench::writeJson(*jsonPath, j);
    std::printf("wrote %s\n", jsonPath->c_str());
  }
  return 0;
}

const CommandRegistration reg(
    {"bench-federation",
     "benchmark the federation codec: bytes per round against dense FedAvg, aggregation time and memory",
     "[--model DIR] [--sites 4] [--rounds 20] [--dense-rounds N] [--rank 4] [--refresh 10] [--uploads 100] [--json OUT]",
     {{"model", true, "model folder whose federated tensors are measured (default: the shipped default model)"},
      {"sites", true, "sites in the simulated rounds (default 4)"},
      {"rounds", true, "rounds to simulate (default 20)"},
      {"dense-rounds", true, "first rounds sent dense, counted in the totals (default 0: low-rank from the first round)"},
      {"rank", true, "basis vectors per low-rank tensor (default 4)"},
      {"refresh", true, "rounds between fresh seeded bases (default 10)"},
      {"uploads", true, "uploads to aggregate for the time and memory figures (default 100)"},
      {"json", true, "write every figure as JSON"}},
     runBenchFederation, true});

}  // namespace
}  // namespace fedmrg::cli
