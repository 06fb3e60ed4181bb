// Rounds end to end: the real fedmrg-coordinator and three `fedmrg-cli federate` site processes on 127.0.0.1
// in insecure loopback mode. Three rounds end with every site on the coordinator's digest; a site killed
// mid-round is dropped at the deadline; every kind of bad upload is refused with its reason while the round
// goes on; a ×100-scaled update is stopped by the norm bound; a coordinator SIGKILLed mid-round resumes the
// round after a restart; nothing of the sites' private data crosses the wire.
#include <QtTest>

#include <cmath>

#include "federation/global_model.h"
#include "federation/payload_stream.h"
#include "federation_processes.h"
#include "postgres_server.h"
#include "wire_recorder.h"

using namespace fedmrg;
using fedmrg::test::CoordinatorProcess;
using fedmrg::test::RawSite;
using fedmrg::testing::PostgresServer;
namespace v1 = federation::v1;

namespace {

federation::GlobalModel modelOf(const v1::TaskReply& t) {
  std::vector<federation::FederatedTensorSpec> specs;
  for (const auto& ts : t.tensors()) specs.push_back({ts.name(), {ts.shape().begin(), ts.shape().end()}});
  federation::CodecPlan plan;
  plan.lowRank = t.codec().low_rank();
  plan.settings.rank = int(t.codec().rank());
  plan.seed = t.codec().seed();
  plan.refreshEvery = t.codec().refresh_every();
  plan.settings.int8Factors = t.codec().int8_factors();
  return federation::GlobalModel(specs, plan);
}

// A plausible change of every federated tensor, times `scale`.
std::map<std::string, federation::Matrix> changeOf(const federation::GlobalModel& m, float scale) {
  std::map<std::string, federation::Matrix> c;
  for (const auto& [name, g] : m.tensors()) {
    federation::Matrix x(g.rows, g.cols);
    for (size_t i = 0; i < x.values.size(); ++i)
      x.values[i] = scale * 1e-3f * std::sin(float(i) * 0.37f) / std::sqrt(float(x.values.size()));
    c[name] = x;
  }
  return c;
}

std::vector<v1::PayloadChunk> chunksOf(const federation::Payload& p, const std::string& key, bool trailer = true) {
  std::vector<v1::PayloadChunk> out;
  federation::streamPayload(p, 4096, [&](const v1::PayloadChunk& c) {
    out.push_back(c);
    return true;
  });
  if (trailer) {
    v1::PayloadChunk t;
    const auto d = federation::payloadDigest(p);
    t.mutable_trailer()->set_sha256(d.data(), d.size());
    t.mutable_trailer()->set_sample_count(p.sampleCount);
    t.mutable_trailer()->set_idempotency_key(key);
    out.push_back(t);
  }
  return out;
}

QString tempRoot() { return qEnvironmentVariable("FEDMRG_TEST_TMP", QDir::tempPath()); }

}  // namespace

