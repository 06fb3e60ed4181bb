#include "engine/model/chest_gate_statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "engine/core/json.h"

namespace fedmrg::engine {
namespace {

using Matrix = std::vector<std::vector<double>>;

// Eigenvalues and eigenvectors (columns of v) of the symmetric matrix a, by cyclic Jacobi rotations: a few
// hundred dimensions at most, once per calibration, so exactness matters more than speed.
void jacobiEigen(Matrix a, std::vector<double>& values, Matrix& v) {
  const size_t n = a.size();
  v.assign(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) v[i][i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, total = 0;
    for (size_t p = 0; p < n; ++p)
      for (size_t q = 0; q < n; ++q) (p == q ? total : off) += a[p][q] * a[p][q];
    if (off <= 1e-22 * (total + off) || off == 0) break;
    for (size_t p = 0; p + 1 < n; ++p)
      for (size_t q = p + 1; q < n; ++q) {
        if (a[p][q] == 0) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (size_t k = 0; k < n; ++k) {  // columns p and q
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (size_t k = 0; k < n; ++k) {  // rows p and q
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (size_t k = 0; k < n; ++k) {
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  values.resize(n);
  for (size_t i = 0; i < n; ++i) values[i] = a[i][i];
}

// Six significant digits: the file stays small (the default model's is about 25 KB) and the score moves by
// far less than the gap between its thresholds.
double rounded(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return std::strtod(buf, nullptr);
}

Json numbers(const std::vector<double>& v) {
  Json a = Json::array();
  for (double x : v) a.push_back(rounded(x));
  return a;
}

std::vector<double> readNumbers(const Json& j, const std::string& field, size_t expected) {
  std::vector<double> out;
  for (const Json& x : j.asArray()) out.push_back(x.asNumber());
  if (expected && out.size() != expected)
    throw ChestGateStatisticsError("'" + field + "' has " + std::to_string(out.size()) + " values, expected " +
                                   std::to_string(expected));
  for (double x : out)
    if (!std::isfinite(x)) throw ChestGateStatisticsError("'" + field + "' has a value that is not finite");
  return out;
}

constexpr const char* kFormat = "fedmrg-chest-gate";

}  // namespace

double ChestGateStatistics::score(const std::vector<float>& feature) const {
  if (feature.size() != mean.size())
    throw ChestGateStatisticsError("the image feature has " + std::to_string(feature.size()) +
                                   " values, the chest gate statistics " + std::to_string(mean.size()));
  std::vector<double> x(feature.size());
  double norm2 = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = (double(feature[i]) - mean[i]) / spread[i];
    norm2 += x[i] * x[i];
  }
  double d2 = 0, inside = 0;
  for (size_t k = 0; k < directions.size(); ++k) {
    const double p = std::inner_product(x.begin(), x.end(), directions[k].begin(), 0.0);
    d2 += p * p / variances[k];
    inside += p * p;
  }
  d2 += std::max(0.0, norm2 - inside) / residualVariance;
  return std::sqrt(d2 / double(x.size()));
}

std::vector<float> ChestGateStatistics::feature(const std::vector<float>& pooled, const std::vector<float>& image,
                                                int imageSize, int grid, int bins) {
  if (imageSize < grid || grid < 1 || bins < 1 || image.size() < size_t(imageSize) * size_t(imageSize))
    throw ChestGateStatisticsError("the chest gate's feature needs an image of at least grid x grid values");
  std::vector<float> out(pooled);
  std::vector<double> blocks(size_t(grid) * size_t(grid), 0.0), counts(blocks.size(), 0.0),
      histogram(size_t(bins), 0.0);
  for (int y = 0; y < imageSize; ++y)
    for (int x = 0; x < imageSize; ++x) {
      const double v = std::clamp(double(image[size_t(y) * size_t(imageSize) + size_t(x)]), 0.0, 1.0);
      const size_t b = size_t(y * grid / imageSize) * size_t(grid) + size_t(x * grid / imageSize);
      blocks[b] += v;
      counts[b] += 1;
      histogram[std::min(size_t(bins) - 1, size_t(v * bins))] += 1;
    }
  for (size_t b = 0; b < blocks.size(); ++b) out.push_back(float(blocks[b] / counts[b]));
  const double total = double(imageSize) * double(imageSize);
  for (double h : histogram) out.push_back(float(h / total));
  return out;
}

ChestGateStatistics ChestGateStatistics::fit(const std::vector<std::vector<float>>& features, int k, int grid,
                                             int bins) {
  if (features.size() < 2) throw ChestGateStatisticsError("fitting the chest gate needs at least 2 images");
  const size_t n = features[0].size();
  if (n == 0 || k < 0 || size_t(k) >= n)
    throw ChestGateStatisticsError("fitting the chest gate needs 0 <= k < feature size (" + std::to_string(n) + ")");
  ChestGateStatistics s;
  s.mean.assign(n, 0.0);
  for (const auto& f : features) {
    if (f.size() != n) throw ChestGateStatisticsError("image features differ in size");
    for (size_t i = 0; i < n; ++i) s.mean[i] += f[i];
  }
  for (double& m : s.mean) m /= double(features.size());
  s.spread.assign(n, 0.0);
  for (const auto& f : features)
    for (size_t i = 0; i < n; ++i) s.spread[i] += (f[i] - s.mean[i]) * (f[i] - s.mean[i]);
  // A value that never varies (a histogram bin no training image reaches) gets a small spread, not a zero one.
  for (double& sd : s.spread) sd = std::max(1e-3, std::sqrt(sd / double(features.size() - 1)));
  Matrix cov(n, std::vector<double>(n, 0.0));
  std::vector<double> z(n);
  for (const auto& f : features) {
    for (size_t i = 0; i < n; ++i) z[i] = (f[i] - s.mean[i]) / s.spread[i];
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i; j < n; ++j) cov[i][j] += z[i] * z[j];
  }
  const double denom = double(features.size() - 1);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i; j < n; ++j) cov[j][i] = cov[i][j] /= denom;
  std::vector<double> values;
  Matrix vectors;
  jacobiEigen(cov, values, vectors);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] > values[b]; });
  // A floor on every variance: a direction the training images never vary along must not turn a tiny
  // difference into an enormous distance.
  const double total =
      std::accumulate(values.begin(), values.end(), 0.0, [](double acc, double v) { return acc + std::max(0.0, v); });
  const double floor = std::max(1e-12, 1e-6 * total / double(n));
  double rest = 0;
  for (size_t r = 0; r < n; ++r) {
    const double v = std::max(floor, values[order[r]]);
    if (r < size_t(k)) {
      std::vector<double> dir(n);
      for (size_t i = 0; i < n; ++i) dir[i] = vectors[i][order[r]];
      s.directions.push_back(std::move(dir));
      s.variances.push_back(v);
    } else {
      rest += v;
    }
  }
  s.residualVariance = std::max(floor, rest / double(n - size_t(k)));
  s.fittedImages = int(features.size());
  s.layoutGrid = grid;
  s.histogramBins = bins;
  return s;
}

