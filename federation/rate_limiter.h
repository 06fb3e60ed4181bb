#pragma once
// A site's bandwidth cap (the administrator's "bandwidth cap" in kbit/s), enforced where the bytes move: the
// site's gRPC transport calls take() for every chunk it writes or has read, and take() sleeps until the chunk
// fits the cap, so a transfer of N bytes lasts at least N * 8 / (kbps * 1000) seconds. Upload chunks are cut to
// a quarter of a second's worth so that the stream is paced evenly, not in one burst. Thread-safe; the cap may
// change while transfers run (the administrator saves a new one).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace fedmrg::federation {

class RateLimiter {
 public:
  explicit RateLimiter(int kbps = 0) : kbps_(kbps) {}

  void setKbps(int kbps);  // 0: no cap
  int kbps() const { return kbps_; }
  // Accounts for `bytes` and returns once they fit the cap; at once without a cap or after cancel().
  void take(uint64_t bytes);
  // The upload chunk size for the current cap: `fallback` without one.
  size_t chunkBytes(size_t fallback) const;
  // Wakes every take() and makes later ones return at once (the site is shutting down).
  void cancel();

 private:
  std::atomic<int> kbps_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool cancelled_ = false;
  std::chrono::steady_clock::time_point nextFree_{};
};

}  // namespace fedmrg::federation
