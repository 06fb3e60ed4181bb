// fedmrg:internal
#pragma once
// One block of memory for all of a decoder's matrices, laid out in the order a decode step reads them.
// Why: a decode step streams every weight once. With each matrix in its own 4 KiB-paged allocation the hardware
// prefetchers stop at every page boundary and the TLB misses on every page (a 23 MB model spans 5,600 pages),
// so the kernels stall on memory at a fraction of the bandwidth a plain sequential read reaches. One block that
// asks the kernel for transparent huge pages (2 MiB) and is read front to back keeps the stream going.
#include <cstddef>

namespace fedmrg::engine {

class WeightArena {
 public:
  WeightArena() = default;
  explicit WeightArena(size_t bytes);  // bytes > 0; throws std::bad_alloc when the mapping fails
  ~WeightArena();
  WeightArena(WeightArena&& other) noexcept;
  WeightArena& operator=(WeightArena&& other) noexcept;
  WeightArena(const WeightArena&) = delete;
  WeightArena& operator=(const WeightArena&) = delete;

  // Hands out the next `bytes`, aligned to 64 bytes (a cache line). Throws std::length_error past the end.
  void* take(size_t bytes);
  size_t size() const { return size_; }
  size_t used() const { return used_; }
  // Whether the kernel accepted the huge-page advice (informational: the arena works either way).
  bool hugePages() const { return huge_; }

 private:
  void release();
  char* base_ = nullptr;
  size_t size_ = 0, mapped_ = 0, used_ = 0;
  bool huge_ = false;
};

}  // namespace fedmrg::engine
