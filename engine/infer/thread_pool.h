#pragma once
// A small persistent thread pool for the decoder's per-token loops: the caller takes part 0, workers spin briefly
// and then sleep, so a parallel region costs about a microsecond instead of a thread start.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace fedmrg::engine {

class ThreadPool {
 public:
  // Body of a parallel region: runs the items [begin, end) as part `part` of `parts`.
  using Fn = void (*)(void* ctx, int begin, int end, int part);

  explicit ThreadPool(int threads);  // threads counts the caller; <= 1 means no workers
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return int(workers_.size()) + 1; }
  // Splits [0, n) in threads() contiguous parts, each a multiple of `grain` items (except the last), runs them,
  // and returns when all are done. Not reentrant.
  void run(int n, Fn fn, void* ctx, int grain = 1);

 private:
  void workerLoop(int part);
  void range(int part, int* begin, int* end) const;

  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> done_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  Fn fn_ = nullptr;
  void* ctx_ = nullptr;
  int n_ = 0;
  int grain_ = 1;
};

}  // namespace fedmrg::engine
