#include "app/site/back_off.h"

#include <algorithm>

namespace fedmrg::app {

int BackOff::delayAfter(int failures) {
  if (failures < 3) return 0;
  return failures - 3 >= 9 ? 300 : std::min(300, 1 << (failures - 3));
}

int BackOff::secondsToWait() const {
  if (failures_ == 0) return 0;
  return int(std::max<qint64>(0, delayAfter(failures_) - lastFailure_.secsTo(clock_())));
}

void BackOff::failed() {
  ++failures_;
  lastFailure_ = clock_();
}

}  // namespace fedmrg::app
