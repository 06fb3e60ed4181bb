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

GreyMapping::GreyMapping(const DisplayWindow& window, bool imageInverted, bool shownInverted)
    : center_(float(window.center)),
      slope_(float((imageInverted ? -1.0 : 1.0) / std::max(1.0, window.width))),
      // MONOCHROME1 is already turned round by the negative slope; the user's invert flips again.
      flip_(shownInverted != imageInverted) {}

void ViewState::reset(const DisplayWindow& defaultWindow, bool invert, double valueMin, double valueMax) {
  default_ = defaultWindow;
  if (default_.width <= 0) default_.width = std::max(1.0, valueMax - valueMin);
  valueMin_ = valueMin;
  valueMax_ = std::max(valueMax, valueMin + 1);
  setWindow(default_);
  zoom_ = 1;
  panX_ = panY_ = 0;
  invert_ = invert;
  imageInvert_ = invert;
}

void ViewState::setWindow(const DisplayWindow& w) {
  // On a power-of-two grid (1/65536 of the value range or finer): a MONOCHROME1 window then is the
  // exact mirror (max + min - center) of its MONOCHROME2 copy's after the same presets and drags,
  // where rounding in the sums would otherwise tip a pixel at a grey level's edge one level apart.
  const double step = std::ldexp(1.0, std::ilogb(valueMax_ - valueMin_) - 16);
  window_.center = std::round(w.center / step) * step;
  window_.width = std::max(1.0, std::round(w.width / step) * step);
}

void ViewState::dragWindow(int dx, int dy) {
  const double perPixel = (valueMax_ - valueMin_) / 500.0;
  // Down raises the level on screen: towards the values shown brighter, which are the low ones in
  // MONOCHROME1.
  setWindow({window_.center + brighterSign() * dy * perPixel, window_.width + dx * perPixel});
}

bool ViewState::applyPreset(const std::string& name) {
  for (const auto& p : windowPresets()) {
    if (p.name != name) continue;
    setWindow({default_.center + brighterSign() * p.centerShift * default_.width, default_.width * p.widthScale});
    return true;
  }
  return false;
}

void ViewState::setImageSize(int width, int height) {
  imageWidth_ = std::max(1, width);
  imageHeight_ = std::max(1, height);
}

void ViewState::setViewport(double width, double height, double devicePixelRatio) {
  viewWidth_ = std::max(1.0, width);
  viewHeight_ = std::max(1.0, height);
  dpr_ = devicePixelRatio > 0 && std::isfinite(devicePixelRatio) ? devicePixelRatio : 1.0;
}

void ViewState::zoomBy(double factor) {
  if (factor > 0 && std::isfinite(factor)) zoom_ = std::clamp(zoom_ * factor, 0.1, 40.0);
}

void ViewState::fit() {
  zoom_ = 1;
  panX_ = panY_ = 0;
}

void ViewState::actualPixels() {
  // Not clamped like zoomBy: a small image in a large view may need less than a tenth of fit.
  zoom_ = 1.0 / fitMagnification();
}

double ViewState::fitMagnification() const {
  return std::min(viewWidth_ / imageWidth_, viewHeight_ / imageHeight_) * dpr_;
}

void ViewState::panBy(double dx, double dy) {
  panX_ += dx;
  panY_ += dy;
}

void ViewState::panByView(double dx, double dy) {
  const double s = logicalPixelsPerImagePixel();
  panBy(dx / s, dy / s);
}

Point2 ViewState::viewCenterInImage() const {
  return {(imageWidth_ - 1) / 2.0 - panX_, (imageHeight_ - 1) / 2.0 - panY_};
}

Point2 ViewState::imageToView(Point2 p) const {
  const double s = logicalPixelsPerImagePixel();
  const Point2 c = viewCenterInImage();
  return {viewWidth_ / 2 + (p.x - c.x) * s, viewHeight_ / 2 + (p.y - c.y) * s};
}

Point2 ViewState::viewToImage(Point2 p) const {
  const double s = logicalPixelsPerImagePixel();
  const Point2 c = viewCenterInImage();
  return {c.x + (p.x - viewWidth_ / 2) / s, c.y + (p.y - viewHeight_ / 2) / s};
}

}  // namespace fedmrg::app
