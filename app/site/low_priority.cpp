#include "app/site/low_priority.h"

#include <dlfcn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace fedmrg::app {

void lowerThisThread(int niceness) {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  ::setpriority(PRIO_PROCESS, tid, niceness);  // best effort: a refusal leaves the normal priority
}

// OpenBLAS's thread pool was made at start-up at normal priority and spins while it waits: with it, a nice-19 run
// still took the cores from a draft (bench draft-while-training: p50 2.35x idle with OpenBLAS's default threads,
// 0.89x with one). Process-wide, so a draft's encoder multiplies on as few BLAS threads too, which the same bench
// did not show to cost anything. Looked up at run time: the program does not link OpenBLAS, and other BLAS lack it.
void limitBlasThreads(int threads) {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    set(std::max(1, threads));
}

}  // namespace fedmrg::app
