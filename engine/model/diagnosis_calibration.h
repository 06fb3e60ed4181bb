#pragma once
// Decision calibration of the diagnosis head: per-observation offsets added to the log-probabilities of
// the 4 states before the most likely state is chosen, and the fitter that picks the offsets on a
// validation split by coordinate ascent on example-based CE-F1. Calibration moves decisions only; the
// probabilities a draft reports stay the model's own.
#include <array>
#include <string>
#include <vector>

#include "engine/labeler/observations.h"

namespace fedmrg::engine {

struct DiagnosisCalibration {
  // offsets[i][k]: added to log p(state k) of observation i (CheXpert order; states blank, positive,
  // negative, uncertain). All zero: the plain argmax the head was trained for.
  std::array<std::array<double, 4>, kNumObservations> offsets{};

  bool isIdentity() const;
  bool operator==(const DiagnosisCalibration& o) const { return offsets == o.offsets; }
};

// The state per observation that maximizes log p + offset, from row-major [14 x 4] probabilities.
// With an identity calibration this is exactly argmaxStates (ties go to the lower state index).
// Throws std::invalid_argument for a wrong probability count.
ObservationStates decideStates(const std::vector<float>& probabilities, const DiagnosisCalibration& calibration);

// The states the labeler reads in a draft that follows the diagnosis prompt: observations 1..13 as decided,
// No Finding positive when no observation other than Support Devices is positive or uncertain (the labeler's
// rule), blank otherwise.
ObservationStates writtenStates(const ObservationStates& decided);

struct CalibrationFitOptions {
  std::vector<double> grid;  // candidate offsets; empty: -2 to 4 in steps of 0.25
  std::vector<ObservationState> states{ObservationState::Positive, ObservationState::Uncertain};  // fitted
  int passes = 4;            // coordinate-ascent sweeps at most (stops early when a sweep changes nothing)
  double minGain = 0;        // an offset moves only when example-based F1 rises by more than this
};

struct CalibrationFit {
  DiagnosisCalibration calibration;
  double f1Before = 0;  // example-based F1 of the written states, uncalibrated
  double f1After = 0;   // same, with the fitted calibration
  int sweeps = 0;       // sweeps run
  size_t samples = 0;
};

// Fits the offsets of options.states for every observation (others stay 0) so that the example-based F1 of
// writtenStates(decideStates(p)) against the reference states rises. probabilities[i] and references[i]
// belong to one study. Throws std::invalid_argument on a size mismatch or an empty set.
CalibrationFit fitCalibration(const std::vector<std::vector<float>>& probabilities,
                              const std::vector<ObservationStates>& references,
                              const CalibrationFitOptions& options = {});

}  // namespace fedmrg::engine
