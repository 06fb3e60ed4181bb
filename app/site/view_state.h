#pragma once
// What the image viewer shows: window/level, zoom, pan and inversion, and how mouse drags and
// presets change them. The viewer widget only renders this state.
#include <string>
#include <vector>

#include "app/site/display_image.h"

namespace fedmrg::app {

struct WindowPreset {
  std::string name;      // "lung", "mediastinum", "bone"
  std::string shortcut;  // key in the viewer
  // Relative to the image's default window: center + centerShift * width, width * widthScale.
  double centerShift = 0;
  double widthScale = 1;
};

// Chest radiograph presets: radiographs carry no Hounsfield scale, so presets are relative to the
// window the file (or the percentile rule) gives.
const std::vector<WindowPreset>& windowPresets();

class ViewState {
 public:
  // Resets to the image's default window, fit to the view, no pan; `invert` as the image says.
  void reset(const DisplayWindow& defaultWindow, bool invert, double valueMin, double valueMax);

  const DisplayWindow& window() const { return window_; }
  const DisplayWindow& defaultWindow() const { return default_; }
  void setWindow(const DisplayWindow& w);
  // A mouse drag of (dx, dy) screen pixels: right widens, down raises the center (brighter image
  // content moves darker), scaled so that a drag across 500 pixels sweeps the whole value range.
  void dragWindow(int dx, int dy);
  bool applyPreset(const std::string& name);

  double zoom() const { return zoom_; }  // 1 = the whole image fits the view
  void zoomBy(double factor);            // clamped to [0.1, 40]
  void fit();                            // zoom 1, no pan
  double panX() const { return panX_; }  // image pixels, from the image center
  double panY() const { return panY_; }
  void panBy(double dxImagePixels, double dyImagePixels);

  bool invert() const { return invert_; }
  void toggleInvert() { invert_ = !invert_; }
  bool imageInverted() const { return imageInvert_; }

 private:
  DisplayWindow default_, window_;
  double valueMin_ = 0, valueMax_ = 1;
  double zoom_ = 1, panX_ = 0, panY_ = 0;
  bool invert_ = false, imageInvert_ = false;
};

}  // namespace fedmrg::app
