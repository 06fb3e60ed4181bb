#pragma once
// Two images shown side by side (a study and its prior) keep the same view: what one viewer's
// zoom, pan and window are, expressed so that the other image can follow although its size and
// value range differ.
#include "app/site/view_state.h"

namespace fedmrg::app {

// Zoom as it is (1 = fit); pan as a fraction of the image's width and height; the window relative
// to the image's own default window, as the presets are: two films of one patient rarely share a
// value range, so the same numbers would show the other film black or white.
struct LinkedView {
  double zoom = 1, panX = 0, panY = 0;
  double windowShift = 0;  // (center - default center) / default width
  double windowScale = 1;  // width / default width
};

LinkedView linkedView(const ViewState& state, int imageWidth, int imageHeight);
// Moves `state` (of an image of imageWidth x imageHeight) to show `view`.
void followLinkedView(ViewState& state, const LinkedView& view, int imageWidth, int imageHeight);

}  // namespace fedmrg::app
