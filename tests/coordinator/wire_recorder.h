#pragma once
// A TCP relay on 127.0.0.1 that records every byte in both directions: sites connect to it instead of the
// coordinator, so a test can search everything that crossed the wire.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fedmrg::test {

class WireRecorder {
 public:
  explicit WireRecorder(int upstreamPort) : upstream_(upstreamPort) {
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listen_, 64);
    socklen_t n = sizeof a;
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~WireRecorder() {
    stop_ = true;
    thread_.join();
    ::close(listen_);
  }
  int port() const { return port_; }
  std::string bytes() {
    std::lock_guard lock(mutex_);
    return recorded_;
  }

 private:
  void loop() {
    struct Pair {
      int a, b;
    };
    std::vector<Pair> pairs;
    while (!stop_) {
      std::vector<pollfd> fds{{listen_, POLLIN, 0}};
      for (const auto& p : pairs) {
        fds.push_back({p.a, POLLIN, 0});
        fds.push_back({p.b, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        const int client = ::accept(listen_, nullptr, nullptr);
        const int up = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(uint16_t(upstream_));
        if (::connect(up, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
          pairs.push_back({client, up});
        } else {
          ::close(client);
          ::close(up);
        }
        continue;
      }
      std::vector<Pair> alive;
      for (size_t i = 0; i < pairs.size(); ++i) {
        bool open = true;
        for (int side = 0; side < 2 && open; ++side) {
          const pollfd& f = fds[1 + 2 * i + side];
          if (!(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
          char buf[65536];
          const ssize_t n = ::read(f.fd, buf, sizeof buf);
          if (n <= 0) {
            open = false;
            break;
          }
          {
            std::lock_guard lock(mutex_);
            recorded_.append(buf, size_t(n));
          }
          const int to = side == 0 ? pairs[i].b : pairs[i].a;
          for (ssize_t off = 0; off < n;) {
            const ssize_t w = ::write(to, buf + off, size_t(n - off));
            if (w <= 0) {
              open = false;
              break;
            }
            off += w;
          }
        }
        if (open) {
          alive.push_back(pairs[i]);
        } else {
          ::close(pairs[i].a);
          ::close(pairs[i].b);
        }
      }
      pairs = alive;
    }
    for (const auto& p : pairs) {
      ::close(p.a);
      ::close(p.b);
    }
  }

  int upstream_, port_ = 0, listen_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::string recorded_;
};

}  // namespace fedmrg::test
