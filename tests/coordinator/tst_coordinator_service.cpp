// The coordinator's gRPC service in process, on a real loopback server with an in-memory state: each site's
// quotas per round (bytes, attempts) and its concurrent streams are refused with a status naming the quota
// while the round goes on for the others, and a stream that stops sending is cancelled after the idle
// timeout, its slot freed, and the round goes on.
#include <QtTest>

#include <chrono>

#include "loopback_coordinator.h"
#include "raw_site.h"

using namespace fedmrg;
using namespace fedmrg::coordinator;
using fedmrg::test::RawSite;
namespace v1 = federation::v1;

namespace {

std::vector<federation::FederatedTensorSpec> specs() { return {{"w", {16, 32}}, {"b", {32}}}; }

// Dense FedAvg; the round closes once two sites uploaded.
fedmrg::test::LoopbackCoordinator fedAvgCoordinator(const UploadLimits& limits) {
  RoundSettings s;
  s.strategy = federation::Strategy::FedAvg;
  s.minSites = 2;
  s.fraction = 0.5;
  s.deadlineMs = 60000;
  s.maxRounds = 1;
  return fedmrg::test::LoopbackCoordinator(specs(), s, limits);
}

// A valid dense update of round 1 (base version 0) as protocol chunks, ending with its trailer.
std::vector<v1::PayloadChunk> update(const std::string& key, uint64_t round = 1) {
  federation::GlobalModel m(specs(), federation::CodecPlan{});
  std::map<std::string, federation::Matrix> change;
  for (const auto& [name, g] : m.tensors()) {
    federation::Matrix x(g.rows, g.cols);
    for (size_t i = 0; i < x.values.size(); ++i) x.values[i] = 1e-3f * float(i % 7);
    change[name] = x;
  }
  federation::ErrorFeedback ef;
  federation::Payload p = m.encodeChange(change, ef, 1);
  p.round = round;
  p.sampleCount = 10;
  std::vector<v1::PayloadChunk> out;
  federation::streamPayload(p, 1024, [&](const v1::PayloadChunk& c) {
    out.push_back(c);
    return true;
  });
  v1::PayloadChunk t;
  const auto d = federation::payloadDigest(p);
  t.mutable_trailer()->set_sha256(d.data(), d.size());
  t.mutable_trailer()->set_sample_count(10);
  t.mutable_trailer()->set_idempotency_key(key);
  out.push_back(t);
  return out;
}

uint64_t wireBytes(const std::vector<v1::PayloadChunk>& chunks) {
  uint64_t n = 0;
  for (const auto& c : chunks) n += c.ByteSizeLong();
  return n;
}

int filesIn(const QString& folder) {
  int n = 0;
  QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
  for (; it.hasNext(); it.next()) ++n;
  return n;
}

#define VERIFY_STATUS(status, code, text)                                                                              \
  do {                                                                                                                 \
    const grpc::Status s_ = (status);                                                                                  \
    QVERIFY2(                                                                                                          \
        s_.error_code() == (code) && s_.error_message().find(text) != std::string::npos,                               \
        qPrintable(QString("code %1: %2").arg(int(s_.error_code())).arg(QString::fromStdString(s_.error_message())))); \
  } while (0)

}  // namespace

