#pragma once
// The wait imposed after failed attempts to guess a secret: none after the first two failures, then
// 1 s, doubling up to 5 minutes. Sign-ins keep their count in the store (UserDirectory); unlocking
// the store cannot (it is still locked), so the unlock dialog keeps one of these in memory.
#include <QDateTime>
#include <functional>

namespace fedmrg::app {

class BackOff {
 public:
  using Clock = std::function<QDateTime()>;
  // The wait after `failures` consecutive failures.
  static int delayAfter(int failures);

  explicit BackOff(Clock clock = [] { return QDateTime::currentDateTimeUtc(); }) : clock_(std::move(clock)) {}
  // Seconds before the next attempt may be made (0: now).
  int secondsToWait() const;
  void failed();
  void succeeded() { failures_ = 0; }

 private:
  Clock clock_;
  int failures_ = 0;
  QDateTime lastFailure_;
};

}  // namespace fedmrg::app
