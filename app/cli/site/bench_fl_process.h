#pragma once
// The child processes of `bench fl --transport grpc` (the coordinator and the site processes): started with their
// output in a log file, polled, and stopped when they go out of scope, so that a failed run leaves none behind.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fedmrg::cli::benchfl {

std::string readText(const std::filesystem::path& file);

// A child process whose stdout and stderr go to a file; terminated (SIGTERM, then SIGKILL) when it goes out of
// scope still running.
class Child {
 public:
  Child(std::vector<std::string> argv, std::filesystem::path log);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // nullopt while it runs; its exit status once it ended (128 + the signal when a signal ended it).
  std::optional<int> poll();
  void stop();  // SIGTERM
  const std::filesystem::path& log() const { return log_; }
  // "<what> ended with status N; the end of <log>:" and the log's last lines.
  std::string failure(const std::string& what) const;

 private:
  std::vector<std::string> argv_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int code_ = 0;
};

}  // namespace fedmrg::cli::benchfl
