#include "app/cli/site/bench_fl_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fedmrg::cli::benchfl {
namespace fs = std::filesystem;

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// The last lines of a log, to say why a process failed.
std::string tail(const fs::path& p, size_t lines = 8) {
  const std::string text = readText(p);
  size_t at = text.size();
  for (size_t n = 0; n <= lines && at > 0 && at != std::string::npos; ++n) at = text.rfind('\n', at - 1);
  return text.substr(at == std::string::npos ? 0 : at + 1);
}

}  // namespace

Child::Child(std::vector<std::string> argv, fs::path log) : argv_(std::move(argv)), log_(std::move(log)) {
  // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (std::string& a : argv_) args.push_back(a.data());
  args.push_back(nullptr);
  const std::string logPath = log_.string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("cannot start " + argv_[0]);
  if (pid_ == 0) {
    const int fd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
}

Child::~Child() {
  if (poll()) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100 && !poll(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::optional<int> Child::poll() {
  if (!exited_) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    exited_ = true;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return code_;
}

void Child::stop() {
  if (!poll()) ::kill(pid_, SIGTERM);
}

std::string Child::failure(const std::string& what) const {
  return what + " ended with status " + std::to_string(code_) + "; the end of " + log_.string() + ":\n" + tail(log_);
}

}  // namespace fedmrg::cli::benchfl
