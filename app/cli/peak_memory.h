#pragma once
// The process's peak resident memory (VmHWM of /proc/self/status), for the bench-* commands.
#include <fstream>
#include <string>

namespace fedmrg::cli {

inline long peakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

}  // namespace fedmrg::cli
