#include "engine/infer/weight_arena.h"

#include <sys/mman.h>

#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace fedmrg::engine {
namespace {
constexpr size_t kHugePage = size_t(2) << 20;
constexpr size_t kLine = 64;
size_t roundUp(size_t v, size_t to) { return (v + to - 1) / to * to; }
}  // namespace

WeightArena::WeightArena(size_t bytes) {
  if (bytes == 0) return;
  size_ = roundUp(bytes, kLine);
  // Map one huge page more than needed so the block can start on a 2 MiB boundary.
  mapped_ = roundUp(size_, kHugePage) + kHugePage;
  void* p = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  char* raw = static_cast<char*>(p);
  char* aligned = reinterpret_cast<char*>(roundUp(reinterpret_cast<size_t>(raw), kHugePage));
  // Give back the unaligned head and the tail beyond the aligned block.
  if (aligned > raw) munmap(raw, size_t(aligned - raw));
  const size_t keep = roundUp(size_, kHugePage);
  char* tail = aligned + keep;
  char* end = raw + mapped_;
  if (end > tail) munmap(tail, size_t(end - tail));
  base_ = aligned;
  mapped_ = keep;
#ifdef MADV_HUGEPAGE
  huge_ = madvise(base_, mapped_, MADV_HUGEPAGE) == 0;
#endif
}

WeightArena::~WeightArena() { release(); }

WeightArena::WeightArena(WeightArena&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      mapped_(std::exchange(o.mapped_, 0)),
      used_(std::exchange(o.used_, 0)),
      huge_(std::exchange(o.huge_, false)) {}

WeightArena& WeightArena::operator=(WeightArena&& o) noexcept {
  if (this != &o) {
    release();
    base_ = std::exchange(o.base_, nullptr);
    size_ = std::exchange(o.size_, 0);
    mapped_ = std::exchange(o.mapped_, 0);
    used_ = std::exchange(o.used_, 0);
    huge_ = std::exchange(o.huge_, false);
  }
  return *this;
}

void WeightArena::release() {
  if (base_) munmap(base_, mapped_);
  base_ = nullptr;
  size_ = mapped_ = used_ = 0;
}

void* WeightArena::take(size_t bytes) {
  const size_t n = roundUp(bytes, kLine);
  if (n > size_ - used_)
    throw std::length_error("weight arena: " + std::to_string(bytes) + " bytes asked, " +
                            std::to_string(size_ - used_) + " left");
  void* p = base_ + used_;
  used_ += n;
  return p;
}

}  // namespace fedmrg::engine
