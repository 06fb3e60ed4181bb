#include "engine/model/diagnosis_calibration.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "engine/metrics/clinical_metrics.h"

namespace fedmrg::engine {
namespace {

constexpr int kStates = 4;
const int kSupportDevices = observationIndex("support_devices");

void checkSize(const std::vector<float>& probabilities) {
  if (probabilities.size() != size_t(kNumObservations) * kStates)
    throw std::invalid_argument("diagnosis probabilities: expected 14 x 4 values, got " +
                                std::to_string(probabilities.size()));
}

ObservationState decideOne(const float* p, const std::array<double, 4>& offset) {
  int best = 0;
  double bestScore = -std::numeric_limits<double>::infinity();
  for (int k = 0; k < kStates; ++k) {
    const double score = std::log(double(p[k])) + offset[size_t(k)];
    if (k == 0 || score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return ObservationState(best);
}

double exampleF1(const std::vector<ObservationStates>& decided, const std::vector<ObservationStates>& references) {
  std::vector<ObservationStates> written;
  written.reserve(decided.size());
  for (const ObservationStates& s : decided) written.push_back(writtenStates(s));
  return clinicalEfficacy(written, references).exampleBased.f1;
}

}  // namespace

bool DiagnosisCalibration::isIdentity() const {
  for (const auto& row : offsets)
    for (double v : row)
      if (v != 0.0) return false;
  return true;
}

ObservationStates decideStates(const std::vector<float>& probabilities, const DiagnosisCalibration& calibration) {
  checkSize(probabilities);
  ObservationStates s{};
  const bool identity = calibration.isIdentity();
  for (int i = 0; i < kNumObservations; ++i) {
    const float* p = probabilities.data() + size_t(i) * kStates;
    if (identity) {  // the plain argmax, compared on the probabilities themselves
      int best = 0;
      for (int k = 1; k < kStates; ++k)
        if (p[k] > p[best]) best = k;
      s[size_t(i)] = ObservationState(best);
    } else {
      s[size_t(i)] = decideOne(p, calibration.offsets[size_t(i)]);
    }
  }
  return s;
}

ObservationStates writtenStates(const ObservationStates& decided) {
  ObservationStates out = decided;
  bool finding = false;
  for (int i = 1; i < kNumObservations; ++i) {
    if (i == kSupportDevices) continue;
    finding = finding || decided[size_t(i)] == ObservationState::Positive ||
              decided[size_t(i)] == ObservationState::Uncertain;
  }
  out[0] = finding ? ObservationState::Blank : ObservationState::Positive;
  return out;
}

CalibrationFit fitCalibration(const std::vector<std::vector<float>>& probabilities,
                              const std::vector<ObservationStates>& references, const CalibrationFitOptions& options) {
  if (probabilities.size() != references.size())
    throw std::invalid_argument("calibration fit: " + std::to_string(probabilities.size()) + " predictions but " +
                                std::to_string(references.size()) + " references");
  if (probabilities.empty()) throw std::invalid_argument("calibration fit: no studies");
  for (const auto& p : probabilities) checkSize(p);
  std::vector<double> grid = options.grid;
  if (grid.empty())
    for (int g = -8; g <= 16; ++g) grid.push_back(0.25 * g);
  for (double g : grid)
    if (!std::isfinite(g)) throw std::invalid_argument("calibration fit: grid values must be finite");

  CalibrationFit fit;
  fit.samples = probabilities.size();
  std::vector<ObservationStates> decided;
  decided.reserve(probabilities.size());
  for (const auto& p : probabilities) decided.push_back(decideStates(p, fit.calibration));
  fit.f1Before = exampleF1(decided, references);

  double best = fit.f1Before;
  std::vector<ObservationStates> trial = decided;
  for (int sweep = 0; sweep < options.passes; ++sweep) {
    ++fit.sweeps;
    bool changed = false;
    for (int i = 0; i < kNumObservations; ++i) {
      for (ObservationState state : options.states) {
        std::array<double, 4>& row = fit.calibration.offsets[size_t(i)];
        const size_t k = size_t(state);
        const double current = row[k];
        double bestValue = current;
        for (double value : grid) {
          if (value == current) continue;
          row[k] = value;
          for (size_t n = 0; n < probabilities.size(); ++n)
            trial[n][size_t(i)] = decideOne(probabilities[n].data() + size_t(i) * kStates, row);
          const double f1 = exampleF1(trial, references);
          // Strictly better by minGain; on equal F1 the smaller offset wins, so nothing moves without reason.
          if (f1 > best + options.minGain ||
              (bestValue != current && f1 == best && std::fabs(value) < std::fabs(bestValue))) {
            best = f1;
            bestValue = value;
          }
        }
        row[k] = bestValue;
        for (size_t n = 0; n < probabilities.size(); ++n) {
          decided[n][size_t(i)] = decideOne(probabilities[n].data() + size_t(i) * kStates, row);
          trial[n][size_t(i)] = decided[n][size_t(i)];
        }
        changed = changed || bestValue != current;
      }
    }
    if (!changed) break;
  }
  fit.f1After = exampleF1(decided, references);
  return fit;
}

}  // namespace fedmrg::engine
