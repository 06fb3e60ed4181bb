// The tensor codec's frames: round trips for every kind, what goes low-rank, exact byte counts on
// the wire, and clear refusals of damaged frames (at the codec and at the stream assembler).
#include <QtTest>

#include "codec_test_data.h"
#include "fedmrg/federation/v1/federation.pb.h"
#include "federation/payload_stream.h"
#include "federation/tensor_codec.h"

using namespace fedmrg::federation;
using namespace fedmrg::federation::testing;

namespace {

QString errorOf(const WireTensor& t) {
  try {
    decodeFrame(t);
  } catch (const CodecError& e) {
    return QString::fromUtf8(e.what());
  }
  return {};
}

// Every byte a payload puts on the wire: the serialized size of each chunk message.
uint64_t serializedBytes(const Payload& p) {
  uint64_t n = 0;
  streamPayload(p, kDefaultChunkBytes, [&](const v1::PayloadChunk& c) {
    n += c.SerializeAsString().size();
    return true;
  });
  return n;
}

Payload roundTripThroughStream(const Payload& p, QString* error = nullptr) {
  PayloadAssembler assembler(1u << 30);
  bool ok = streamPayload(p, 1000, [&](const v1::PayloadChunk& c) { return assembler.add(c); }) && assembler.finish();
  if (!ok && error) *error = QString::fromStdString(assembler.error());
  return ok ? assembler.take() : Payload{};
}

}  // namespace

class TestTensorCodec : public QObject {
  Q_OBJECT

 private slots:
  void denseFramesRoundTrip() {
    const Matrix m = randomMatrix(7, 9, 1);
    CodecSettings fp32;
    const Matrix back = decodeFrame(encodeDense("bias", {7, 9}, m.values, fp32));
    QCOMPARE(back.values, m.values);

    CodecSettings fp16;
    fp16.denseType = WireDType::Float16;
    const WireTensor half = encodeDense("bias", {63}, m.values, fp16);
    QCOMPARE(half.dtype, WireDType::Float16);
    const Matrix halfBack = decodeFrame(half);
    for (size_t i = 0; i < m.values.size(); ++i)
      QVERIFY(std::fabs(halfBack.values[i] - m.values[i]) <= std::fabs(m.values[i]) / 1024 + 1e-7f);
  }

  void lowRankFrameCarriesTheFactor() {
    const Matrix change = decayingSpectrum(128, 96, 6, 2);
    const SharedBasis basis = initialBasis(128, 96, 4, BasisSide::Left, 5, "w", 0);
    CodecSettings settings;
    Matrix sent;
    const WireTensor t = encodeLowRank("w", change, basis, settings, 8, &sent);
    QCOMPARE(t.encoding, WireEncoding::LowRankQ);
    QCOMPARE(t.dtype, WireDType::Int8);
    QCOMPARE(t.shape, (std::vector<int64_t>{4, 96}));
    // The receiver's reconstruction equals what the sender recorded as sent (error feedback relies on it).
    QVERIFY(relativeError(expandFactor(decodeFrame(t), basis), sent) < 1e-6);
  }

  void onlyMatricesThatGainGoLowRank() {
    CodecSettings s;
    s.rank = 4;
    QVERIFY(goesLowRank(512, 512, s));
    QVERIFY(!goesLowRank(512, 1, s));  // a bias vector
    QVERIFY(!goesLowRank(3, 512, s));  // fewer rows than the rank
    QVERIFY(!goesLowRank(8, 8, s));    // too small to be worth the rounding: dense
    QVERIFY(goesLowRank(64, 64, s));
    s.int8Factors = false;
    s.rank = 40;
    QVERIFY(!goesLowRank(64, 64, s));  // the factor would not be half the size
  }

  void byteCountsAreTheSerializedSizes() {
    const Matrix change = decayingSpectrum(256, 256, 8, 3);
    CodecSettings settings;
    const SharedBasis basis = initialBasis(256, 256, 4, BasisSide::Right, 1, "w", 0);
    Payload dense, lowRank;
    dense.tensors.push_back(encodeDense("w", {256, 256}, change.values, settings));
    lowRank.tensors.push_back(encodeLowRank("w", change, basis, settings, 1));
    const uint64_t denseBytes = serializedBytes(dense), lowRankBytes = serializedBytes(lowRank);
    QCOMPARE(wirePayloadBytes(dense, kDefaultChunkBytes), denseBytes);
    QCOMPARE(wirePayloadBytes(lowRank, kDefaultChunkBytes), lowRankBytes);
    qInfo("256 x 256 change: dense fp32 %llu bytes on the wire, rank-4 int8 %llu (%.1f%% fewer)",
          (unsigned long long)denseBytes, (unsigned long long)lowRankBytes, 100.0 * (1 - double(lowRankBytes) / denseBytes));
    // Rank 4 of 256 in int8: about 4 * 256 + 16 body bytes against 256 KiB.
    QVERIFY(lowRankBytes < denseBytes / 50);
  }

