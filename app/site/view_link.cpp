#include "app/site/view_link.h"

#include <algorithm>

namespace fedmrg::app {

LinkedView linkedView(const ViewState& state, int imageWidth, int imageHeight) {
  const DisplayWindow& d = state.defaultWindow();
  const double width = std::max(1.0, d.width);
  return {state.zoom(), state.panX() / std::max(1, imageWidth), state.panY() / std::max(1, imageHeight),
          (state.window().center - d.center) / width, state.window().width / width};
}

void followLinkedView(ViewState& state, const LinkedView& view, int imageWidth, int imageHeight) {
  state.zoomBy(view.zoom / state.zoom());
  state.panBy(view.panX * std::max(1, imageWidth) - state.panX(), view.panY * std::max(1, imageHeight) - state.panY());
  const DisplayWindow& d = state.defaultWindow();
  state.setWindow({d.center + view.windowShift * d.width, d.width * view.windowScale});
}

}  // namespace fedmrg::app
