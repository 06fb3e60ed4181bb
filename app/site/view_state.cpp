#include "app/site/view_state.h"

#include <algorithm>
#include <cmath>

namespace fedmrg::app {

const std::vector<WindowPreset>& windowPresets() {
  static const std::vector<WindowPreset> presets = {
      {"lung", "1", -0.15, 1.4},        // wide, low: air-filled lung detail
      {"mediastinum", "2", 0.20, 0.6},  // narrow, high: soft tissue behind the heart
      {"bone", "3", 0.30, 0.8},         // high: ribs, clavicles, spine
  };
  return presets;
}

void ViewState::reset(const DisplayWindow& defaultWindow, bool invert, double valueMin, double valueMax) {
  default_ = defaultWindow;
  if (default_.width <= 0) default_.width = std::max(1.0, valueMax - valueMin);
  window_ = default_;
  valueMin_ = valueMin;
  valueMax_ = std::max(valueMax, valueMin + 1);
  zoom_ = 1;
  panX_ = panY_ = 0;
  invert_ = invert;
  imageInvert_ = invert;
}

void ViewState::setWindow(const DisplayWindow& w) {
  window_.center = w.center;
  window_.width = std::max(1.0, w.width);
}

void ViewState::dragWindow(int dx, int dy) {
  const double perPixel = (valueMax_ - valueMin_) / 500.0;
  setWindow({window_.center + dy * perPixel, window_.width + dx * perPixel});
}

bool ViewState::applyPreset(const std::string& name) {
  for (const auto& p : windowPresets()) {
    if (p.name != name) continue;
    setWindow({default_.center + p.centerShift * default_.width, default_.width * p.widthScale});
    return true;
  }
  return false;
}

void ViewState::zoomBy(double factor) {
  if (factor > 0 && std::isfinite(factor)) zoom_ = std::clamp(zoom_ * factor, 0.1, 40.0);
}

void ViewState::fit() {
  zoom_ = 1;
  panX_ = panY_ = 0;
}

void ViewState::panBy(double dx, double dy) {
  panX_ += dx;
  panY_ += dy;
}

}  // namespace fedmrg::app
