#include "engine/infer/thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEDMRG_PAUSE() _mm_pause()
#else
#define FEDMRG_PAUSE() std::this_thread::yield()
#endif

namespace fedmrg::engine {
namespace {
constexpr int kSpinsBeforeSleep = 20000;  // roughly 0.1 to 0.5 ms of spinning between regions
constexpr int kSpinsBeforeYield = 2000;
constexpr int kChunksPerThread = 4;
// When threading stops paying (the workers are not getting a core on a busy machine), the next regions run on
// the caller alone, then threading is tried again.
constexpr int kWindowRegions = 64;     // about two decode steps
constexpr double kMinSpeedup = 1.15;
constexpr int kSoloRegions = 2000;     // about 65 decode steps
// Regions not counted after threading resumes: the workers slept through the solo stretch and the first regions
// pay their wake-up. Counting those made every retry look like threading does not pay, so a pool that went solo
// once (a moment of load) stayed solo on a quiet machine (measured: 1,040 instead of 2,000 tokens/s).
constexpr int kWarmupRegions = 16;

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// The claim word: generation (32 bits) | number of chunks (16 bits) | next chunk (16 bits). Keeping the count in
// the word means a late worker never reads a later region's fields before its claim is known to be valid.
uint32_t genOf(uint64_t v) { return uint32_t(v >> 32); }
int chunksOf(uint64_t v) { return int((v >> 16) & 0xffff); }
int idxOf(uint64_t v) { return int(v & 0xffff); }
uint64_t word(uint32_t gen, int chunks) { return (uint64_t(gen) << 32) | (uint64_t(chunks) << 16); }
}  // namespace

ThreadPool::ThreadPool(int threads) {
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { workerLoop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    claim_.store(word(generation_ + 1, 0));
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

int ThreadPool::drain(uint32_t gen, int thread) {
  uint64_t v = claim_.load(std::memory_order_acquire);
  int ran = 0;
  for (;;) {
    if (genOf(v) != gen || idxOf(v) >= chunksOf(v)) return ran;
    if (!claim_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
    const int c = idxOf(v);
    const int b = c * chunk_, e = std::min(n_, b + chunk_);
    fn_(ctx_, b, e, thread);
    completed_.fetch_add(1, std::memory_order_acq_rel);
    ++ran;
    v = claim_.load(std::memory_order_acquire);
  }
}

void ThreadPool::run(int n, Fn fn, void* ctx, int grain) {
  if (n <= 0) return;
  if (workers_.empty() || soloRegions_ > 0) {
    if (soloRegions_ > 0 && --soloRegions_ == 0) warmupRegions_ = kWarmupRegions;
    fn(ctx, 0, n, 0);
    return;
  }
  grain = std::max(1, grain);
  const int target = std::min(threads() * kChunksPerThread, 0xffff);
  const int units = (n + grain - 1) / grain;
  fn_ = fn;
  ctx_ = ctx;
  n_ = n;
  chunk_ = std::max(1, (units + target - 1) / target) * grain;
  chunks_ = (n + chunk_ - 1) / chunk_;
  completed_.store(0, std::memory_order_relaxed);
  const uint32_t gen = ++generation_;
  claim_.store(word(gen, chunks_), std::memory_order_seq_cst);  // publishes the fields above
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.notify_all();
  }
  const double t0 = now();
  // The caller's own chunks. (Counting every chunk completed while the caller drained, as this once did, credits
  // the workers' chunks to the caller, so threading always looked useless and the pool went solo.)
  const int mine = drain(gen, 0);
  const double t1 = now();
  // Only chunks that a worker has already claimed are left; spin briefly, then yield to let it finish.
  for (int spins = 0; completed_.load(std::memory_order_acquire) < chunks_; ++spins) {
    if (spins < kSpinsBeforeYield) {
      FEDMRG_PAUSE();
    } else {
      std::this_thread::yield();
    }
  }
  const double t2 = now();
  if (warmupRegions_ > 0) {
    --warmupRegions_;
    return;
  }
  // Over a window of regions, compare the time taken with what the caller alone would have needed at its own
  // pace; when threading does not pay (workers descheduled or late), run alone for a while.
  windowWork_ += t1 - t0;
  windowTotal_ += t2 - t0;
  windowMine_ += mine;
  windowChunks_ += chunks_;
  if (++windowRegions_ >= kWindowRegions) {
    const double aloneEstimate = windowWork_ * double(windowChunks_) / double(std::max(1, windowMine_));
    if (windowTotal_ * kMinSpeedup > aloneEstimate) soloRegions_ = kSoloRegions;
    windowWork_ = windowTotal_ = 0;
    windowMine_ = windowChunks_ = windowRegions_ = 0;
  }
}

void ThreadPool::workerLoop(int thread) {
  uint32_t seen = 0;
  for (;;) {
    int spins = 0;
    uint32_t gen;
    while ((gen = genOf(claim_.load(std::memory_order_acquire))) == seen) {
      if (++spins < kSpinsBeforeSleep) {
        FEDMRG_PAUSE();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      wake_.wait(lock, [&] { return genOf(claim_.load(std::memory_order_seq_cst)) != seen; });
      sleepers_.fetch_sub(1, std::memory_order_seq_cst);
      spins = 0;
    }
    seen = gen;
    if (stop_.load()) return;
    drain(gen, thread);
  }
}

}  // namespace fedmrg::engine
