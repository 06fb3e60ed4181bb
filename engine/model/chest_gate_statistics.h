#pragma once
// Where chest radiographs lie in the gate's feature space: the model's pooled image feature v, followed by the
// layout of the model's input image (block means on a coarse grid) and its intensity histogram, because v alone
// (trained on synthetic chests only) places some real non-chest images close to the chests. Stored: the
// per-value mean and spread, the main directions and their variances over a training split, so that an image's
// distance from that distribution can be scored (chest_gate.json in the model folder, written by `fedmrg-cli
// calibrate-gate`, read through engine::ModelFolder). The score is the Mahalanobis distance of the standardized
// feature in the k main directions plus the residual outside them (probabilistic PCA), per dimension: about 1 for
// an image like the training images, far above for anything else.
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::engine {

class ChestGateStatisticsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ChestGateStatistics {
  // How the feature is built from an image (feature() below): the layout grid's side and the histogram's bins.
  int layoutGrid = 8, histogramBins = 16;
  std::vector<double> mean, spread;             // [dim]: each value is standardized before the directions
  std::vector<std::vector<double>> directions;  // k orthonormal directions, each [dim], largest variance first
  std::vector<double> variances;                // variance along each direction
  double residualVariance = 0;                  // mean variance per dimension outside the k directions
  // Thresholds on score(): at or below acceptBelow an image is like the training images; above refuseAbove
  // it is unlike every one of them; in between the gate is uncertain. Chosen on a validation split.
  double acceptBelow = 0, refuseAbove = 0;
  // What the statistics were fitted and checked on, for the user and the model card.
  std::string fittedOn;
  int fittedImages = 0, validationImages = 0;
  double validationRefusalRate = 0;  // share of the validation images whose score is above refuseAbove

  int dim() const { return int(mean.size()); }
  // The gate's feature of one image: pooled (the encoder's v), then the block means of image (the model input,
  // channel 0 of imageSize x imageSize values in [0, 1]) on a grid x grid layout, then its histogram.
  static std::vector<float> feature(const std::vector<float>& pooled, const std::vector<float>& image, int imageSize,
                                    int grid, int bins);
  std::vector<float> feature(const std::vector<float>& pooled, const std::vector<float>& image, int imageSize) const {
    return feature(pooled, image, imageSize, layoutGrid, histogramBins);
  }
  // Throws ChestGateStatisticsError when the feature's size is not dim().
  double score(const std::vector<float>& feature) const;

  // Mean, the k main directions and the residual variance of features (each [dim], at least 2). Thresholds stay 0.
  // grid and bins: those the features were built with.
  static ChestGateStatistics fit(const std::vector<std::vector<float>>& features, int k, int grid, int bins);

  // Throws ChestGateStatisticsError naming the file and the field.
  static ChestGateStatistics load(const std::string& path);
  void save(const std::string& path) const;
};

}  // namespace fedmrg::engine
