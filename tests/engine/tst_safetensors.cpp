// Tests of the safetensors reader and writer: round trip, dtype conversion, each malformed case.
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>

#include "engine/core/safetensors.h"

using namespace fedmrg::engine;

namespace {

// A file image with the given header text and data block.
std::vector<uint8_t> image(const std::string& header, size_t dataBytes) {
  std::vector<uint8_t> out(8 + header.size() + dataBytes, 0);
  const uint64_t n = header.size();
  std::memcpy(out.data(), &n, 8);
  std::memcpy(out.data() + 8, header.data(), header.size());
  return out;
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT
 private slots:
  void roundTripThroughFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    SafetensorsWriter w;
    const std::vector<float> a = {1.f, -2.5f, 3.25f, 0.f, 1e-3f, -7.f};
    const std::vector<int64_t> ids = {5, -9, 1ll << 40};
    const std::vector<uint8_t> bytes = {1, 2, 3};
    w.addFloat32("model.layers.0.w", {2, 3}, a.data());
    w.add("ids", DType::I64, {3}, ids.data(), ids.size() * 8);
    w.add("u", DType::U8, {3}, bytes.data(), 3);
    w.add("empty", DType::F32, {0, 4}, nullptr, 0);
    w.setMetadata("adapter", "generic");
    w.setMetadata("rank", "8");
    const std::string path = dir.filePath("m.safetensors").toStdString();
    w.write(path);

    const SafetensorsFile f = SafetensorsFile::open(path);
    QCOMPARE(f.size(), size_t(4));
    QCOMPARE(f.metadata().at("adapter"), std::string("generic"));
    QCOMPARE(f.metadata().at("rank"), std::string("8"));
    const TensorView& t = f.expect("model.layers.0.w", {2, 3});
    QCOMPARE(t.dtype, DType::F32);
    QCOMPARE(t.toFloat32(), a);
    const TensorView& i = f.at("ids");
    int64_t back[3];
    std::memcpy(back, i.data, 24);
    QCOMPARE(back[2], int64_t(1) << 40);
    QCOMPARE(f.at("u").toFloat32(), (std::vector<float>{1.f, 2.f, 3.f}));
    QCOMPARE(f.at("empty").numel(), int64_t(0));
    QCOMPARE(f.names().front(), std::string("model.layers.0.w"));
    QVERIFY(f.find("nope") == nullptr);
    // Data after the header starts 8-byte aligned.
    std::ifstream in(path, std::ios::binary);
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    QCOMPARE(n % 8, uint64_t(0));
  }

  void halfAndBfloat() {
    const float values[] = {0.f, 1.f, -2.f, 0.333333f, 65504.f, 6.1e-5f, 3e-7f, -1e-8f, 1e5f};
    for (float v : values) {
      const float h = halfToFloat(floatToHalf(v));
      if (std::fabs(v) > 65504.f) {
        QVERIFY(std::isinf(h));
      } else {
        QVERIFY2(std::fabs(h - v) <= std::max(std::fabs(v) * 1e-3f, 6e-8f), qPrintable(QString::number(v)));
      }
      const float b = bf16ToFloat(floatToBf16(v));
      QVERIFY2(std::fabs(b - v) <= std::fabs(v) * 8e-3f, qPrintable(QString::number(v)));
    }
    QCOMPARE(floatToHalf(1.f), uint16_t(0x3c00));
    QCOMPARE(halfToFloat(0x0001), 5.9604645e-8f);  // smallest subnormal
    QCOMPARE(floatToBf16(1.f), uint16_t(0x3f80));
    // F16 and BF16 tensors convert on read.
    SafetensorsWriter w;
    const uint16_t h[2] = {floatToHalf(1.5f), floatToHalf(-0.25f)};
    const uint16_t bf[2] = {floatToBf16(2.f), floatToBf16(-3.f)};
    w.add("h", DType::F16, {2}, h, 4);
    w.add("b", DType::BF16, {2}, bf, 4);
    const SafetensorsFile f = SafetensorsFile::fromBytes(w.serialize(), "mem");
    QCOMPARE(f.at("h").toFloat32(), (std::vector<float>{1.5f, -0.25f}));
    QCOMPARE(f.at("b").toFloat32(), (std::vector<float>{2.f, -3.f}));
  }

  void writerRejectsMismatch() {
    SafetensorsWriter w;
    const float x[4] = {};
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, w.add("x", DType::F32, {3}, x, 16));
    w.add("x", DType::F32, {4}, x, 16);
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, w.add("x", DType::F32, {4}, x, 16));
  }

  void malformed_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto add = [](const char* row, const std::vector<uint8_t>& b, const char* expected) {
      QTest::newRow(row) << QByteArray(reinterpret_cast<const char*>(b.data()), int(b.size())) << expected;
    };
    add("too short", {1, 2, 3}, "too short");
    {
      auto b = image("{}", 0);
      const uint64_t huge = 1ull << 40;
      std::memcpy(b.data(), &huge, 8);
      add("header length", b, "header length");
    }
    add("bad json", image("{\"a\": ", 0), "not valid JSON");
    add("not object", image("[1, 2]", 0), "not a JSON object");
    add("unknown dtype", image("{\"w\":{\"dtype\":\"F17\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
        "tensor 'w': unknown dtype 'F17'");
    add("size mismatch", image("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 16),
        "tensor 'w': shape [2, 2] x F32 needs 16 bytes but data_offsets give 12");
    add("past end", image("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
        "tensor 'w': data_offsets end 16 is past the data block");
    add("overlap",
        image("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
              "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
              12),
        "overlaps");
    add("negative shape", image("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0),
        "tensor 'w': shape[0]");
    add("reversed offsets", image("{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}", 4),
        "tensor 'w': data_offsets");
    add("missing dtype", image("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "missing string field 'dtype'");
    add("metadata not string", image("{\"__metadata__\":{\"rank\":8}}", 0), "__metadata__ value of 'rank'");
    add("duplicate",
        image("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
              "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}",
              2),
        "appears twice");
  }
  void malformed() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const std::string path = dir.filePath("bad.safetensors").toStdString();
    {
      std::ofstream out(path, std::ios::binary);
      out.write(bytes.constData(), bytes.size());
    }
    try {
      SafetensorsFile::open(path);
      QFAIL("no error");
    } catch (const SafetensorsError& e) {
      const QString what = QString::fromUtf8(e.what());
      QVERIFY2(what.contains(expected), qPrintable(what));
      QVERIFY2(what.contains("bad.safetensors"), qPrintable(what));
    }
  }

  void missingTensorAndWrongShapeNameFileAndTensor() {
    SafetensorsWriter w;
    const float x[6] = {};
    w.addFloat32("w", {2, 3}, x);
    const SafetensorsFile f = SafetensorsFile::fromBytes(w.serialize(), "weights.safetensors");
    try {
      f.at("v");
      QFAIL("no error");
    } catch (const SafetensorsError& e) {
      QVERIFY(QString(e.what()).contains("weights.safetensors: missing tensor 'v'"));
    }
    try {
      f.expect("w", {3, 2});
      QFAIL("no error");
    } catch (const SafetensorsError& e) {
      QVERIFY2(QString(e.what()).contains("'w' has shape [2, 3], expected [3, 2]"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(SafetensorsError, SafetensorsFile::open("/nonexistent/x.safetensors"));
  }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
