// Tests of engine::ThreadPool: every item runs exactly once, chunk boundaries respect the grain, thread ids are
// in range, and thousands of back-to-back regions neither lose nor repeat work.
#include <QtTest>

#include <atomic>
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
};

QTEST_APPLESS_MAIN(TestThreadPool)
#include "tst_thread_pool.moc"