class TestCoordinatorService : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QDir().mkpath(qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath())); }

  void aSiteOverItsByteQuotaIsRefusedAndTheRoundGoesOn() {
    const uint64_t one = wireBytes(update("x"));
    UploadLimits limits;
    limits.siteBytesPerRound = one + one / 2;  // one upload fits, two do not
    auto server = fedAvgCoordinator(limits);
    QVERIFY(server.port() > 0);
    RawSite greedy(server.port(), "greedy"), a(server.port(), "site-a"), b(server.port(), "site-b");
    for (RawSite* s : {&greedy, &a, &b}) QVERIFY(s->join().ok());
    QCOMPARE(server.status().phase(), std::string("open"));
    // A whole upload for the wrong round: refused for that, its bytes counted.
    VERIFY_STATUS(greedy.upload(update("g1", 7)), grpc::StatusCode::FAILED_PRECONDITION, "wrong round");
    // The next one passes the quota mid-stream, and the one after is refused before it sends.
    VERIFY_STATUS(greedy.upload(update("g2")), grpc::StatusCode::RESOURCE_EXHAUSTED,
                  "quota site_upload_bytes_per_round");
    VERIFY_STATUS(greedy.upload(update("g3")), grpc::StatusCode::RESOURCE_EXHAUSTED,
                  "quota site_upload_bytes_per_round");
    QVERIFY(server.log().contains("event=upload_refused site=greedy reason=\"quota site_upload_bytes_per_round\""));
    // The others are not held to the greedy site's count, and the round closes with them.
    QVERIFY(a.upload(update("a1")).ok());
    QVERIFY(b.upload(update("b1")).ok());
    QVERIFY2(server.waitForLog("event=round_closed round=1 version=1 sites=2", 5000), qPrintable(server.log()));
  }

  void aSiteOverItsAttemptsIsRefused() {
    UploadLimits limits;
    limits.siteAttemptsPerRound = 2;
    auto server = fedAvgCoordinator(limits);
    RawSite retrier(server.port(), "retrier"), a(server.port(), "site-a");
    for (RawSite* s : {&retrier, &a}) QVERIFY(s->join().ok());
    for (const char* key : {"r1", "r2"})
      VERIFY_STATUS(retrier.upload(update(key, 9)), grpc::StatusCode::FAILED_PRECONDITION, "wrong round");
    VERIFY_STATUS(retrier.upload(update("r3")), grpc::StatusCode::RESOURCE_EXHAUSTED,
                  "quota site_upload_attempts_per_round");
    QVERIFY(a.upload(update("a1")).ok());
  }

  void aStalledStreamIsDroppedAfterTheIdleTimeout() {
    UploadLimits limits;
    limits.idleTimeoutMs = 1000;
    limits.streamsPerSite = 1;
    auto server = fedAvgCoordinator(limits);
    RawSite staller(server.port(), "staller"), b(server.port(), "site-b");
    for (RawSite* s : {&staller, &b}) QVERIFY(s->join().ok());
    const QString uploads = server.uploadFolder();
    const int filesBefore = filesIn(uploads);
    // The header (announcing every byte) and one data chunk, then nothing: the stream stays open.
    const auto chunks = update("s1");
    v1::UploadReply reply;
    auto ctx = staller.context();
    auto stalled = staller.stub().UploadUpdate(ctx.get(), &reply);
    const auto began = std::chrono::steady_clock::now();
    QVERIFY(stalled->Write(chunks[0]) && stalled->Write(chunks[1]));
    // While it is open, the site's one stream slot is taken.
    VERIFY_STATUS(staller.upload(chunks), grpc::StatusCode::RESOURCE_EXHAUSTED, "quota max_streams_per_site");
    QVERIFY2(server.waitForLog("event=uploads_idle_cancelled count=1", 10000), qPrintable(server.log()));
    const auto waited = std::chrono::steady_clock::now() - began;
    QVERIFY(waited >= std::chrono::milliseconds(900));
    QVERIFY(server.log().contains("event=upload_refused site=staller reason=\"the upload sent nothing for 1 s"));
    const grpc::Status ended = stalled->Finish();
    QVERIFY2(!ended.ok(), ended.error_message().c_str());
    // Nothing of the partial upload stayed on disk, its slot is free again, and the round goes on.
    QCOMPARE(filesIn(uploads), filesBefore);
    QVERIFY2(staller.upload(update("s2")).ok(), qPrintable(server.log()));
    QVERIFY(b.upload(update("b1")).ok());
    QVERIFY2(server.waitForLog("event=round_closed round=1 version=1 sites=2", 5000), qPrintable(server.log()));
  }
};

QTEST_GUILESS_MAIN(TestCoordinatorService)
#include "tst_coordinator_service.moc"
