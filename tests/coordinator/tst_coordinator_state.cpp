// The CoordinatorState contract, run over every backend this build has: sites, rounds, uploads with their
// duplicate rule, publishing a version and closing its round in one step, named values.
#include <QtTest>

#include <functional>

#include "coordinator/coordinator_state.h"

using namespace fedmrg::coordinator;

namespace {

struct Backend {
  const char* name;
  std::function<std::unique_ptr<CoordinatorState>()> open;
};

std::vector<Backend> backends() { return {{"memory", [] { return openMemoryState(); }}}; }

UploadRecord upload(uint64_t round, const std::string& site, const std::string& key, int64_t at) {
  UploadRecord u;
  u.round = round;
  u.siteId = site;
  u.idempotencyKey = key;
  u.blobDigest = std::string(64, 'a');
  u.sampleCount = 10;
  u.wireBytes = 1234;
  u.receivedAtMs = at;
  return u;
}

}  // namespace

class TestCoordinatorState : public QObject {
  Q_OBJECT

 private slots:
  void contract_data() {
    QTest::addColumn<int>("backend");
    for (size_t i = 0; i < backends().size(); ++i) QTest::newRow(backends()[i].name) << int(i);
  }

  void contract() {
    QFETCH(int, backend);
    auto state = backends()[size_t(backend)].open();

    SiteRecord a{"site-a", std::string(64, '1'), false, 100, 100};
    state->putSite(a);
    state->putSite({"site-b", std::string(64, '2'), false, 200, 200});
    a.lastSeenMs = 500;
    state->putSite(a);
    QCOMPARE(state->sites().size(), size_t(2));
    QCOMPARE(state->site("site-a")->lastSeenMs, int64_t(500));
    QVERIFY(!state->site("site-z"));

    QVERIFY(!state->latestRound());
    RoundRecord r1{1, RoundPhase::Open, 0, 1000, 61000, "task-1", ""};
    state->putRound(r1);
    QCOMPARE(state->latestRound()->task, std::string("task-1"));

    QVERIFY(state->recordUpload(upload(1, "site-a", "k-a-1", 2000)));
    QVERIFY(state->recordUpload(upload(1, "site-b", "k-b-1", 1500)));
    QVERIFY(!state->recordUpload(upload(1, "site-a", "k-a-other", 2100)));  // second upload, same round
    QVERIFY(!state->recordUpload(upload(2, "site-a", "k-a-1", 2200)));      // same key
    const auto ups = state->uploads(1);
    QCOMPARE(ups.size(), size_t(2));
    QCOMPARE(ups[0].siteId, std::string("site-b"));  // ordered by arrival
    QCOMPARE(state->uploadByKey("k-a-1")->receivedAtMs, int64_t(2000));

    QVERIFY(!state->latestGlobal());
    state->publishGlobal({1, 1, std::string(64, 'd'), std::string(64, 'e'), 3000}, r1);
    QCOMPARE(state->round(1)->phase, RoundPhase::Closed);
    QCOMPARE(state->latestGlobal()->version, uint64_t(1));
    QVERIFY_THROWS_EXCEPTION(StateError, state->publishGlobal({1, 2, "x", "y", 4000}, r1));

    state->putValue("basis", "v1");
    state->putValue("basis", "v2");
    QCOMPARE(*state->value("basis"), std::string("v2"));
    QVERIFY(!state->value("none"));
  }

  void phaseNames() {
    for (RoundPhase p : {RoundPhase::Open, RoundPhase::Aggregating, RoundPhase::Closed, RoundPhase::Failed})
      QCOMPARE(*parseRoundPhase(roundPhaseName(p)), p);
    QVERIFY(!parseRoundPhase("done"));
  }
};

QTEST_APPLESS_MAIN(TestCoordinatorState)
#include "tst_coordinator_state.moc"
