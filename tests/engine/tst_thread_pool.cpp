// Tests of engine::ThreadPool: every item runs exactly once, chunk boundaries respect the grain, thread ids are
// in range, and thousands of back-to-back regions neither lose nor repeat work; a worker that is always late makes
// the pool run alone, and a worker that keeps pace keeps it threaded.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "engine/infer/thread_pool.h"

using fedmrg::engine::ThreadPool;

namespace {

struct Count {
  std::vector<std::atomic<int>>* hits;
  int grain;
  int threads;
  std::atomic<bool>* badBoundary;
  std::atomic<bool>* badThread;
};

void countItems(void* ctx, int b, int e, int thread) {
  auto* c = static_cast<Count*>(ctx);
  if (b % c->grain != 0) c->badBoundary->store(true);
  if (thread < 0 || thread >= c->threads) c->badThread->store(true);
  for (int i = b; i < e; ++i) (*c->hits)[size_t(i)].fetch_add(1);
}

// A chunk that takes `micros` on the caller and `workerMicros` on a worker; records who ran it.
struct Timed {
  int micros = 0, workerMicros = 0;
  std::atomic<int> byWorkers{0};
};

void spinFor(int micros) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(micros);
  while (std::chrono::steady_clock::now() < end) {
  }
}

void timedItems(void* ctx, int b, int e, int thread) {
  auto* t = static_cast<Timed*>(ctx);
  if (thread != 0) t->byWorkers.fetch_add(e - b);
  for (int i = b; i < e; ++i) {
    if (thread == 0) {
      spinFor(t->micros);
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(t->workerMicros));
    }
  }
}

}  // namespace

class TestThreadPool : public QObject {
  Q_OBJECT
 private slots:
  void everyItemOnce_data() {
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("grain");
    QTest::newRow("serial") << 1 << 100 << 1;
    QTest::newRow("two threads") << 2 << 768 << 4;
    QTest::newRow("fewer items than threads") << 4 << 3 << 1;
    QTest::newRow("odd sizes") << 3 << 1001 << 4;
    QTest::newRow("one item") << 2 << 1 << 8;
  }
  void everyItemOnce() {
    QFETCH(int, threads);
    QFETCH(int, n);
    QFETCH(int, grain);
    ThreadPool pool(threads);
    QCOMPARE(pool.threads(), std::max(1, threads));
    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
    std::atomic<bool> badBoundary{false}, badThread{false};
    Count c{&hits, grain, pool.threads(), &badBoundary, &badThread};
    for (int round = 0; round < 3; ++round) pool.run(n, countItems, &c, grain);
    for (int i = 0; i < n; ++i) QCOMPARE(hits[size_t(i)].load(), 3);
    QVERIFY(!badBoundary.load());
    QVERIFY(!badThread.load());
    pool.run(0, countItems, &c, grain);  // nothing to do is fine
  }

  void manyShortRegionsInARow() {
    ThreadPool pool(2);
    std::vector<std::atomic<int>> hits(64);
    std::atomic<bool> badBoundary{false}, badThread{false};
    Count c{&hits, 1, 2, &badBoundary, &badThread};
    for (int round = 0; round < 20000; ++round) pool.run(int(hits.size()), countItems, &c, 1);
    for (auto& h : hits) QCOMPARE(h.load(), 20000);
  }

  // A worker that is always late (a descheduled thread on a busy machine): the pool stops waiting for it and
  // runs the following regions on the caller alone.
  void lateWorkerMakesThePoolRunAlone() {
    ThreadPool pool(2);
    Timed t;
    t.micros = 1;
    t.workerMicros = 2000;
    for (int region = 0; region < 80; ++region) pool.run(16, timedItems, &t, 1);
    t.byWorkers.store(0);
    for (int region = 0; region < 100; ++region) pool.run(16, timedItems, &t, 1);
    QCOMPARE(t.byWorkers.load(), 0);
  }

  // Work that both threads do at the same pace must stay threaded: the speedup estimate counts only the
  // caller's own chunks (crediting the workers' chunks to the caller made every region look unparallel).
  void balancedWorkStaysThreaded() {
    double load = 0;
    if (getloadavg(&load, 1) == 1 && load > double(std::thread::hardware_concurrency()) - 0.5)
      QSKIP("the machine is busy: running alone would be the right decision here");
    ThreadPool pool(2);
    Timed t;
    t.micros = 100;
    t.workerMicros = 100;
    for (int region = 0; region < 150; ++region) pool.run(8, timedItems, &t, 1);
    t.byWorkers.store(0);
    for (int region = 0; region < 50; ++region) pool.run(8, timedItems, &t, 1);
    QVERIFY2(t.byWorkers.load() > 0, "the pool went solo although the worker kept pace");
  }
};

QTEST_APPLESS_MAIN(TestThreadPool)
#include "tst_thread_pool.moc"
