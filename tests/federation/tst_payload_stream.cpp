// Streams update payloads through a real gRPC server on loopback and through the assembler's
// validation: bit-exact transfer of a 50 MB tensor, and rejection of malformed streams.
#include <QtTest>

#include <random>

#include "fedmrg/federation/v1/federation.pb.h"
#include "federation/coordinator_service.h"
#include "federation/payload_stream.h"
#include "federation/site_client.h"

using namespace fedmrg::federation;

namespace {

WireTensor randomTensor(const std::string& name, std::vector<int64_t> shape, uint32_t seed) {
  WireTensor t;
  t.name = name;
  t.shape = std::move(shape);
  t.bytes.resize(size_t(t.elementCount()) * 4);
  std::mt19937 rng(seed);
  for (size_t i = 0; i + 4 <= t.bytes.size(); i += 4) {
    uint32_t v = rng();
    std::memcpy(&t.bytes[i], &v, 4);
  }
  return t;
}

Payload samplePayload() {
  Payload p;
  p.siteId = "site-a";
  p.round = 3;
  p.baseVersion = 2;
  p.sampleCount = 17;
  p.tensors.push_back(randomTensor("a", {3, 5}, 1));
  p.tensors.push_back(randomTensor("b", {1000, 300}, 2));  // spans several chunks
  return p;
}

std::vector<v1::PayloadChunk> chunksOf(const Payload& p, size_t chunkBytes) {
  std::vector<v1::PayloadChunk> out;
  streamPayload(p, chunkBytes, [&](const v1::PayloadChunk& c) {
    out.push_back(c);
    return true;
  });
  return out;
}

QString assemble(const std::vector<v1::PayloadChunk>& chunks, uint64_t limit = 1u << 30) {
  PayloadAssembler a(limit);
  for (const auto& c : chunks)
    if (!a.add(c)) return QString::fromStdString(a.error());
  if (!a.finish()) return QString::fromStdString(a.error());
  return {};
}

}  // namespace

class TestPayloadStream : public QObject {
  Q_OBJECT
 private slots:
  void fiftyMegabytesRoundTripThroughGrpcBitExactly() {
    CoordinatorServer server;
    const int port = server.start("127.0.0.1:0");
    QVERIFY(port > 0);
    SiteClient client("127.0.0.1:" + std::to_string(port));

    Payload up;
    up.siteId = "site-a";
    up.round = 1;
    up.baseVersion = 0;
    up.sampleCount = 100;
    up.tensors.push_back(randomTensor("model.layers.0.mlp.up_proj.lora_A", {50 * 1024 * 256 / 1024, 1024}, 7));
    QCOMPARE(up.totalBytes(), uint64_t(50) * 1024 * 1024);

    const UploadResult r = client.upload(up);
    QVERIFY2(r.accepted, r.reason.c_str());
    QVERIFY(r.bytesSent > up.totalBytes());  // framing costs something, and it is counted
    QVERIFY(r.bytesSent < up.totalBytes() + up.totalBytes() / 100);
    QCOMPARE(toHex(r.coordinatorDigest), toHex(payloadDigest(up)));
    const auto uploads = server.acceptedUploads();
    QCOMPARE(uploads.size(), size_t(1));
    QCOMPARE(uploads[0].payload.siteId, std::string("site-a"));
    QCOMPARE(uploads[0].payload.sampleCount, uint64_t(100));
    QVERIFY(uploads[0].payload.tensors[0].bytes == up.tensors[0].bytes);

    // And back down: the coordinator streams a global payload of the same size.
    server.setGlobal(up);
    const DownloadResult d = client.download();
    QVERIFY2(d.ok, d.reason.c_str());
    QVERIFY(d.payload.tensors.size() == 1);
    QVERIFY(d.payload.tensors[0].bytes == up.tensors[0].bytes);
    QCOMPARE(d.payload.tensors[0].shape, up.tensors[0].shape);
    server.stop();
  }

  void downloadBeforePublishIsNotFound() {
    CoordinatorServer server;
    const int port = server.start("127.0.0.1:0");
    SiteClient client("127.0.0.1:" + std::to_string(port));
    const DownloadResult d = client.download();
    QVERIFY(!d.ok);
    QVERIFY2(QString::fromStdString(d.reason).contains("no global update"), d.reason.c_str());
  }

  void corruptUploadIsRejectedWithReason() {
    CoordinatorServer server;
    const int port = server.start("127.0.0.1:0");
    SiteClient client("127.0.0.1:" + std::to_string(port));
    CoordinatorLimits small;
    small.maxPayloadBytes = 1000;
    CoordinatorServer tight(small);
    const int tightPort = tight.start("127.0.0.1:0");
    SiteClient tightClient("127.0.0.1:" + std::to_string(tightPort));
    const UploadResult r = tightClient.upload(samplePayload());
    QVERIFY(!r.accepted);
    QVERIFY2(QString::fromStdString(r.reason).contains("larger than"), r.reason.c_str());
    QVERIFY(tight.acceptedUploads().empty());
    // The normal server still takes a good one afterwards.
    QVERIFY(client.upload(samplePayload()).accepted);
  }

  void assemblerAcceptsAnyChunkSize_data() {
    QTest::addColumn<int>("chunkBytes");
    QTest::newRow("1 byte") << 1;
    QTest::newRow("7 bytes") << 7;
    QTest::newRow("4 KiB") << 4096;
    QTest::newRow("1 MiB") << (1 << 20);
  }
  void assemblerAcceptsAnyChunkSize() {
    QFETCH(int, chunkBytes);
    const Payload p = samplePayload();
    PayloadAssembler a(1u << 30);
    for (const auto& c : chunksOf(p, size_t(chunkBytes))) QVERIFY(a.add(c));
    QVERIFY2(a.finish(), a.error().c_str());
    Payload back = a.take();
    QCOMPARE(back.tensors.size(), size_t(2));
    QVERIFY(back.tensors[1].bytes == p.tensors[1].bytes);
    QCOMPARE(back.round, uint64_t(3));
    QCOMPARE(back.baseVersion, uint64_t(2));
  }

  void malformedStreamsAreRejected() {
    const Payload p = samplePayload();
    auto chunks = chunksOf(p, 4096);

    auto noHeader = chunks;
    noHeader.erase(noHeader.begin());
    QVERIFY(assemble(noHeader).contains("before the header"));

    auto twoHeaders = chunks;
    twoHeaders.insert(twoHeaders.begin() + 1, chunks[0]);
    QVERIFY(assemble(twoHeaders).contains("second header"));

    auto truncated = chunks;
    truncated.pop_back();
    QVERIFY(assemble(truncated).contains("stream ended after"));

    auto extra = chunks;
    extra.push_back(chunks[1]);
    QVERIFY(assemble(extra).contains("more data than"));

    auto flipped = chunks;
    (*flipped[2].mutable_data())[10] ^= 1;
    QVERIFY(assemble(flipped).contains("digest mismatch"));

    auto badShape = chunks;
    badShape[0].mutable_header()->mutable_tensors(0)->set_byte_size(3);
    QVERIFY(assemble(badShape).contains("does not match its shape"));

    auto negative = chunks;
    negative[0].mutable_header()->mutable_tensors(0)->set_shape(0, -3);
    QVERIFY(assemble(negative).contains("bad dimension"));

    QVERIFY(assemble(chunks, 1000).contains("larger than"));
    QVERIFY(assemble({}).contains("without a header"));
    QVERIFY(assemble(chunks).isEmpty());
  }
};

QTEST_APPLESS_MAIN(TestPayloadStream)
#include "tst_payload_stream.moc"
