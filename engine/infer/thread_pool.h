// fedmrg:internal
#pragma once
// A small persistent thread pool for the decoder's per-token loops. A parallel region is cut into a few chunks per
// thread that the caller and the workers claim from a shared counter, so a worker that the OS has not scheduled
// (a busy machine) costs little: the caller runs its chunks, and when threading stops paying over a window of
// regions it runs alone for a while. Workers spin briefly, then sleep.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace fedmrg::engine {

class ThreadPool {
 public:
  // Body of a parallel region: runs the items [begin, end) on thread `thread` (0 is the caller).
  using Fn = void (*)(void* ctx, int begin, int end, int thread);

  explicit ThreadPool(int threads);  // threads counts the caller; <= 1 means no workers
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return int(workers_.size()) + 1; }
  // Runs fn over [0, n) in chunks whose boundaries are multiples of `grain` and returns when all are done.
  // Not reentrant; one caller at a time.
  void run(int n, Fn fn, void* ctx, int grain = 1);

 private:
  void workerLoop(int thread);
  // Claims and runs chunks of generation `gen` until none is left; returns how many this thread ran.
  int drain(uint32_t gen, int thread);

  std::vector<std::thread> workers_;
  // High 32 bits: generation of the current region; low 32 bits: next chunk to claim.
  std::atomic<uint64_t> claim_{0};
  std::atomic<int> completed_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  uint32_t generation_ = 0;  // written by the caller only
  Fn fn_ = nullptr;
  void* ctx_ = nullptr;
  int n_ = 0;
  int chunk_ = 1;
  int chunks_ = 0;
  // Speedup bookkeeping over a window of regions: the caller's time on its own chunks, the regions' total time,
  // the caller's chunks and all chunks.
  double windowWork_ = 0, windowTotal_ = 0;
  int windowMine_ = 0, windowChunks_ = 0, windowRegions_ = 0;
  int soloRegions_ = 0;    // regions left to run on the caller alone
  int warmupRegions_ = 0;  // threaded regions left before the window counts again (workers waking up)
};

}  // namespace fedmrg::engine
