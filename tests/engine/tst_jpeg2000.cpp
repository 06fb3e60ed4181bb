// JPEG 2000 DICOM files (which DCMTK 3.6.7 cannot decode) open through OpenJPEG: the engine's encoder
// re-encodes a native 16-bit image losslessly as encapsulated pixel data, and the decoder reads it back
// exactly; a truncated stream is a clear error; a draft decodes a lower resolution level.
#include <QtTest>

#include <cmath>

#include "damaged_dicom.h"
#include "engine/imaging/dicom_image.h"
#include "engine/imaging/jpeg2000_encoder.h"

using namespace fedmrg::engine;
using namespace fedmrg::testing;

class TestJpeg2000 : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

 private slots:
  void init() {
    if (!haveJpeg2000Encoder()) QSKIP("OpenJPEG is not installed (apt: libopenjp2-7-dev)");
  }

  void losslessJpeg2000DecodesExactly() {
    NativeSpec s;
    s.columns = 40;
    s.rows = 30;
    writeNativeDicom(path("plain.dcm"), s);
    writeJpeg2000Copy(path("plain.dcm"), path("j2k.dcm"));  // 6 levels asked, 5 fit the 30 rows
    const DicomImage plain = readDicomImage(path("plain.dcm"));
    const DicomImage img = readDicomImage(path("j2k.dcm"));
    QCOMPARE(img.meta.transferSyntaxUid, std::string("1.2.840.10008.1.2.4.90"));
    QCOMPARE(img.width, 40);
    QCOMPARE(img.height, 30);
    QCOMPARE(img.reduction, 0);
    QVERIFY(img.values == plain.values);
    QCOMPARE(img.values[0], float(damagedTestPixel(0, 0, 4095)));
    QVERIFY(!img.invert);
    QVERIFY(!img.windowFromFile);  // none in the file: a percentile window is derived
    QVERIFY(img.defaultWindow.width > 1000);
  }

  void corruptJpeg2000StreamGivesAClearError() {
    writeNativeDicom(path("plain.dcm"), NativeSpec{});
    const std::string broken = path("broken-j2k.dcm");
    writeJpeg2000Copy(path("plain.dcm"), broken);
    editFirstFragment(broken, [](std::vector<uint8_t>& b) { b.resize(b.size() / 3); });  // truncated codestream
    try {
      readDicomImage(broken);
      QFAIL("decoded a truncated JPEG 2000 stream");
    } catch (const DicomError& e) {
      QVERIFY2(QString(e.what()).contains("broken-j2k.dcm"), e.what());
      QVERIFY2(QString(e.what()).contains("JPEG 2000"), e.what());
    }
  }

  void draftsDecodeJpeg2000AtTheModelsResolution() {
    NativeSpec s;
    s.rows = s.columns = 256;
    writeNativeDicom(path("plain256.dcm"), s);
    writeJpeg2000Copy(path("plain256.dcm"), path("j2k256.dcm"), true, 6);
    const DicomImage full = readDicomImage(path("j2k256.dcm"));
    QCOMPARE(full.width, 256);
    QCOMPARE(full.reduction, 0);
    const DicomImage small = readDicomImage(path("j2k256.dcm"), draftDecodeOptions(40));
    QCOMPARE(small.reduction, 2);  // 64 >= 40 > 32
    QCOMPARE(small.width, 64);
    QCOMPARE(small.height, 64);
    QCOMPARE(small.meta.columns, 256);  // the file's size stays in the metadata
    // The reduced image is the full one at a lower resolution: the model inputs agree closely.
    const std::vector<float> a = modelInput(full, 32), b = modelInput(small, 32);
    double diff = 0;
    for (size_t i = 0; i < a.size(); ++i) diff += std::abs(a[i] - b[i]);
    QVERIFY2(diff / double(a.size()) < 0.05, qPrintable(QString::number(diff / double(a.size()))));
    // Never below the model's input: a 300-pixel request keeps the full 256.
    QCOMPARE(readDicomImage(path("j2k256.dcm"), draftDecodeOptions(300)).width, 256);
  }
};

QTEST_APPLESS_MAIN(TestJpeg2000)
#include "tst_jpeg2000.moc"
