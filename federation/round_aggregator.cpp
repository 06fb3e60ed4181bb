#include "federation/round_aggregator.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "federation/codec_random.h"

namespace fedmrg::federation {

namespace {

std::string number(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

// The middle value(s) by selection, not a full sort: the same values as sorting, in O(n).
double median(std::vector<double> v) {
  const size_t n = v.size();
  const auto mid = v.begin() + long(n / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (n % 2) return *mid;
  return 0.5 * (*std::max_element(v.begin(), mid) + *mid);
}

}  // namespace

namespace {

class MemoryUpdate final : public UpdateSource {
 public:
  explicit MemoryUpdate(SiteUpdate u) : update_(std::move(u)) {}
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& [name, m] : update_) out.push_back(name);
    return out;
  }
  Matrix tensor(const std::string& name) const override { return update_.at(name); }

 private:
  SiteUpdate update_;
};

}  // namespace

void UpdateSource::values(const std::string& name, size_t begin, size_t end, float* out) const {
  const Matrix m = tensor(name);
  if (end > m.values.size() || begin > end) throw std::runtime_error("tensor '" + name + "': a range past its end");
  std::copy(m.values.begin() + long(begin), m.values.begin() + long(end), out);
}

std::shared_ptr<const UpdateSource> inMemoryUpdate(SiteUpdate update) {
  return std::make_shared<MemoryUpdate>(std::move(update));
}

RoundAggregator::RoundAggregator(std::map<std::string, std::pair<int64_t, int64_t>> expected,
                                 AggregationSettings settings)
    : expected_(std::move(expected)), settings_(settings) {}

double RoundAggregator::updateNorm(const SiteUpdate& update) {
  double s = 0;
  for (const auto& [name, m] : update) s += m.squaredNorm();
  return std::sqrt(s);
}

Matrix RoundAggregator::clippedTensor(const Held& h, const std::string& name) const {
  Matrix m = h.update->tensor(name);
  if (settings_.dpClipNorm > 0 && h.norm > settings_.dpClipNorm) {
    const float scale = float(settings_.dpClipNorm / h.norm);
    for (auto& v : m.values) v *= scale;
  }
  return m;
}

// The first read of an update: every tensor federated, once, with its shape and finite values; its norm.
// One decoded tensor at a time.
std::string RoundAggregator::check(const UpdateSource& update, double& norm) const {
  std::map<std::string, bool> seen;
  double squares = 0;
  for (const std::string& name : update.names()) {
    const auto it = expected_.find(name);
    if (it == expected_.end()) return "tensor '" + name + "' is not federated in this round";
    if (seen[name]) return "tensor '" + name + "' appears twice";
    seen[name] = true;
    const Matrix m = update.tensor(name);
    if (m.rows != it->second.first || m.cols != it->second.second)
      return "tensor '" + name + "' has shape " + std::to_string(m.rows) + " x " + std::to_string(m.cols) +
             ", expected " + std::to_string(it->second.first) + " x " + std::to_string(it->second.second);
    for (float v : m.values)
      if (!std::isfinite(v)) return "tensor '" + name + "' holds NaN or infinite values";
    squares += m.squaredNorm();
  }
  for (const auto& [name, shape] : expected_)
    if (!seen.count(name)) return "tensor '" + name + "' is missing from the update";
  norm = std::sqrt(squares);
  return {};
}

std::string RoundAggregator::add(const std::string& site, const SiteUpdate& update, double sampleCount) {
  return add(site, inMemoryUpdate(update), sampleCount);
}

std::string RoundAggregator::add(const std::string& site, std::shared_ptr<const UpdateSource> update,
                                 double sampleCount) {
  auto refuse = [&](std::string why) {
    refused_[site] = why;
    return why;
  };
  if (seen_[site]) return "site " + site + " already sent an update this round";
  seen_[site] = true;
  if (!(sampleCount > 0) || !std::isfinite(sampleCount)) return refuse("the sample count must be a positive number");
  // Under DP every site counts alike: sample weights would let one site's share, and so the
  // sensitivity the noise must cover, grow without limit.
  Held h{site, std::move(update), settings_.dpClipNorm > 0 ? 1.0 : sampleCount, 0};
  try {
    if (std::string why = check(*h.update, h.norm); !why.empty()) return refuse(why);
    if (settings_.fixedNormBound > 0 && h.norm > settings_.fixedNormBound)
      return refuse("the update's norm " + number(h.norm) + " is above the bound " + number(settings_.fixedNormBound));
    if (settings_.rule != AggregationRule::WeightedMean) h.update->keep();
    held_.push_back(std::move(h));
  } catch (const std::exception& e) {
    return refuse(std::string("the update could not be read: ") + e.what());
  }
  return {};
}

// Adds one update into the running sums, one decoded tensor at a time. Each sum is fp32 (the model's
// size); each addition is done in double and rounded once.
void RoundAggregator::accumulate(const Held& h) {
  for (auto& [name, sum] : sums_) {
    const Matrix m = clippedTensor(h, name);
    for (size_t i = 0; i < sum.size(); ++i) sum[i] = float(double(sum[i]) + h.weight * double(m.values[i]));
  }
  weight_ += h.weight;
}

// Median or trimmed mean, block by block: a block is a run of coordinates (across tensors, in name order)
// small enough that every site's values of it fit robustBlockBytes; each site's update is read again for
// every block, one decoded tensor at a time.
SiteUpdate RoundAggregator::robustAggregate(const std::vector<const Held*>& kept) const {
  SiteUpdate out;
  const size_t n = kept.size();
  const size_t trim = settings_.rule == AggregationRule::TrimmedMean
                          ? std::min(size_t(std::floor(settings_.trimFraction * double(n))), (n - 1) / 2)
                          : 0;
  uint64_t modelValues = 0;
  for (const auto& [name, shape] : expected_) {
    out[name] = Matrix(shape.first, shape.second);
    modelValues += uint64_t(shape.first * shape.second);
  }
  const uint64_t budget =
      settings_.robustBlockBytes ? settings_.robustBlockBytes : std::max<uint64_t>(64 << 10, modelValues * 4 / 4);
  const size_t blockValues = std::max<size_t>(1, size_t(budget / (sizeof(float) * n)));
  std::vector<float> block(n * blockValues);
  std::vector<double> column(n);
  struct Segment {
    std::string name;
    size_t begin, end;
  };
  std::vector<Segment> segments;
  size_t used = 0;
  auto flush = [&] {
    for (size_t s = 0; s < n; ++s) {
      size_t off = 0;
      const Held& h = *kept[s];
      const bool clip = settings_.dpClipNorm > 0 && h.norm > settings_.dpClipNorm;
      const float scale = clip ? float(settings_.dpClipNorm / h.norm) : 1.0f;
      for (const Segment& g : segments) {
        float* dst = block.data() + s * blockValues + off;
        h.update->values(g.name, g.begin, g.end, dst);
        if (clip)
          for (size_t i = 0; i < g.end - g.begin; ++i) dst[i] *= scale;  // as clippedTensor does
        off += g.end - g.begin;
      }
    }
    size_t off = 0;
    for (const Segment& g : segments) {
      Matrix& m = out[g.name];
      for (size_t i = g.begin; i < g.end; ++i, ++off) {
        for (size_t s = 0; s < n; ++s) column[s] = block[s * blockValues + off];
        if (settings_.rule == AggregationRule::CoordinateMedian) {
          m.values[i] = float(median(column));
        } else {
          std::sort(column.begin(), column.end());
          double sum = 0;
          for (size_t s = trim; s < n - trim; ++s) sum += column[s];
          m.values[i] = float(sum / double(n - 2 * trim));
        }
      }
    }
    segments.clear();
    used = 0;
  };
  for (const auto& [name, shape] : expected_) {
    const size_t size = size_t(shape.first * shape.second);
    for (size_t begin = 0; begin < size;) {
      const size_t end = std::min(size, begin + (blockValues - used));
      segments.push_back({name, begin, end});
      used += end - begin;
      begin = end;
      if (used == blockValues) flush();
    }
  }
  if (!segments.empty()) flush();
  return out;
}

AggregationResult RoundAggregator::finish() {
  AggregationResult result;
  {
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
    // In site-id order, whatever the order of arrival: fp32 sums depend on the order of their terms, and the
    // same uploads must give the same aggregate bit for bit (a replayed round, the benchmark's two transports).
    std::sort(kept.begin(), kept.end(), [](const Held* x, const Held* y) { return x->site < y->site; });
    if (settings_.rule == AggregationRule::WeightedMean) {
      for (const auto& [name, shape] : expected_) sums_[name].assign(size_t(shape.first * shape.second), 0.0f);
      for (const Held* h : kept) accumulate(*h);
    } else if (!kept.empty()) {
      result.aggregate = robustAggregate(kept);
      weight_ = 0;
      for (const Held* h : kept) weight_ += h->weight;
    }
    accepted_ = int(kept.size());
  }
  if (settings_.rule == AggregationRule::WeightedMean && weight_ > 0)
    for (const auto& [name, shape] : expected_) {
      // The sums become the aggregate in place: no second copy of the model at the end of the round.
      Matrix m;
      m.rows = shape.first;
      m.cols = shape.second;
      m.values = std::move(sums_[name]);
      for (float& v : m.values) v = float(double(v) / weight_);
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
