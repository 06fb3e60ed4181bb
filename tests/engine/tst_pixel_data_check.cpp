// The one check before every decode (engine/imaging/pixel_data_check): pixel data that does not match its
// header is refused with a reason a person understands and the file's name, before any decoder allocates;
// codec warnings, damaged streams and constant frames are refused too. (The reduced JPEG 2000 decode of
// drafts is in tst_jpeg2000.) Real files written by DCMTK and
// OpenJPEG, then damaged.
#include <QtTest>

#include <sys/resource.h>

#include <chrono>

#include "damaged_dicom.h"
#include "engine/imaging/dicom_image.h"
#include "engine/imaging/jpeg2000_encoder.h"

using namespace fedmrg::engine;
using namespace fedmrg::testing;

namespace {

// The reason readDicomImage gives for `path`; empty when it decodes.
QString refusal(const std::string& path, const DecodeOptions& options = {}) {
  try {
    readDicomImage(path, options);
    return {};
  } catch (const DicomError& e) {
    return QString::fromUtf8(e.what());
  }
}

long maxRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace

class TestPixelDataCheck : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

  void expectRefused(const std::string& file, const char* reason) {
    const QString why = refusal(file);
    QVERIFY2(!why.isEmpty(), qPrintable(QString::fromStdString(file) + " decoded"));
    QVERIFY2(why.startsWith(QString::fromStdString(file) + ": "), qPrintable(why));
    QVERIFY2(why.contains(QString::fromUtf8(reason)), qPrintable(why));
  }

 private slots:
  void shortNativePixelDataIsRefusedWithTheMissingBytes() {
    NativeSpec s;
    s.rows = s.columns = 512;
    s.shortBy = 12000;
    writeNativeDicom(path("short.dcm"), s);
    expectRefused(path("short.dcm"), "pixel data is 12,000 bytes shorter than its 512 × 512 16-bit image needs");
    s.shortBy = 0;
    writeNativeDicom(path("whole.dcm"), s);
    QCOMPARE(refusal(path("whole.dcm")), QString());
  }

