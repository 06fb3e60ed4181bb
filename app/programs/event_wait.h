#pragma once
// Waits on the GUI thread for something the event loop brings about (a rendered frame, a finished draft, a
// training step), processing events meanwhile; false when `timeoutMs` passed first.
#include <QApplication>
#include <QElapsedTimer>
#include <functional>

namespace fedmrg::programs {

inline bool waitFor(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeoutMs) return false;
    QApplication::processEvents(QEventLoop::AllEvents, 50);
  }
  return true;
}

}  // namespace fedmrg::programs
