// SpilledUpdate: an upload read back from its spilled file tensor by tensor equals the decoded upload, also
// for a tensor whose bytes run across two data chunks and by ranges from its kept decoded values; a damaged,
// truncated, forged or missing file is refused naming the file and the reason.
#include <QtTest>

#include <openssl/evp.h>

#include <fstream>
#include <random>

#include "coordinator/round_blobs.h"
#include "coordinator/spilled_update.h"
#include "federation/tensor_codec.h"

using namespace fedmrg;
using namespace fedmrg::coordinator;

namespace {

std::vector<float> values(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1e-3f);
  std::vector<float> v(n);
  for (auto& x : v) x = normal(rng);
  return v;
}

// Three tensors; the middle one (600 x 600 fp32, over 1 MiB) spans two 1 MiB data chunks.
federation::Payload upload() {
  federation::CodecSettings plain;
  plain.zstd = false;
  federation::Payload p;
  p.round = 1;
  p.sampleCount = 5;
  p.tensors.push_back(federation::encodeDense("a", {12, 8}, values(96, 1), {}));
  p.tensors.push_back(federation::encodeDense("big", {600, 600}, values(360000, 2), plain));
  p.tensors.push_back(federation::encodeDense("c", {7}, values(7, 3), {}));
  return p;
}

const auto kShapes =
    std::make_shared<const SpillShapes>(SpillShapes{{"a", {12, 8}}, {"big", {600, 600}}, {"c", {1, 7}}});

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string sha256Hex(const std::string& bytes) {
  federation::Sha256 d{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), d.data(), &len, EVP_sha256(), nullptr);
  return federation::toHex(d);
}

QString errorOf(const std::string& path, const std::string& digest) {
  try {
    SpilledUpdate u(path, digest, kShapes);
    for (const auto& n : u.names()) u.tensor(n);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace

class TestSpilledUpdate : public QObject {
  Q_OBJECT

 private slots:
  void readsBackEveryTensorAsDecoded() {
    QTemporaryDir dir;
    RoundBlobs blobs(dir.path().toStdString());
    const federation::Payload p = upload();
    const std::string digest = blobs.put(p);
    QVERIFY(readAll(blobs.path(digest)).size() > (1u << 20));  // two data chunks
    const SpilledUpdate u(blobs.path(digest), digest, kShapes);
    QCOMPARE(u.names(), (std::vector<std::string>{"a", "big", "c"}));
    for (const auto& t : p.tensors) {
      const federation::Matrix want = federation::decodeFrame(t);
      const federation::Matrix got = u.tensor(t.name);
      QCOMPARE(got.rows, kShapes->at(t.name).first);
      QCOMPARE(got.cols, kShapes->at(t.name).second);
      QVERIFY2(got.values == want.values, t.name.c_str());
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, u.tensor("nope"));
    // A tensor the round does not federate is refused when the file is opened.
    const auto fewer = std::make_shared<const SpillShapes>(SpillShapes{{"a", {12, 8}}, {"c", {1, 7}}});
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, SpilledUpdate(blobs.path(digest), digest, fewer));
  }

  // keep() writes the decoded values beside the file; a range read from it equals the decoded tensor's
  // values, and the scratch file goes with the object.
  void keptValuesReadByRangeEqualTheDecodedTensor() {
    QTemporaryDir dir;
    RoundBlobs blobs(dir.path().toStdString());
    const federation::Payload p = upload();
    const std::string digest = blobs.put(p);
    const std::string scratch = blobs.path(digest) + ".decoded";
    {
      const SpilledUpdate u(blobs.path(digest), digest, kShapes);
      std::vector<float> before(50);
      u.values("big", 1000, 1050, before.data());  // decoded, no scratch yet
      QVERIFY(!QFile::exists(QString::fromStdString(scratch)));
      u.keep();
      QCOMPARE(QFileInfo(QString::fromStdString(scratch)).size(), qint64((96 + 360000 + 7) * 4));
      for (const auto& t : p.tensors) {
        const federation::Matrix want = federation::decodeFrame(t);
        std::vector<float> got(want.values.size());
        u.values(t.name, 0, got.size(), got.data());
        QVERIFY2(got == want.values, t.name.c_str());
      }
      std::vector<float> range(50);
      u.values("big", 1000, 1050, range.data());
      QCOMPARE(range, before);
      QVERIFY_THROWS_EXCEPTION(std::runtime_error, u.values("c", 0, 8, range.data()));  // past its end
    }
    QVERIFY(!QFile::exists(QString::fromStdString(scratch)));
  }

  void badFilesAreRefusedWithTheirReason() {
    QTemporaryDir dir;
    RoundBlobs blobs(dir.path().toStdString());
    const std::string digest = blobs.put(upload());
    const std::string path = blobs.path(digest);
    const std::string good = readAll(path);

    QVERIFY(errorOf(dir.filePath("missing.payload").toStdString(), digest).contains("cannot read"));

    std::string flipped = good;
    flipped[flipped.size() / 2] ^= 0x40;
    writeAll(path, flipped);
    QVERIFY(errorOf(path, digest).contains("does not match its digest"));

    // Forged files whose digest is right but whose content is not a payload.
    const auto forged = [&](const std::string& bytes) {
      const std::string p = dir.filePath("forged.payload").toStdString();
      writeAll(p, bytes);
      return errorOf(p, sha256Hex(bytes));
    };
    QVERIFY(forged(good.substr(0, good.size() - 1000)).contains("truncated"));  // inside a data chunk
    QVERIFY(forged(good.substr(0, good.size() - 1000)).contains("forged.payload"));
    std::string noHeader = good;
    noHeader[4] = 0x12;  // the first chunk claims to be data
    QVERIFY(forged(noHeader).contains("damaged"));
    QVERIFY(forged(std::string("\x05\0\0\0garbage", 11)).contains("damaged chunk"));
    QVERIFY(forged(std::string(4, '\0')).contains("an empty chunk"));
    QVERIFY(forged("").contains("no header"));
    const std::string head = good.substr(0, 4 + *reinterpret_cast<const uint32_t*>(good.data()));
    QVERIFY(forged(head).contains("tensor data is missing"));
  }
};

QTEST_APPLESS_MAIN(TestSpilledUpdate)
#include "tst_spilled_update.moc"
