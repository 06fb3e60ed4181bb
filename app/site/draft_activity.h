#pragma once
// Whether a draft is being generated, shared by the draft service (which marks each draft) and the
// background trainer (which waits between its steps while one runs), so that training never slows
// the radiologist's draft. Thread-safe.
#include <atomic>
#include <condition_variable>
#include <mutex>

namespace fedmrg::app {

class DraftActivity {
 public:
  // Marks one draft for its lifetime.
  class Scope {
   public:
    explicit Scope(DraftActivity* activity) : activity_(activity) {
      if (activity_) activity_->begin();
    }
    ~Scope() {
      if (activity_) activity_->end();
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    DraftActivity* activity_;
  };

  void begin();
  void end();
  bool active() const;
  // Returns at once when no draft runs; else waits until none does or `stop` is set. True when it waited.
  bool waitWhileActive(const std::atomic<bool>& stop);

 private:
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  int drafts_ = 0;
};

}  // namespace fedmrg::app
