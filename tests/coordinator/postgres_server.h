// A real PostgreSQL server started by a test: initdb and pg_ctl in a temporary folder, listening on
// 127.0.0.1 at a free port and on a unix socket inside that folder, trust authentication for the one role
// "fedmrg" (loopback only, throw-away data). initdb refuses to run as root, so under root every server
// command runs as the unprivileged `postgres` user (runuser) and the folder belongs to it.
//
// Always stopped: the destructor stops it and removes the folder, and a watchdog shell (its own session,
// blocked on a pipe only this process holds) does the same when the test process dies without running
// the destructor (a crash, a SIGKILL from a CTest timeout).
#pragma once

#include <fcntl.h>
#include <glob.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

namespace fedmrg::testing {

class PostgresServer {
 public:
  PostgresServer() { start(); }
  ~PostgresServer() { shutdown(); }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Running and accepting connections; otherwise error() says why.
  bool ok() const { return running_; }
  // No unprivileged user to run the server as (root without a `postgres` account): a skip, not a failure.
  bool unavailable() const { return unavailable_; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // libpq conninfo of a database on this server (TCP on loopback).
  std::string conninfo(const std::string& db) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + db + " user=fedmrg";
  }
  // A new empty database; returns its conninfo, or "" (and error()) when createdb failed.
  std::string createDatabase() {
    static std::atomic<int> counter{0};
    const std::string db = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (!run({bin("createdb"), "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "fedmrg", db}, &error_)) return "";
    return conninfo(db);
  }
  // Runs SQL through psql on database `db`; its output (tuples only) goes to *out.
  bool psql(const std::string& db, const std::string& sql, std::string* out = nullptr) {
    std::string output;
    const bool done = run({bin("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                           std::to_string(port_), "-U", "fedmrg", "-d", db, "-c", sql},
                          &output);
    if (out) *out = output;
    if (!done) error_ = output;
    return done;
  }
  // Stops the server as a crash would (immediate mode: no checkpoint, recovery from WAL at the next
  // start) and starts it again on the same port; open connections are dropped.
  bool restartImmediate() {
    return run(asServer({bin("pg_ctl"), "-D", data(), "stop", "-m", "immediate", "-w"}), &error_) && startServer();
  }

 private:
  void start() {
    binDir_ = findBinDir();
    if (binDir_.empty()) {
      error_ =
          "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb; apt: postgresql-15, "
          "scripts/bootstrap.sh) and FEDMRG_PG_BIN is not set";
      return;
    }
    uid_t uid = ::getuid();
    gid_t gid = ::getgid();
    if (uid == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (!pw) {
        unavailable_ = true;
        error_ = "running as root and there is no `postgres` user to run the server as (initdb refuses root)";
        return;
      }
      asRoot_ = true;
      uid = pw->pw_uid;
      gid = pw->pw_gid;
    }
    // /tmp rather than the build tree: the server's user must reach it, and a unix socket path has to
    // stay under 108 bytes.
    std::string pattern = "/tmp/fedmrg-pg-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
      error_ = "cannot create a temporary folder from " + pattern;
      return;
    }
    folder_ = pattern;
    if (::chown(folder_.c_str(), uid, gid) != 0 || ::chmod(folder_.c_str(), 0700) != 0) {
      error_ = "cannot hand " + folder_ + " to the server's user";
      return;
    }
    startWatchdog();
    port_ = freePort();
    if (!run(asServer({bin("initdb"), "-D", data(), "-U", "fedmrg", "-A", "trust", "-E", "UTF8", "--locale=C",
                       "--no-sync", "--no-instructions"}),
             &error_))
      return;
    startServer();
  }

  bool startServer() {
    // -k: the unix socket in our folder (not /var/run/postgresql, which a test must not need).
    // fsync=off: what the tests kill is a process (the client, or the server in immediate mode), never
    // the machine, so the page cache keeps every commit; with fsync on, a start after an immediate stop
    // fsyncs every file of the data folder first, which takes seconds on a busy disk.
    const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + folder_ +
                                " -c max_connections=30 -c shared_buffers=16MB -c fsync=off";
    running_ = run(asServer({bin("pg_ctl"), "-D", data(), "-l", folder_ + "/server.log", "-o", options, "-w", "-t",
                             "30", "start"}),
                   &error_);
    return running_;
  }

  void shutdown() {
    if (watchdogPipe_ >= 0) {
      ::close(watchdogPipe_);  // the watchdog reads EOF, stops the server and removes the folder
      int status = 0;
      ::waitpid(watchdog_, &status, 0);
      watchdogPipe_ = -1;
    }
    running_ = false;
  }

  void startWatchdog() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    const std::vector<std::string> stop = asServer({bin("pg_ctl"), "-D", data(), "stop", "-m", "immediate", "-w"});
    std::string script = "while read _; do :; done; if [ -f " + data() + "/postmaster.pid ]; then";
    for (const auto& a : stop) script += " '" + a + "'";
    script += " >/dev/null 2>&1; fi; rm -rf '" + folder_ + "'";
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::setsid();  // outlives a kill of the test's process group
      ::dup2(fds[0], 0);
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[0]);
    watchdog_ = pid;
    watchdogPipe_ = fds[1];
  }

  std::string data() const { return folder_ + "/data"; }
  std::string bin(const std::string& name) const { return binDir_ + "/" + name; }

  std::vector<std::string> asServer(std::vector<std::string> argv) const {
    if (asRoot_) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    return argv;
  }

  static std::string findBinDir() {
    if (const char* dir = std::getenv("FEDMRG_PG_BIN"); dir && *dir) return dir;
    glob_t g{};
    std::string best;
    if (::glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &g) == 0) {
      std::vector<std::string> found(g.gl_pathv, g.gl_pathv + g.gl_pathc);
      // The highest major version: compare the number after /usr/lib/postgresql/.
      std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
        return std::atoi(a.c_str() + 20) < std::atoi(b.c_str() + 20);
      });
      best = found.back().substr(0, found.back().size() - 7);
    }
    ::globfree(&g);
    return best;
  }

  static int freePort() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      port = ntohs(addr.sin_port);
    ::close(s);
    return port;
  }

 public:
  // Runs argv, waits, and returns whether it exited 0; its stdout and stderr go to *output.
  static bool run(const std::vector<std::string>& argv, std::string* output) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      text.append(buffer, size_t(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const bool done = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (output) *output = done ? text : argv[0] + " failed: " + text;
    return done;
  }

 private:
  std::string binDir_;
  std::string folder_;
  std::string error_;
  bool asRoot_ = false;
  bool running_ = false;
  bool unavailable_ = false;
  int port_ = 0;
  pid_t watchdog_ = -1;
  int watchdogPipe_ = -1;
};

}  // namespace fedmrg::testing
