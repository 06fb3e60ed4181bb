#include "app/site/draft_activity.h"

#include <chrono>

namespace fedmrg::app {

void DraftActivity::begin() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++drafts_;
}

void DraftActivity::end() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --drafts_;
  }
  idle_.notify_all();
}

bool DraftActivity::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return drafts_ > 0;
}

bool DraftActivity::waitWhileActive(const std::atomic<bool>& stop) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (drafts_ == 0) return false;
  // Woken by end(); the timeout only lets a stop request through (nobody notifies for it).
  while (drafts_ > 0 && !stop) idle_.wait_for(lock, std::chrono::milliseconds(50));
  return true;
}

}  // namespace fedmrg::app
