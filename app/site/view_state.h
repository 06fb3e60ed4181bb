#pragma once
// What the image viewer shows: window/level, zoom, pan and inversion, how mouse drags and presets
// change them, how modality values become the grey on screen, and where an image pixel lands in the
// view. The viewer widget only renders this state.
#include <cstdint>
#include <string>
#include <vector>

#include "app/site/display_image.h"

namespace fedmrg::app {

struct WindowPreset {
  std::string name;      // "lung", "mediastinum", "bone"
  std::string shortcut;  // key in the viewer
  // Relative to the image's default window, in the direction of brightness on screen: the center
  // moves by centerShift * width towards the values shown brighter (higher values for MONOCHROME2,
  // lower for MONOCHROME1), the width becomes width * widthScale.
  double centerShift = 0;
  double widthScale = 1;
};

// Chest radiograph presets: radiographs carry no Hounsfield scale, so presets are relative to the
// window the file (or the percentile rule) gives.
const std::vector<WindowPreset>& windowPresets();

// Modality value -> displayed 8-bit grey (0 black) for one window and inversion: a linear window,
// MONOCHROME1 turned round so that the film reads as a radiologist expects, then the user's invert.
// A MONOCHROME1 image and a MONOCHROME2 copy of it (values max + min - v, window center likewise)
// give the same grey for every pixel.
class GreyMapping {
 public:
  // `imageInverted`: the image is MONOCHROME1; `shownInverted`: ViewState::invert().
  GreyMapping(const DisplayWindow& window, bool imageInverted, bool shownInverted);
  uint8_t operator()(float value) const {
    // (value - center) first, so that mirrored values give the exactly negated difference.
    float s = 0.5f + (value - center_) * slope_;
    s = s < 0.0f ? 0.0f : (s > 1.0f ? 1.0f : s);
    if (flip_) s = 1.0f - s;
    return uint8_t(s * 255.0f + 0.5f);
  }

 private:
  float center_, slope_;
  bool flip_;
};

// A point in image pixels (x right, y down; pixel centers at integers) or in view pixels (logical
// widget pixels, x right, y down, from the view's top left corner).
struct Point2 {
  double x = 0, y = 0;
};

class ViewState {
 public:
  // Resets to the image's default window, fit to the view, no pan; `invert` as the image says.
  void reset(const DisplayWindow& defaultWindow, bool invert, double valueMin, double valueMax);

  const DisplayWindow& window() const { return window_; }
  const DisplayWindow& defaultWindow() const { return default_; }
  void setWindow(const DisplayWindow& w);
  // A mouse drag of (dx, dy) screen pixels, in what the reader sees: right widens, down raises the
  // level (the image gets darker) for MONOCHROME1 and MONOCHROME2 alike; a drag across 500 pixels
  // sweeps the whole value range.
  void dragWindow(int dx, int dy);
  bool applyPreset(const std::string& name);
  GreyMapping greyMapping() const { return GreyMapping(window_, imageInvert_, invert_); }

  // The image's size in pixels and the view's in logical pixels with its device pixel ratio: the
  // viewer sets them on every image and resize, the mapping below needs them.
  void setImageSize(int width, int height);
  void setViewport(double width, double height, double devicePixelRatio);

  double zoom() const { return zoom_; }  // 1 = the whole image fits the view
  void zoomBy(double factor);            // clamped to [0.1, 40]
  void fit();                            // zoom 1, no pan
  // Actual pixels: one image pixel on one device (screen) pixel; keeps the pan.
  void actualPixels();
  // Device pixels per image pixel at zoom 1, and now: the true magnification (1 = actual pixels).
  double fitMagnification() const;
  double magnification() const { return fitMagnification() * zoom_; }
  double panX() const { return panX_; }  // image pixels, from the image center
  double panY() const { return panY_; }
  void panBy(double dxImagePixels, double dyImagePixels);
  // A pan drag of (dx, dy) logical view pixels: the image follows the mouse.
  void panByView(double dx, double dy);

  // Image pixels <-> view pixels at the current zoom and pan.
  Point2 imageToView(Point2 image) const;
  Point2 viewToImage(Point2 view) const;
  // The image point at the center of the view.
  Point2 viewCenterInImage() const;

  bool invert() const { return invert_; }
  void toggleInvert() { invert_ = !invert_; }
  bool imageInverted() const { return imageInvert_; }

 private:
  // +1 when higher values are brighter on screen (MONOCHROME2), -1 for MONOCHROME1.
  double brighterSign() const { return imageInvert_ ? -1.0 : 1.0; }
  double logicalPixelsPerImagePixel() const { return magnification() / dpr_; }

  DisplayWindow default_, window_;
  double valueMin_ = 0, valueMax_ = 1;
  double zoom_ = 1, panX_ = 0, panY_ = 0;
  int imageWidth_ = 1, imageHeight_ = 1;
  double viewWidth_ = 1, viewHeight_ = 1, dpr_ = 1;
  bool invert_ = false, imageInvert_ = false;
};

}  // namespace fedmrg::app
