#include "federation/round_aggregator.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "federation/codec_random.h"

namespace fedmrg::federation {

namespace {

std::string number(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

RoundAggregator::RoundAggregator(std::map<std::string, std::pair<int64_t, int64_t>> expected,
                                 AggregationSettings settings)
    : expected_(std::move(expected)), settings_(settings) {
  for (const auto& [name, shape] : expected_) sums_[name].assign(size_t(shape.first * shape.second), 0.0);
}

bool RoundAggregator::streaming() const {
  return settings_.rule == AggregationRule::WeightedMean && settings_.adaptiveNormMultiple <= 0;
}

double RoundAggregator::updateNorm(const SiteUpdate& update) {
  double s = 0;
  for (const auto& [name, m] : update) s += m.squaredNorm();
  return std::sqrt(s);
}

SiteUpdate RoundAggregator::clipped(const SiteUpdate& update, double norm) const {
  if (settings_.dpClipNorm <= 0 || norm <= settings_.dpClipNorm) return update;
  SiteUpdate out = update;
  const float scale = float(settings_.dpClipNorm / norm);
  for (auto& [name, m] : out)
    for (auto& v : m.values) v *= scale;
  return out;
}

std::string RoundAggregator::add(const std::string& site, const SiteUpdate& update, double sampleCount) {
  auto refuse = [&](std::string why) {
    refused_[site] = why;
    return why;
  };
  if (seen_[site]) return "site " + site + " already sent an update this round";
  seen_[site] = true;
  if (!(sampleCount > 0) || !std::isfinite(sampleCount)) return refuse("the sample count must be a positive number");
  for (const auto& [name, m] : update) {
    const auto it = expected_.find(name);
    if (it == expected_.end()) return refuse("tensor '" + name + "' is not federated in this round");
    if (m.rows != it->second.first || m.cols != it->second.second)
      return refuse("tensor '" + name + "' has shape " + std::to_string(m.rows) + " x " + std::to_string(m.cols) +
                    ", expected " + std::to_string(it->second.first) + " x " + std::to_string(it->second.second));
    for (float v : m.values)
      if (!std::isfinite(v)) return refuse("tensor '" + name + "' holds NaN or infinite values");
  }
  for (const auto& [name, shape] : expected_)
    if (!update.count(name)) return refuse("tensor '" + name + "' is missing from the update");
  const double norm = updateNorm(update);
  if (settings_.fixedNormBound > 0 && norm > settings_.fixedNormBound)
    return refuse("the update's norm " + number(norm) + " is above the bound " + number(settings_.fixedNormBound));
  // Under DP every site counts alike: sample weights would let one site's share, and so the
  // sensitivity the noise must cover, grow without limit.
  const double weight = settings_.dpClipNorm > 0 ? 1.0 : sampleCount;
  if (streaming()) {
    accumulate(clipped(update, norm), weight);
    ++accepted_;
  } else {
    held_.push_back({site, clipped(update, norm), weight, norm});
  }
  return {};
}

void RoundAggregator::accumulate(const SiteUpdate& update, double weight) {
  for (const auto& [name, m] : update) {
    auto& sum = sums_[name];
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += weight * m.values[i];
  }
  weight_ += weight;
}

SiteUpdate RoundAggregator::robustAggregate(const std::vector<const Held*>& kept) const {
  SiteUpdate out;
  const size_t n = kept.size();
  const size_t trim = settings_.rule == AggregationRule::TrimmedMean
                          ? std::min(size_t(std::floor(settings_.trimFraction * double(n))), (n - 1) / 2)
                          : 0;
  std::vector<double> column(n);
  for (const auto& [name, shape] : expected_) {
    Matrix m(shape.first, shape.second);
    for (size_t i = 0; i < m.values.size(); ++i) {
      for (size_t s = 0; s < n; ++s) column[s] = kept[s]->update.at(name).values[i];
      if (settings_.rule == AggregationRule::CoordinateMedian) {
        m.values[i] = float(median(column));
      } else {
        std::sort(column.begin(), column.end());
        double sum = 0;
        for (size_t s = trim; s < n - trim; ++s) sum += column[s];
        m.values[i] = float(sum / double(n - 2 * trim));
      }
    }
    out[name] = std::move(m);
  }
  return out;
}

AggregationResult RoundAggregator::finish() {
  AggregationResult result;
  if (!streaming()) {
    std::vector<const Held*> kept;
    double bound = 0;
    if (settings_.adaptiveNormMultiple > 0 && !held_.empty()) {
      std::vector<double> norms;
      for (const auto& h : held_) norms.push_back(h.norm);
      bound = settings_.adaptiveNormMultiple * median(norms);
    }
    for (const auto& h : held_) {
      if (bound > 0 && h.norm > bound) {
        refused_[h.site] = "the update's norm " + number(h.norm) + " is above " + number(settings_.adaptiveNormMultiple) +
                           " times the round's median norm (" + number(bound) + ")";
        continue;
      }
      kept.push_back(&h);
    }
    if (settings_.rule == AggregationRule::WeightedMean) {
      for (const Held* h : kept) accumulate(h->update, h->weight);
    } else if (!kept.empty()) {
      result.aggregate = robustAggregate(kept);
      weight_ = 0;
      for (const Held* h : kept) weight_ += h->weight;
    }
    accepted_ = int(kept.size());
  }
  if (settings_.rule == AggregationRule::WeightedMean && weight_ > 0)
    for (const auto& [name, shape] : expected_) {
      Matrix m(shape.first, shape.second);
      const auto& sum = sums_[name];
      for (size_t i = 0; i < sum.size(); ++i) m.values[i] = float(sum[i] / weight_);
      result.aggregate[name] = std::move(m);
    }
  if (settings_.dpClipNorm > 0 && settings_.dpNoiseMultiplier > 0 && accepted_ > 0) {
    const double sd = settings_.dpNoiseMultiplier * settings_.dpClipNorm / accepted_;
    CodecRandom rng(settings_.dpSeed);
    for (auto& [name, m] : result.aggregate)
      for (auto& v : m.values) v += float(sd * rng.normal());
    result.dpEpsilon = gaussianMechanismEpsilon(settings_.dpNoiseMultiplier, settings_.dpDelta);
  }
  result.accepted = accepted_;
  result.refused = refused_;
  result.totalWeight = weight_;
  return result;
}

double gaussianMechanismEpsilon(double sigma, double delta) {
  return std::sqrt(2.0 * std::log(1.25 / delta)) / sigma;
}

}  // namespace fedmrg::federation
