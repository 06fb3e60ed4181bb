#include "engine/infer/thread_pool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEDMRG_PAUSE() _mm_pause()
#else
#define FEDMRG_PAUSE() std::this_thread::yield()
#endif

namespace fedmrg::engine {
namespace {
constexpr int kSpinsBeforeSleep = 200000;  // roughly 0.1 to 1 ms of spinning
constexpr int kSpinsBeforeYield = 4000;
}

ThreadPool::ThreadPool(int threads) {
  for (int p = 1; p < threads; ++p) workers_.emplace_back([this, p] { workerLoop(p); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::range(int part, int* begin, int* end) const {
  const int parts = threads();
  const int chunks = (n_ + grain_ - 1) / grain_;
  const int c0 = int(int64_t(chunks) * part / parts), c1 = int(int64_t(chunks) * (part + 1) / parts);
  *begin = std::min(n_, c0 * grain_);
  *end = std::min(n_, c1 * grain_);
}

void ThreadPool::run(int n, Fn fn, void* ctx, int grain) {
  if (n <= 0) return;
  if (workers_.empty()) {
    fn(ctx, 0, n, 0);
    return;
  }
  fn_ = fn;
  ctx_ = ctx;
  n_ = n;
  grain_ = std::max(1, grain);
  done_.store(0, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.notify_all();
  }
  int b, e;
  range(0, &b, &e);
  if (b < e) fn(ctx, b, e, 0);
  const int want = int(workers_.size());
  // Spin briefly, then yield: when the machine is busy the workers may be waiting for this very core.
  for (int spins = 0; done_.load(std::memory_order_acquire) < want; ++spins) {
    if (spins < kSpinsBeforeYield) {
      FEDMRG_PAUSE();
    } else {
      std::this_thread::yield();
    }
  }
}

void ThreadPool::workerLoop(int part) {
  uint64_t seen = 0;
  for (;;) {
    int spins = 0;
    uint64_t g;
    while ((g = generation_.load(std::memory_order_acquire)) == seen) {
      if (++spins < kSpinsBeforeSleep) {
        FEDMRG_PAUSE();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_seq_cst) != seen; });
      sleepers_.fetch_sub(1, std::memory_order_seq_cst);
      spins = 0;
    }
    seen = g;
    if (stop_.load()) return;
    int b, e;
    range(part, &b, &e);
    if (b < e) fn_(ctx_, b, e, part);
    done_.fetch_add(1, std::memory_order_release);
  }
}

}  // namespace fedmrg::engine
