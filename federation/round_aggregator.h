#pragma once
// Aggregation of one round's site updates (docs/federation.md, "Strategies"): decoded factors or dense
// changes per tensor, weighted by sample count. Because the codec's basis is shared, the same rules
// work on factors and on dense changes.
//
// Rules: the sample-weighted mean (FedAvg, FedProx and FedMRG all aggregate this way; they differ at
// the site), the coordinate-wise median and the trimmed mean (robust to a few hostile sites). Before
// a rule, each update's L2 norm (over all its tensors) is checked against a bound: a fixed one, or an
// adaptive one from the round's norms (a multiple of their median), so that a ×100-scaled update is
// refused with its reason while the round goes on. Optional central differential privacy clips each
// update to a norm and adds Gaussian noise to the mean; the epsilon it spends is reported.
//
// Memory grows with the model, not with the number of sites. An update is read through an UpdateSource,
// one decoded tensor at a time: once in add() to check it and take its norm, again in finish(). Every rule
// keeps only each site's source (the coordinator's reads the spilled upload file). The weighted mean adds
// the updates in finish(), in site-id order (so the aggregate does not depend on which site uploaded first),
// into one fp32 sum per tensor: its peak is the sums plus one decoded tensor. The median and the trimmed mean
// read the updates again in blocks of coordinates: their peak is the aggregate plus one block
// (robustBlockBytes for all sites together) plus one decoded tensor.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "federation/lowrank_basis.h"

namespace fedmrg::federation {

enum class AggregationRule { WeightedMean, CoordinateMedian, TrimmedMean };

struct AggregationSettings {
  AggregationRule rule = AggregationRule::WeightedMean;
  double trimFraction = 0.1;  // TrimmedMean: share of sites dropped at each end, per coordinate
  // Norm bound: refuse an update whose norm is above this (0: none).
  double fixedNormBound = 0;
  // Adaptive bound: refuse an update whose norm is above this multiple of the round's median norm
  // (0: none). Decided in finish(), once every norm is known.
  double adaptiveNormMultiple = 0;
  // Central DP (0: off): each accepted update is clipped to dpClipNorm, and Gaussian noise of
  // standard deviation dpNoiseMultiplier * dpClipNorm / (number of sites) is added to the mean.
  double dpClipNorm = 0;
  double dpNoiseMultiplier = 0;
  double dpDelta = 1e-5;
  uint64_t dpSeed = 0;  // the coordinator draws it fresh each round; fixed in tests
  // Median and trimmed mean: bytes of one block of coordinates, for all sites together (0: a quarter of
  // the fp32 bytes of the federated tensors, at least 64 KiB). A smaller block reads the updates more often.
  uint64_t robustBlockBytes = 0;
};

// One site's update: a decoded matrix per federated tensor.
using SiteUpdate = std::map<std::string, Matrix>;

// One site's update as the aggregator reads it: tensor by tensor, as often as its rule needs.
class UpdateSource {
 public:
  virtual ~UpdateSource() = default;
  // The names of the tensors the update carries.
  virtual std::vector<std::string> names() const = 0;
  // One tensor, decoded. Throws std::runtime_error naming what failed (e.g. a damaged spilled file).
  virtual Matrix tensor(const std::string& name) const = 0;
  // Called once when the aggregator keeps the update to read it again by blocks at finish(): a source may
  // prepare cheaper range reads then (the spilled upload writes its decoded values beside its file).
  virtual void keep() const {}
  // Values [begin, end) of one tensor, decoded, into `out`. By default the whole tensor is decoded.
  virtual void values(const std::string& name, size_t begin, size_t end, float* out) const;
};

// An update held in memory (tests, callers without a spill folder); it keeps a copy of `update`.
std::shared_ptr<const UpdateSource> inMemoryUpdate(SiteUpdate update);

struct AggregationResult {
  SiteUpdate aggregate;           // empty when no update was accepted
  int accepted = 0;
  std::map<std::string, std::string> refused;  // site -> reason
  double totalWeight = 0;
  // Central DP: the epsilon this round spent at dpDelta (Gaussian mechanism); nullopt when DP is off.
  std::optional<double> dpEpsilon;
};

class RoundAggregator {
 public:
  // `expected`: every federated tensor's name and shape; an update must carry exactly these.
  RoundAggregator(std::map<std::string, std::pair<int64_t, int64_t>> expected, AggregationSettings settings);

  // Checks and takes one site's update. Returns the reason it is refused (empty: accepted for now;
  // an adaptive bound may still refuse it in finish()). A site may contribute once per round.
  // The source must stay readable until finish() (the robust rules read it again there).
  std::string add(const std::string& site, std::shared_ptr<const UpdateSource> update, double sampleCount);
  std::string add(const std::string& site, const SiteUpdate& update, double sampleCount);
  // Throws what a source throws (a spilled file that cannot be read back).
  AggregationResult finish();

  static double updateNorm(const SiteUpdate& update);

 private:
  struct Held {
    std::string site;
    std::shared_ptr<const UpdateSource> update;
    double weight, norm;
  };
  std::string check(const UpdateSource& update, double& norm) const;
  void accumulate(const Held& update);
  SiteUpdate robustAggregate(const std::vector<const Held*>& kept) const;
  Matrix clippedTensor(const Held& update, const std::string& name) const;

  std::map<std::string, std::pair<int64_t, int64_t>> expected_;
  AggregationSettings settings_;
  std::map<std::string, std::vector<float>> sums_;  // weighted sums, fp32: the same size as the model
  std::vector<Held> held_;
  std::map<std::string, std::string> refused_;
  std::map<std::string, bool> seen_;
  double weight_ = 0;
  int accepted_ = 0;
};

// Epsilon of one release of the Gaussian mechanism with noise multiplier `sigma` at `delta`
// (the classical bound sqrt(2 ln(1.25 / delta)) / sigma, valid for epsilon < 1; larger values are
// reported as computed and flagged by the caller as weak).
double gaussianMechanismEpsilon(double sigma, double delta);

}  // namespace fedmrg::federation
