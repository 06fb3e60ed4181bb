#include "federation/rate_limiter.h"

#include <algorithm>

namespace fedmrg::federation {

void RateLimiter::setKbps(int kbps) { kbps_ = std::max(0, kbps); }

void RateLimiter::take(uint64_t bytes) {
  const int kbps = kbps_;
  if (kbps <= 0 || bytes == 0) return;
  std::unique_lock lock(mutex_);
  if (cancelled_) return;
  // The chunk is on the wire from when the line is free until its bytes have passed at the cap; the caller
  // waits for the end, so every byte of a transfer is paced (no initial burst).
  const auto now = std::chrono::steady_clock::now();
  const auto start = std::max(now, nextFree_);
  const auto length = std::chrono::duration<double>(double(bytes) * 8.0 / (double(kbps) * 1000.0));
  nextFree_ = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(length);
  wake_.wait_until(lock, nextFree_, [&] { return cancelled_; });
}

size_t RateLimiter::chunkBytes(size_t fallback) const {
  const int kbps = kbps_;
  if (kbps <= 0) return fallback;
  // A quarter of a second at the cap (kbps * 1000 / 8 / 4 bytes), at least 1 KiB so that framing stays small.
  return std::clamp(size_t(kbps) * 1000 / 32, size_t(1024), fallback);
}

void RateLimiter::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  wake_.notify_all();
}

}  // namespace fedmrg::federation