  void framesStreamThroughTheAssembler() {
    Payload p;
    p.siteId = "site-a";
    CodecSettings settings;
    const SharedBasis basis = initialBasis(64, 40, 4, BasisSide::Right, 1, "w", 0);
    p.tensors.push_back(encodeLowRank("w", randomMatrix(64, 40, 4), basis, settings, 2));
    p.tensors.push_back(encodeDense("b", {40}, randomMatrix(1, 40, 5).values, settings));
    QString error;
    const Payload back = roundTripThroughStream(p, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(back.tensors.size(), size_t(2));
    QVERIFY(back.tensors[0].framed);
    QCOMPARE(back.tensors[0].bytes, p.tensors[0].bytes);
    QCOMPARE(decodeFrame(back.tensors[0]).values, decodeFrame(p.tensors[0]).values);
  }

  void assemblerRefusesFramesThatCannotBe() {
    CodecSettings settings;
    const SharedBasis basis = initialBasis(64, 40, 4, BasisSide::Right, 1, "w", 0);
    Payload p;
    p.tensors.push_back(encodeLowRank("w", randomMatrix(64, 40, 4), basis, settings, 2));
    QString error;

    Payload unframed = p;  // a low-rank factor must come in a frame
    unframed.tensors[0].framed = false;
    roundTripThroughStream(unframed, &error);
    QVERIFY2(error.contains("codec frame"), qPrintable(error));

    Payload oversized = p;  // a frame larger than its shape can need
    oversized.tensors[0].bytes.resize(maxFrameBytes(oversized.tensors[0].shape) + 1);
    error.clear();
    roundTripThroughStream(oversized, &error);
    QVERIFY2(error.contains("byte_size does not match"), qPrintable(error));
  }

  void damagedFramesNameTheTensorAndReason() {
    CodecSettings settings;
    const SharedBasis basis = initialBasis(64, 40, 4, BasisSide::Right, 1, "layers.3.lora_B", 0);
    const WireTensor good = encodeLowRank("layers.3.lora_B", decayingSpectrum(64, 40, 4, 9), basis, settings, 2);
    QVERIFY(errorOf(good).isEmpty());

    WireTensor t = good;
    t.bytes[0] = 'X';
    QVERIFY(errorOf(t).contains("no codec header"));
    t = good;
    t.bytes.resize(t.bytes.size() - 3);
    QVERIFY2(errorOf(t).contains("body"), qPrintable(errorOf(t)));
    CodecSettings squeezed;  // a body zstd shrinks: zeros
    WireTensor zeros = encodeDense("z", {4096}, std::vector<float>(4096, 0.0f), squeezed);
    QVERIFY(zeros.bytes.size() < 200);
    zeros.bytes.resize(zeros.bytes.size() - 3);
    QVERIFY2(errorOf(zeros).contains("compressed body is damaged"), qPrintable(errorOf(zeros)));
    // (A flipped bit inside an int8 body still decodes: the payload's SHA-256 catches it on the wire.)
    t = good;
    t.bytes[4] = 9;
    QVERIFY(errorOf(t).contains("unknown codec frame format"));
    t = good;
    const uint64_t huge = uint64_t(1) << 40;
    std::memcpy(&t.bytes[8], &huge, 8);
    QVERIFY(errorOf(t).contains("larger than its shape allows"));
    t = good;
    t.shape = {64, 41};
    QVERIFY2(errorOf(t).startsWith("tensor 'layers.3.lora_B': "), qPrintable(errorOf(t)));
    QVERIFY2(errorOf(t).contains("does not match the shape"), qPrintable(errorOf(t)));

    CodecSettings plain;
    plain.zstd = false;
    std::vector<float> values(10, 1.0f);
    values[4] = std::numeric_limits<float>::infinity();
    QVERIFY(errorOf(encodeDense("b", {10}, values, plain)).contains("NaN or infinite"));
  }

  // The message header's dtype and encoding against the frame's own body kind: a mismatch is refused even
  // when the body's length fits the shape for its real kind.
  void aHeaderThatContradictsTheBodyIsRefused() {
    const SharedBasis basis = initialBasis(64, 40, 4, BasisSide::Right, 1, "layers.3.lora_B", 0);
    const Matrix change = decayingSpectrum(64, 40, 4, 9);
    CodecSettings fp32Factors;
    fp32Factors.int8Factors = false;
    fp32Factors.zstd = false;
    // Says int8 low-rank; the body is the fp32 factor, of exactly the fp32 length for the factor's shape.
    WireTensor t = encodeLowRank("layers.3.lora_B", change, basis, fp32Factors, 2);
    QVERIFY(errorOf(t).isEmpty());
    QCOMPARE(t.bytes.size(), size_t(16 + 64 * 4 * 4));
    t.dtype = WireDType::Int8;
    QVERIFY2(errorOf(t).contains("the header says int8 but the frame's body is fp32"), qPrintable(errorOf(t)));
    // Says fp32; the body is an int8 factor.
    WireTensor q = encodeLowRank("layers.3.lora_B", change, basis, CodecSettings{}, 2);
    q.dtype = WireDType::Float32;
    QVERIFY2(errorOf(q).contains("the header says fp32 but the frame's body is int8"), qPrintable(errorOf(q)));
    // Says dense; the body is an int8 factor.
    q.dtype = WireDType::Int8;
    q.encoding = WireEncoding::Dense;
    QVERIFY2(errorOf(q).contains("the header says dense"), qPrintable(errorOf(q)));
    // Says fp16; the body is fp32 values.
    WireTensor d = encodeDense("bias", {40}, std::vector<float>(40, 0.5f), fp32Factors);
    d.dtype = WireDType::Float16;
    QVERIFY2(errorOf(d).contains("the header says fp16 but the frame's body is fp32"), qPrintable(errorOf(d)));
  }
};

QTEST_APPLESS_MAIN(TestTensorCodec)
#include "tst_tensor_codec.moc"
