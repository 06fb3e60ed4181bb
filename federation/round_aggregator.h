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
// Memory: the weighted mean with a fixed (or no) bound streams, keeping one running sum per tensor
// whatever the number of sites; the median, the trimmed mean and the adaptive bound must see every
// update and keep them until finish().
#include <cstdint>
#include <map>
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
};

// One site's update: a decoded matrix per federated tensor.
using SiteUpdate = std::map<std::string, Matrix>;

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
  std::string add(const std::string& site, const SiteUpdate& update, double sampleCount);
  AggregationResult finish();

  static double updateNorm(const SiteUpdate& update);

 private:
  struct Held {
    std::string site;
    SiteUpdate update;
    double weight, norm;
  };
  void accumulate(const SiteUpdate& update, double weight);
  SiteUpdate robustAggregate(const std::vector<const Held*>& kept) const;
  bool streaming() const;
  SiteUpdate clipped(const SiteUpdate& update, double norm) const;

  std::map<std::string, std::pair<int64_t, int64_t>> expected_;
  AggregationSettings settings_;
  std::map<std::string, std::vector<double>> sums_;  // streaming weighted sums
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
