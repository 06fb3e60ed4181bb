#pragma once
// Background work that must not take the machine from the radiologist (local training, federation rounds):
// the calling thread's nice value and the BLAS thread count, as the draft-while-training bench measured them.
namespace fedmrg::app {

// Linux keeps a nice value per thread: this lowers the calling (worker) thread only, never the GUI's.
void lowerThisThread(int niceness);
// LibTorch's CPU matrix products go to OpenBLAS, whose own pool spins at normal priority: limit it to `threads`.
void limitBlasThreads(int threads);

}  // namespace fedmrg::app