class TestFederationRounds : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QDir().mkpath(tempRoot()); }

  void threeRoundsEndOnTheSameDigest() {
    QTemporaryDir dir(tempRoot() + "/rounds-XXXXXX");
    CoordinatorProcess c(dir.path(),
                         "strategy = fedmrg\nmin_sites = 3\ndeadline_seconds = 60\nmax_rounds = 3\nnorm_bound = 1\n");
    const int port = c.start();
    QVERIFY2(port > 0, qPrintable(c.log()));
    std::vector<std::unique_ptr<QProcess>> sites;
    for (const char* s : {"site-a", "site-b", "site-c"})
      sites.push_back(fedmrg::test::startSite(port, s, dir.path() + "/" + s));
    QStringList results;
    for (auto& s : sites) {
      QString out;
      results << fedmrg::test::siteResult(*s, 60000, &out);
      QVERIFY2(!results.back().isEmpty(), qPrintable(out + c.log()));
    }
    QVERIFY2(results[0].startsWith("done version=3 "), qPrintable(results[0]));
    QCOMPARE(results[1], results[0]);
    QCOMPARE(results[2], results[0]);
    v1::StatusReply status;
    RawSite admin(port, "site-a");
    QVERIFY(admin.status(status).ok());
    QCOMPARE(status.global_version(), uint64_t(3));
    QCOMPARE(status.rounds_closed(), uint64_t(3));
    QVERIFY(results[0].endsWith("model_digest=" + QString::fromStdString(status.model_digest())));
    QVERIFY(status.bytes_up() > 0 && status.bytes_down() > 0);
    QCOMPARE(c.log().count("event=round_closed"), 3);
    // SIGTERM: a clean shutdown through the watcher, not an exit from a handler.
    c.stop();
    QCOMPARE(c.process()->exitStatus(), QProcess::NormalExit);
    QCOMPARE(c.process()->exitCode(), 0);
    QVERIFY(c.log().contains("event=stopped"));
  }

  void roundsRunOverMutualTlsAndARevokedSiteIsRefused() {
    QTemporaryDir dir(tempRoot() + "/tls-XXXXXX");
    const QString ca = dir.path() + "/ca";
    auto certs = [](const QStringList& args) {
      QProcess p;
      p.setProcessChannelMode(QProcess::MergedChannels);
      p.start(FEDMRG_COORDINATOR, QStringList{"certs"} + args);
      p.waitForFinished(60000);
      return p.exitCode() == 0 ? QString() : QString::fromUtf8(p.readAll()) + "(exit code not 0)";
    };
    QCOMPARE(certs({"init", "--dir", ca, "--name", "test-consortium"}), QString());
    QCOMPARE(certs({"issue-coordinator", "--dir", ca, "--host", "127.0.0.1"}), QString());
    for (const char* s : {"site-a", "site-b", "site-c"}) QCOMPARE(certs({"issue-site", "--dir", ca, "--site", s}), QString());
    QCOMPARE(certs({"revoke", "--dir", ca, "--site", "site-c"}), QString());
    CoordinatorProcess c(dir.path(), QString("strategy = fedmrg\nmin_sites = 2\nfraction = 1\ndeadline_seconds = 60\n"
                                             "max_rounds = 1\ntls_cert = %1/coordinator/cert.pem\n"
                                             "tls_key = %1/coordinator/key.pem\ntls_ca = %1/ca.pem\ntls_crl = %1/crl.pem\n")
                                         .arg(ca));
    c.setInsecureLoopback(false);
    const int port = c.start();
    QVERIFY2(port > 0, qPrintable(c.log()));
    QVERIFY(c.log().contains("tls=mutual"));
    auto tlsSite = [&](const QString& site) {
      const QString files = ca + "/sites/" + site;
      return fedmrg::test::startSite(port, site, dir.path() + "/" + site,
                                     {"--ca", files + "/ca.pem", "--cert", files + "/cert.pem", "--key", files + "/key.pem"});
    };
    // The revoked site is refused with the reason, and the others' round goes on without it.
    auto revoked = tlsSite("site-c");
    QString revokedOut;
    QVERIFY(fedmrg::test::siteResult(*revoked, 30000, &revokedOut).isEmpty());
    QVERIFY2(revokedOut.contains("revoked"), qPrintable(revokedOut));
    auto a = tlsSite("site-a");
    auto b = tlsSite("site-b");
    QString outA, outB;
    const QString ra = fedmrg::test::siteResult(*a, 60000, &outA), rb = fedmrg::test::siteResult(*b, 60000, &outB);
    QVERIFY2(ra.startsWith("done version=1 "), qPrintable(outA + c.log()));
    QCOMPARE(rb, ra);
    // A plain-text site cannot even reach a TLS coordinator.
    auto plain = fedmrg::test::startSite(port, "site-a", dir.path() + "/plain");
    QVERIFY(fedmrg::test::siteResult(*plain, 8000).isEmpty());
  }

  void aSiteKilledMidRoundIsDroppedAtTheDeadline() {
    QTemporaryDir dir(tempRoot() + "/straggler-XXXXXX");
    CoordinatorProcess c(dir.path(),
                         "strategy = fedmrg\nmin_sites = 2\nfraction = 1\ndeadline_seconds = 4\nmax_rounds = 2\n");
    const int port = c.start();
    QVERIFY2(port > 0, qPrintable(c.log()));
    // Site c trains slowly; it is SIGKILLed while it trains in round 1, after the others uploaded.
    auto cproc = fedmrg::test::startSite(port, "site-c", dir.path() + "/c", {"--train-delay-ms", "60000"});
    auto a = fedmrg::test::startSite(port, "site-a", dir.path() + "/a");
    auto b = fedmrg::test::startSite(port, "site-b", dir.path() + "/b");
    for (int i = 0; i < 600 && c.log().count("event=upload_accepted") < 2; ++i) QTest::qWait(100);
    QVERIFY2(c.log().contains("site_joined site=site-c"), qPrintable(c.log()));
    QCOMPARE(c.log().count("event=upload_accepted"), 2);
    cproc->kill();
    cproc->waitForFinished(5000);
    // Restarted on its state folder, site c joins again, downloads what it missed and ends where the others do.
    QVERIFY2(c.waitForLog("event=round_closed round=1", 30000), qPrintable(c.log()));
    auto again = fedmrg::test::startSite(port, "site-c", dir.path() + "/c", {"--rounds", "2"});
    const QString ra = fedmrg::test::siteResult(*a, 60000), rb = fedmrg::test::siteResult(*b, 60000);
    QVERIFY2(ra.startsWith("done version=2 "), qPrintable(ra + c.log()));
    QCOMPARE(rb, ra);
    QString out;
    QCOMPARE(fedmrg::test::siteResult(*again, 60000, &out), ra);
    QVERIFY2(c.log().contains("event=stragglers_dropped round=1 count=1"), qPrintable(c.log()));
    QVERIFY(c.log().contains("event=round_closed round=1 version=1 sites=2 why=\"deadline\""));
    QVERIFY(c.log().contains("event=round_closed round=2 version=2"));
  }

  void badUploadsAreRefusedWhileTheRoundGoesOn() {
    QTemporaryDir dir(tempRoot() + "/bad-XXXXXX");
    // fraction = 1: the round closes as soon as all three sites have uploaded; the deadline only ends a failed
    // run, and is long because on a loaded test machine the rogue's many refused streams can take over 20 s.
    CoordinatorProcess c(dir.path(),
                         "strategy = fedmrg\nmin_sites = 2\nfraction = 1\ndeadline_seconds = 180\nmax_rounds = 1\n"
                         "norm_bound = 0.05\nallowed_sites = site-a, site-b, rogue\n"
                         // the rogue sends every bad kind in one round: more than the default attempts
                         "site_upload_attempts_per_round = 100\n");
    const int port = c.start();
    QVERIFY2(port > 0, qPrintable(c.log()));
    RawSite rogue(port, "rogue");
    QVERIFY(rogue.join().ok());
    QCOMPARE(RawSite(port, "stranger").join().error_code(), grpc::StatusCode::PERMISSION_DENIED);
    auto a = fedmrg::test::startSite(port, "site-a", dir.path() + "/a");
    auto b = fedmrg::test::startSite(port, "site-b", dir.path() + "/b");
    v1::TaskReply task;
    for (int i = 0; i < 300 && task.kind() != v1::TaskReply::TRAIN; ++i) {
      QVERIFY(rogue.task(task).ok());
      QTest::qWait(100);
    }
    QCOMPARE(task.kind(), v1::TaskReply::TRAIN);
    federation::GlobalModel model = modelOf(task);
    // One tensor that travels dense and one that travels low-rank under FedMRG.
    size_t dense = 0, lowRank = 0;
    for (size_t i = 0; i < model.specs().size(); ++i) (model.basis(model.specs()[i].name) ? lowRank : dense) = i;
    QVERIFY(model.basis(model.specs()[lowRank].name) && !model.basis(model.specs()[dense].name));
    federation::ErrorFeedback ef;
    auto good = [&](float scale = 1) {
      federation::Payload p = model.encodeChange(changeOf(model, scale), ef, 7);
      p.round = task.round();
      p.sampleCount = 10;
      return p;
    };
    struct Case {
      const char* what;
      std::vector<v1::PayloadChunk> chunks;
      grpc::StatusCode code;
      const char* reason;
      std::string site = "rogue";
    };
    std::vector<Case> cases;
    cases.push_back(
        {"unknown site", chunksOf(good(), "k1"), grpc::StatusCode::PERMISSION_DENIED, "unknown site", "stranger"});
    cases.push_back({"no identity", chunksOf(good(), "k1"), grpc::StatusCode::UNAUTHENTICATED, "no site identity", ""});
    {
      auto p = good();
      p.round += 5;
      cases.push_back({"wrong round", chunksOf(p, "k2"), grpc::StatusCode::FAILED_PRECONDITION, "wrong round"});
    }
    {
      auto p = good();
      p.baseVersion = 7;
      cases.push_back({"wrong base", chunksOf(p, "k3"), grpc::StatusCode::FAILED_PRECONDITION, "wrong base version"});
    }
    {
      auto p = good();
      p.tensors[0].name = "specialized.layers.0.q_proj.lora_A";
      cases.push_back(
          {"specialized tensor", chunksOf(p, "k4"), grpc::StatusCode::INVALID_ARGUMENT, "is not a federated tensor"});
    }
    {
      auto p = good();
      p.tensors.pop_back();
      cases.push_back({"missing tensor", chunksOf(p, "k5"), grpc::StatusCode::INVALID_ARGUMENT, "is missing"});
    }
    {
      auto p = good();
      p.tensors[dense].shape.back() += 1;
      cases.push_back({"wrong shape", chunksOf(p, "k6"), grpc::StatusCode::INVALID_ARGUMENT, "wrong shape"});
    }
    {
      auto p = good();
      p.tensors[dense].dtype = federation::WireDType::Int8;
      cases.push_back({"wrong dtype", chunksOf(p, "k7"), grpc::StatusCode::INVALID_ARGUMENT, "wrong dtype"});
      auto q = good();
      q.tensors[lowRank].dtype = federation::WireDType::Float16;
      cases.push_back({"wrong factor dtype", chunksOf(q, "k7b"), grpc::StatusCode::INVALID_ARGUMENT, "wrong dtype"});
      auto d = good();
      d.tensors[lowRank] = federation::encodeDense(
          d.tensors[lowRank].name, model.specs()[lowRank].shape,
          std::vector<float>(size_t(model.specs()[lowRank].rows() * model.specs()[lowRank].cols())),
          model.plan().settings);
      cases.push_back({"dense instead of low-rank", chunksOf(d, "k7c"), grpc::StatusCode::INVALID_ARGUMENT,
                       "must travel low-rank"});
    }
    {
      auto p = good();
      const auto& s = model.specs()[dense];
      std::vector<float> v(size_t(s.rows() * s.cols()), 0.0f);
      v[0] = std::nanf("");
      p.tensors[dense] = federation::encodeDense(s.name, s.shape, v, model.plan().settings);
      cases.push_back({"NaN", chunksOf(p, "k8"), grpc::StatusCode::INVALID_ARGUMENT, "NaN"});
    }
    cases.push_back({"x100 scaled", chunksOf(good(100), "k9"), grpc::StatusCode::INVALID_ARGUMENT, "above the bound"});
    {
      auto ch = chunksOf(good(), "k10");
      ch[1].mutable_data()->at(0) ^= 1;
      cases.push_back({"bad digest", ch, grpc::StatusCode::DATA_LOSS, "digest mismatch"});
    }
    {
      auto ch = chunksOf(good(), "k11");
      ch.back().mutable_trailer()->mutable_sha256()->at(0) ^= 1;
      cases.push_back({"trailer digest", ch, grpc::StatusCode::DATA_LOSS, "digest mismatch"});
    }
    {
      auto ch = chunksOf(good(), "k12");
      const auto trailer = ch.back();
      ch.resize(ch.size() / 2);
      ch.push_back(trailer);
      cases.push_back({"truncated", ch, grpc::StatusCode::INVALID_ARGUMENT, "the stream ended after"});
    }
    {
      // A header announcing every byte, then nothing: nothing is reserved, the stream is refused as truncated.
      auto ch = chunksOf(good(), "k13");
      cases.push_back({"announces and sends nothing",
                       {ch.front()},
                       grpc::StatusCode::INVALID_ARGUMENT,
                       "the stream ended after 0"});
    }
    {
      auto ch = chunksOf(good(), "k14");
      ch.pop_back();
      cases.push_back({"no trailer", ch, grpc::StatusCode::INVALID_ARGUMENT, "without its trailer"});
    }
    {
      auto ch = chunksOf(good(), "k15");
      std::swap(ch[0], ch[1]);
      cases.push_back({"data before header", ch, grpc::StatusCode::INVALID_ARGUMENT, "data arrived before the header"});
    }
    {
      auto ch = chunksOf(good(), "k16");
      v1::TensorHeader* t = ch[0].mutable_header()->mutable_tensors(0);
      t->clear_shape();
      t->add_shape(int64_t(1) << 31);
      t->add_shape(int64_t(1) << 20);
      cases.push_back({"oversized", ch, grpc::StatusCode::RESOURCE_EXHAUSTED, "larger than"});
    }
    {
      // A malformed header whose tensor name is something private: refused, and never logged.
      auto ch = chunksOf(good(), "k17");
      v1::TensorHeader* t = ch[0].mutable_header()->mutable_tensors(0);
      t->set_name("DOE^JOHN-MRN-4711");
      t->add_shape(0);
      cases.push_back({"bad dimension", ch, grpc::StatusCode::INVALID_ARGUMENT, "has a bad dimension"});
    }
    cases.push_back(
        {"no idempotency key", chunksOf(good(), ""), grpc::StatusCode::INVALID_ARGUMENT, "idempotency key"});
    {
      v1::PayloadChunk empty;
      cases.push_back({"empty chunk", {empty}, grpc::StatusCode::INVALID_ARGUMENT, "malformed"});
    }
    for (const Case& k : cases) {
      const grpc::Status s = RawSite(port, k.site).upload(k.chunks);
      QVERIFY2(s.error_code() == k.code, qPrintable(QString("%1: code %2, %3")
                                                        .arg(k.what)
                                                        .arg(int(s.error_code()))
                                                        .arg(QString::fromStdString(s.error_message()))));
      QVERIFY2(s.error_message().find(k.reason) != std::string::npos,
               qPrintable(QString("%1: %2").arg(k.what, QString::fromStdString(s.error_message()))));
    }
    // A good upload is acknowledged; the same key again gets the first acknowledgement; another key is a second upload.
    const federation::Payload valid = good();
    v1::UploadReply first, again;
    QVERIFY(rogue.upload(chunksOf(valid, "good-key"), &first).ok());
    QVERIFY(first.accepted() && !first.duplicate());
    const grpc::Status dup = rogue.upload(chunksOf(valid, "good-key"), &again);
    QVERIFY2(dup.ok(), dup.error_message().c_str());
    QVERIFY(again.duplicate());
    QCOMPARE(again.sha256(), first.sha256());
    // The round went on: the honest sites finish it (the rogue's valid update counts with theirs).
    const QString ra = fedmrg::test::siteResult(*a, 60000), rb = fedmrg::test::siteResult(*b, 60000);
    QVERIFY2(ra.startsWith("done version=1 "), qPrintable(ra + c.log()));
    QCOMPARE(rb, ra);
    QVERIFY(c.log().contains("event=round_closed round=1 version=1 sites=3"));
    // Refusals are logged with their reasons, never with what the client sent.
    QVERIFY(c.log().count("event=upload_refused") >= int(cases.size()) - 2);
    QVERIFY(!c.log().contains("stranger"));
    QVERIFY(!c.log().contains("specialized.layers"));
    QVERIFY(!c.log().contains("DOE^JOHN"));
  }

  // The same SIGKILL on both durable backends: SQLite in WAL mode (the embedded default) and a real
  // PostgreSQL server that the test starts itself (initdb/pg_ctl in a temporary folder, loopback only).
  void aCoordinatorKilledMidRoundResumesIt_data() {
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << "sqlite";
    QTest::newRow("postgresql") << "postgresql";
  }
  void aCoordinatorKilledMidRoundResumesIt() {
    QFETCH(QString, backend);
    QTemporaryDir dir(tempRoot() + "/restart-XXXXXX");
    std::unique_ptr<PostgresServer> postgres;
    QString state = "sqlite:" + dir.path() + "/state.db";
    if (backend == "postgresql") {
      postgres = std::make_unique<PostgresServer>();
      if (!postgres->ok()) {
        if (postgres->unavailable()) QSKIP(("PostgreSQL: " + postgres->error()).c_str());
        QFAIL(("PostgreSQL did not start: " + postgres->error()).c_str());
      }
      const std::string conninfo = postgres->createDatabase();
      QVERIFY2(!conninfo.empty(), postgres->error().c_str());
      state = "postgresql:" + QString::fromStdString(conninfo);
    }
    CoordinatorProcess c(dir.path(),
                         "strategy = fedmrg\nmin_sites = 3\nfraction = 1\ndeadline_seconds = 60\nmax_rounds = 1\n"
                         "state = " +
                             state + "\n");
    const int port = c.start();
    QVERIFY2(port > 0, qPrintable(c.log()));
    RawSite third(port, "site-c");
    QVERIFY(third.join().ok());
    auto a = fedmrg::test::startSite(port, "site-a", dir.path() + "/a");
    auto b = fedmrg::test::startSite(port, "site-b", dir.path() + "/b");
    for (int i = 0; i < 600 && c.log().count("event=upload_accepted") < 2; ++i) QTest::qWait(100);
    QCOMPARE(c.log().count("event=upload_accepted"), 2);
    c.killHard();  // SIGKILL mid-round: two acknowledged uploads, the third site still to come
    QCOMPARE(c.start(port), port);
    QVERIFY2(c.waitForLog("event=round_resumed round=1 phase=open uploads=2", 30000), qPrintable(c.log()));
    v1::TaskReply task;
    RawSite thirdAgain(port, "site-c");  // a fresh channel: the old one backs off after the kill
    grpc::Status got;
    for (int i = 0; i < 50 && !(got = thirdAgain.task(task)).ok(); ++i) QTest::qWait(200);
    QVERIFY2(got.ok(), got.error_message().c_str());
    QCOMPARE(task.kind(), v1::TaskReply::TRAIN);
    QCOMPARE(task.round(), uint64_t(1));
    federation::GlobalModel model = modelOf(task);
    federation::ErrorFeedback ef;
    federation::Payload p = model.encodeChange(changeOf(model, 1), ef, 3);
    p.round = 1;
    p.sampleCount = 20;
    const grpc::Status up = thirdAgain.upload(chunksOf(p, "c-1"));
    QVERIFY2(up.ok(), up.error_message().c_str());
    const QString ra = fedmrg::test::siteResult(*a, 60000), rb = fedmrg::test::siteResult(*b, 60000);
    QVERIFY2(ra.startsWith("done version=1 "), qPrintable(ra + c.log()));
    QCOMPARE(rb, ra);
    // The two acknowledged before the kill count with the one after: nothing acknowledged was lost.
    QVERIFY2(c.log().contains("event=round_closed round=1 version=1 sites=3"), qPrintable(c.log()));
    // Every site ends on the coordinator's digest, and so does the raw site applying the broadcast itself.
    v1::StatusReply status;
    QVERIFY(thirdAgain.status(status).ok());
    QVERIFY2(ra.endsWith("model_digest=" + QString::fromStdString(status.model_digest())), qPrintable(ra));
    federation::Payload broadcast;
    QVERIFY(thirdAgain.download(1, broadcast).ok());
    model.apply(broadcast);
    QCOMPARE(QString::fromStdString(model.digestHex()), QString::fromStdString(status.model_digest()));
    // A retry of an acknowledged upload after the restart is still answered with the first acknowledgement.
    v1::UploadReply again;
    QVERIFY(thirdAgain.upload(chunksOf(p, "c-1"), &again).ok());
    QVERIFY(again.duplicate());
  }

  void nothingPrivateCrossesTheWire() {
    QTemporaryDir dir(tempRoot() + "/wire-XXXXXX");
    CoordinatorProcess c(
        dir.path(), "strategy = fedmrg\nmin_sites = 3\ndeadline_seconds = 60\nmax_rounds = 1\ncodec_zstd = false\n");
    const int port = c.start();
    QVERIFY2(port > 0, qPrintable(c.log()));
    fedmrg::test::WireRecorder wire(port);
    std::vector<std::unique_ptr<QProcess>> sites;
    for (const char* s : {"site-a", "site-b", "site-c"})
      sites.push_back(fedmrg::test::startSite(wire.port(), s, dir.path() + "/" + s));
    for (auto& s : sites) QVERIFY(fedmrg::test::siteResult(*s, 60000).startsWith("done version=1 "));
    const std::string recorded = wire.bytes();
    // The recording holds the round: the tensor names of the protocol messages are there in the clear.
    QVERIFY2(recorded.size() > 3 * 30000, qPrintable(QString::number(recorded.size())));
    QVERIFY(recorded.find("projector.generic.weight") != std::string::npos);
    for (const char* s : {"site-a", "site-b", "site-c"}) {
      const QString data = dir.path() + "/" + s + "/site-data/";
      auto read = [&](const char* name) {
        QFile f(data + name);
        return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
      };
      const std::string name = read("patient-name.txt"), id = read("patient-id.txt"), report = read("report.txt"),
                        pixels = read("pixels.raw");
      QVERIFY(!name.empty() && !id.empty() && !report.empty() && pixels.size() == 4096);
      QVERIFY2(recorded.find(name) == std::string::npos, name.c_str());
      QVERIFY2(recorded.find(id) == std::string::npos, id.c_str());
      for (const QString& sentence : QString::fromStdString(report).split(". "))
        QVERIFY2(recorded.find(sentence.toStdString()) == std::string::npos, qPrintable(sentence));
      // No 16-byte run of the image's pixels anywhere.
      for (size_t off = 0; off + 16 <= pixels.size(); off += 16)
        QVERIFY2(recorded.find(pixels.substr(off, 16)) == std::string::npos, qPrintable(QString::number(off)));
    }
  }
};

QTEST_GUILESS_MAIN(TestFederationRounds)
#include "tst_federation_rounds.moc"