ChestGateStatistics ChestGateStatistics::load(const std::string& path) {
  try {
    const Json j = Json::parseFile(path);
    if (!j.isObject() || !j.contains("format") || j.at("format").asString() != kFormat)
      throw ChestGateStatisticsError(std::string("'format' is not \"") + kFormat + "\"");
    ChestGateStatistics s;
    s.mean = readNumbers(j.at("mean"), "mean", 0);
    if (s.mean.empty()) throw ChestGateStatisticsError("'mean' is empty");
    const size_t n = s.mean.size();
    s.spread = readNumbers(j.at("spread"), "spread", n);
    for (double v : s.spread)
      if (!(v > 0)) throw ChestGateStatisticsError("'spread' must be positive");
    s.layoutGrid = int(j.at("layout_grid").asInt());
    s.histogramBins = int(j.at("histogram_bins").asInt());
    if (s.layoutGrid < 1 || s.histogramBins < 1 || size_t(s.layoutGrid * s.layoutGrid + s.histogramBins) >= n)
      throw ChestGateStatisticsError("'layout_grid' and 'histogram_bins' do not fit the size of 'mean'");
    for (const Json& d : j.at("directions").asArray()) s.directions.push_back(readNumbers(d, "directions", n));
    s.variances = readNumbers(j.at("variances"), "variances", s.directions.size());
    s.residualVariance = j.at("residual_variance").asNumber();
    s.acceptBelow = j.at("accept_below").asNumber();
    s.refuseAbove = j.at("refuse_above").asNumber();
    for (double v : s.variances)
      if (!(v > 0)) throw ChestGateStatisticsError("'variances' must be positive");
    if (!(s.residualVariance > 0)) throw ChestGateStatisticsError("'residual_variance' must be positive");
    if (!(s.acceptBelow > 0) || !(s.refuseAbove >= s.acceptBelow) || !std::isfinite(s.refuseAbove))
      throw ChestGateStatisticsError("'accept_below' and 'refuse_above' must satisfy 0 < accept_below <= refuse_above");
    if (const Json* f = j.find("fitted_on")) s.fittedOn = f->asString();
    if (const Json* f = j.find("fitted_images")) s.fittedImages = int(f->asInt());
    if (const Json* f = j.find("validation_images")) s.validationImages = int(f->asInt());
    if (const Json* f = j.find("validation_refusal_rate")) s.validationRefusalRate = f->asNumber();
    return s;
  } catch (const ChestGateStatisticsError& e) {
    throw ChestGateStatisticsError(path + ": " + e.what());
  } catch (const std::exception& e) {
    throw ChestGateStatisticsError(path + ": " + e.what());
  }
}

void ChestGateStatistics::save(const std::string& path) const {
  Json j = Json::object();
  j["format"] = kFormat;
  j["fitted_on"] = fittedOn;
  j["fitted_images"] = fittedImages;
  j["validation_images"] = validationImages;
  j["validation_refusal_rate"] = rounded(validationRefusalRate);
  j["accept_below"] = rounded(acceptBelow);
  j["refuse_above"] = rounded(refuseAbove);
  j["residual_variance"] = rounded(residualVariance);
  j["variances"] = numbers(variances);
  j["layout_grid"] = layoutGrid;
  j["histogram_bins"] = histogramBins;
  j["mean"] = numbers(mean);
  j["spread"] = numbers(spread);
  Json dirs = Json::array();
  for (const auto& d : directions) dirs.push_back(numbers(d));
  j["directions"] = dirs;
  std::ofstream out(path);
  out << j.dump() << "\n";
  if (!out) throw ChestGateStatisticsError(path + ": cannot write");
}

}  // namespace fedmrg::engine