  void headerEditsThatBreakThePixelDescriptionAreRefused_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("reason");
    QTest::newRow("rows doubled") << "rows"
                                  << "128"
                                  << "bytes shorter than its 64 × 128 16-bit image";
    QTest::newRow("12 bits allocated") << "bits"
                                       << "12"
                                       << "12 bits per pixel";
    QTest::newRow("more stored than allocated") << "stored"
                                                << "20"
                                                << "20 stored bits in 16-bit pixels";
    QTest::newRow("RGB with one sample") << "photometric"
                                         << "RGB"
                                         << "does not fit 1 samples per pixel";
    QTest::newRow("unknown photometric") << "photometric"
                                         << "HSV"
                                         << "unknown photometric interpretation";
    QTest::newRow("zero frames") << "frames"
                                 << "0"
                                 << "announces 0 frames";
    QTest::newRow("five frames, one stored") << "frames"
                                             << "5"
                                             << "of 5 frames needs";
    QTest::newRow("empty image") << "columns"
                                 << "0"
                                 << "empty image";
    QTest::newRow("one row") << "rows"
                             << "1"
                             << "pixel data is 8,064 bytes longer than its 64 × 1 16-bit image needs";
  }
  void headerEditsThatBreakThePixelDescriptionAreRefused() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, reason);
    const std::string file = path("edited.dcm");
    writeNativeDicom(file, NativeSpec{});
    const std::map<QString, DcmTagKey> tags{{"rows", DCM_Rows},
                                            {"columns", DCM_Columns},
                                            {"bits", DCM_BitsAllocated},
                                            {"stored", DCM_BitsStored},
                                            {"photometric", DCM_PhotometricInterpretation},
                                            {"frames", DCM_NumberOfFrames}};
    editHeader(file, tags.at(field), value.toStdString());
    expectRefused(file, reason.toUtf8().constData());
  }

  void aSmallFileDeclaringAHugeImageIsRefusedAtOnce() {
    const long rssBefore = maxRssMb();
    for (const int side : {32768, 16384}) {
      NativeSpec s;
      s.rows = s.columns = side;
      const std::string file = path("huge.dcm");
      writeNativeDicom(file, s);  // at most 4 MB of pixels, whatever the header says
      const auto t0 = std::chrono::steady_clock::now();
      const QString why = refusal(file);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      QVERIFY2(!why.isEmpty(), "a huge image decoded");
      QVERIFY2(why.contains(side > 16384 ? "larger than the 16384 pixels a side"
                                         : "MB decoded, more than the 128 MB allowed"),
               qPrintable(why));
      QVERIFY2(seconds < 1.0, qPrintable(QString::number(seconds)));
    }
    QVERIFY2(maxRssMb() - rssBefore < 300, qPrintable(QString::number(maxRssMb() - rssBefore) + " MB"));
    // The budget is the caller's to set.
    writeNativeDicom(path("normal.dcm"), NativeSpec{});
    DecodeOptions tight;
    tight.limits.maxDecodedBytes = 1000;
    QVERIFY(refusal(path("normal.dcm"), tight).contains("more than the 0 MB allowed"));
    tight.limits = {};
    tight.limits.maxSide = 32;
    QVERIFY(refusal(path("normal.dcm"), tight).contains("larger than the 32 pixels a side"));
  }

  void aConstantFrameIsRefused() {
    NativeSpec s;
    s.constant = true;
    writeNativeDicom(path("blank.dcm"), s);
    expectRefused(path("blank.dcm"), "every pixel of the image has the same value (1000)");
  }

  void colourImagesDecodeThroughTheColourModule() {
    NativeSpec s;
    s.samplesPerPixel = 3;
    s.photometric = "RGB";
    s.bitsAllocated = s.bitsStored = 8;
    writeNativeDicom(path("rgb.dcm"), s);
    const DicomImage img = readDicomImage(path("rgb.dcm"));
    QCOMPARE(img.width, 64);
    QVERIFY(img.values[0] > 200);  // the bright corner
  }

  void damagedJpegStreamsAreRefused_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("reason");
    for (const char* kind : {"jpeg-baseline", "jpeg-lossless"}) {
      QTest::addRow("%s zeroed", kind) << kind << "zero"
                                       << "does not start with a JPEG start-of-image marker";
      QTest::addRow("%s cut", kind) << kind << "cut"
                                    << "the JPEG data is truncated";
      QTest::addRow("%s garbled", kind) << kind << "garble"
                                        << "damaged";
      QTest::addRow("%s rows", kind) << kind << "rows"
                                     << "holds a 64 × 64 image but the header announces 64 × 60";
    }
    QTest::addRow("rle header") << "rle"
                                << "segments"
                                << "the RLE header announces 5 segments where the image needs 2";
    QTest::addRow("rle zeroed") << "rle"
                                << "zero"
                                << "segments where the image needs 2";
    QTest::addRow("rle rows") << "rle"
                              << "rows"
                              << "the RLE data holds 4096 pixels per plane but the header's 64 × 60 image needs 3840";
  }
  void damagedJpegStreamsAreRefused() {
    QFETCH(QString, kind);
    QFETCH(QString, damage);
    QFETCH(QString, reason);
    NativeSpec s;
    if (kind == "jpeg-baseline") s.bitsAllocated = s.bitsStored = 8;
    writeNativeDicom(path("plain.dcm"), s);
    const std::string file = path("compressed.dcm");
    compressDicom(path("plain.dcm"), file, kind.toStdString());
    QCOMPARE(refusal(file), QString());  // undamaged, it decodes
    if (damage == "zero") editFirstFragment(file, [](std::vector<uint8_t>& b) { std::fill(b.begin(), b.end(), 0); });
    if (damage == "cut") editFirstFragment(file, [](std::vector<uint8_t>& b) { b.resize(b.size() * 6 / 10); });
    if (damage == "garble")
      editFirstFragment(file, [](std::vector<uint8_t>& b) {
        // Entropy-coded bytes after the headers, never a marker byte: the decoder meets nonsense.
        for (size_t i = b.size() / 2; i < b.size() / 2 + 40 && i + 2 < b.size(); ++i)
          if (b[i] != 0xFF && b[i - 1] != 0xFF) b[i] = uint8_t(b[i] * 31 + 7) == 0xFF ? 0x12 : uint8_t(b[i] * 31 + 7);
      });
    if (damage == "rows") editHeader(file, DCM_Rows, "60");
    if (damage == "segments") editFirstFragment(file, [](std::vector<uint8_t>& b) { b[0] = 5; });
    expectRefused(file, reason.toUtf8().constData());
  }

  void damagedJpeg2000StreamsAreRefused_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("reason");
    QTest::newRow("zeroed") << "zero"
                            << "does not start with a JPEG 2000 header";
    QTest::newRow("cut") << "cut"
                         << "the JPEG 2000 data is truncated";
    QTest::newRow("garbled") << "garble"
                             << "damaged";
    QTest::newRow("size in the codestream")
        << "siz"
        << "the JPEG 2000 data holds a 64 × 32 image but the header announces 64 × 64";
    QTest::newRow("rows in the header") << "rows"
                                        << "holds a 64 × 64 image but the header announces 64 × 63";
    QTest::newRow("empty fragment") << "empty"
                                    << "the compressed pixel data";
  }
  void damagedJpeg2000StreamsAreRefused() {
    if (!haveJpeg2000Encoder()) QSKIP("this build has no OpenJPEG");
    QFETCH(QString, damage);
    QFETCH(QString, reason);
    writeNativeDicom(path("plain.dcm"), NativeSpec{});
    const std::string file = path("j2k.dcm");
    writeJpeg2000Copy(path("plain.dcm"), file);
    QCOMPARE(refusal(file), QString());
    if (damage == "zero") editFirstFragment(file, [](std::vector<uint8_t>& b) { std::fill(b.begin(), b.end(), 0); });
    if (damage == "cut") editFirstFragment(file, [](std::vector<uint8_t>& b) { b.resize(b.size() / 2); });
    if (damage == "garble")
      editFirstFragment(file, [](std::vector<uint8_t>& b) {
        // The packet headers after the first start-of-data marker (SOD, FF 93): what a damaged transfer
        // garbles. Damage inside code-block data alone decodes to other pixels without any sign (JPEG 2000
        // has no checksum), which is why the size, the markers and the decoder's own warnings are checked.
        size_t sod = 0;
        while (sod + 1 < b.size() && !(b[sod] == 0xFF && b[sod + 1] == 0x93)) ++sod;
        for (size_t i = sod + 2; i < std::min(b.size() - 4, sod + 60); ++i)
          b[i] = uint8_t(b[i] ^ 0xA5) == 0xFF ? 0 : uint8_t(b[i] ^ 0xA5);
      });
    if (damage == "siz") editFirstFragment(file, [](std::vector<uint8_t>& b) { b[4 + 8 + 3] = 32; });  // Ysiz low byte
    if (damage == "rows") editHeader(file, DCM_Rows, "63");
    if (damage == "empty") editFirstFragment(file, [](std::vector<uint8_t>& b) { b.clear(); });
    expectRefused(file, reason.toUtf8().constData());
  }
};

QTEST_APPLESS_MAIN(TestPixelDataCheck)
#include "tst_pixel_data_check.moc"
