// 8-bit JPEG baseline DICOM files written by DCMTK: a draft decodes them at 1/2, 1/4 or 1/8 scale through
// libjpeg-turbo's DCT scaling, and its model input agrees with the full DCMTK decode resampled; the viewer
// keeps the full image; damaged or blank JPEG data is refused with a reason, scaled or not.
#include <QtTest>

#include <cmath>

#include "app/test_dicom.h"
#include "damaged_dicom.h"
#include "engine/imaging/dicom_image.h"
#include "engine/imaging/jpeg_baseline_encoder.h"

using namespace fedmrg::engine;
using namespace fedmrg::testing;

class TestJpegBaselineDecoder : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

  // A 512 x 512 film (ramp and bright disc) as JPEG baseline.
  std::string baselineFilm() {
    TestDicom d;
    d.width = d.height = 512;
    writeTestDicom(path("film16.dcm"), d);
    writeJpegBaselineCopy(path("film16.dcm"), path("film-jpeg.dcm"));
    return path("film-jpeg.dcm");
  }

 private slots:
  void scaledDecodeMatchesTheFullDecode() {
    const std::string file = baselineFilm();
    const DicomImage full = readDicomImage(file);  // the viewer's decode: DCMTK, full size
    QCOMPARE(full.meta.transferSyntaxUid, std::string("1.2.840.10008.1.2.4.50"));
    QCOMPARE(full.width, 512);
    QCOMPARE(full.reduction, 0);
    for (const auto& [minSide, reduction] : {std::pair{64, 3}, std::pair{100, 2}, std::pair{200, 1}}) {
      const DicomImage small = readDicomImage(file, draftDecodeOptions(minSide));
      QCOMPARE(small.reduction, reduction);
      QCOMPARE(small.width, 512 >> reduction);
      QCOMPARE(small.height, 512 >> reduction);
      QCOMPARE(small.meta.columns, 512);  // the file's size stays in the metadata
      QVERIFY(!small.invert);
      // What the model sees: the scaled decode against the full decode resampled the same way.
      const std::vector<float> a = modelInput(full, minSide), b = modelInput(small, minSide);
      // Where the output pixels do not cover whole scaled pixels (512/4 = 128 onto 100), the area average
      // draws its box edges a little differently, which shows only along the disc's sharp edge.
      double sum = 0;
      int off = 0;
      for (size_t i = 0; i < a.size(); ++i) {
        sum += std::abs(a[i] - b[i]);
        off += std::abs(a[i] - b[i]) > 0.1f;
      }
      const double mean = sum / double(a.size()), offShare = double(off) / double(a.size());
      QVERIFY2(mean < 0.01 && offShare < 0.02,
               qPrintable(QString("minSide %1: mean %2, share off by > 0.1: %3").arg(minSide).arg(mean).arg(offShare)));
    }
    // Never below the model's input: a 300-pixel request cannot halve 512, so DCMTK decodes it whole.
    QCOMPARE(readDicomImage(file, draftDecodeOptions(300)).width, 512);
  }

  // Extended JPEG (.51): 8-bit data takes the scaled path too; 12-bit data, which this libjpeg does not
  // decode, keeps DCMTK's full decode.
  void extendedJpegScalesOnlyEightBitData() {
    DJEncoderRegistration::registerCodecs();  // DCMTK registers once, however often it is called
    for (const int bits : {8, 12}) {
      NativeSpec s;
      s.rows = s.columns = 256;
      s.bitsAllocated = bits == 8 ? 8 : 16;
      s.bitsStored = bits;
      writeNativeDicom(path("ext-native.dcm"), s);
      DcmFileFormat file;
      QVERIFY(file.loadFile(path("ext-native.dcm").c_str()).good());
      DJ_RPLossy params(90);
      QVERIFY(file.getDataset()->chooseRepresentation(EXS_JPEGProcess2_4, &params).good());
      QVERIFY(file.saveFile(path("ext-jpeg.dcm").c_str(), EXS_JPEGProcess2_4).good());
      const DicomImage img = readDicomImage(path("ext-jpeg.dcm"), draftDecodeOptions(64));
      QCOMPARE(img.meta.transferSyntaxUid, std::string("1.2.840.10008.1.2.4.51"));
      QCOMPARE(img.reduction, bits == 8 ? 2 : 0);
      QCOMPARE(img.width, bits == 8 ? 64 : 256);
    }
  }

  void damagedJpegStreamIsRefusedWithAReason() {
    const std::string file = path("cut-jpeg.dcm");
    QVERIFY(QFile::copy(QString::fromStdString(baselineFilm()), QString::fromStdString(file)));
    // Half the entropy-coded data, then an end-of-image marker: the header check passes, the decoder meets
    // EOI early and would fill the rest with grey.
    editFirstFragment(file, [](std::vector<uint8_t>& b) {
      b.resize(b.size() / 2);
      b.push_back(0xFF);
      b.push_back(0xD9);
    });
    for (int minSide : {64, 0}) {  // scaled (libjpeg-turbo) and full (DCMTK)
      try {
        readDicomImage(file, draftDecodeOptions(minSide));
        QFAIL(qPrintable(QString("decoded a cut JPEG stream (minSide %1)").arg(minSide)));
      } catch (const DicomError& e) {
        QVERIFY2(QString(e.what()).contains("cut-jpeg.dcm"), e.what());
        // libjpeg-turbo's warning (scaled) and DCMTK's (full) are failures, said in the same words.
        QVERIFY2(QString(e.what()).contains(minSide ? "the JPEG data is damaged" : "damaged"), e.what());
      }
    }
  }

  // A fatal libjpeg error (a Huffman table numbered 7 of 0..3) returns to the caller as a refusal: the
  // library's default handler would exit() the program.
  void fatalDecoderErrorIsARefusalNotAnExit() {
    const std::string file = path("bad-table-jpeg.dcm");
    QVERIFY(QFile::copy(QString::fromStdString(baselineFilm()), QString::fromStdString(file)));
    editFirstFragment(file, [](std::vector<uint8_t>& b) {
      for (size_t i = 2; i + 4 < b.size(); ++i)
        if (b[i] == 0xFF && b[i + 1] == 0xC4) {
          b[i + 4] = 0x07;  // Tc/Th of the first table
          return;
        }
      QFAIL("no Huffman table in the JPEG data");
    });
    try {
      readDicomImage(file, draftDecodeOptions(64));
      QFAIL("decoded JPEG data with a broken Huffman table");
    } catch (const DicomError& e) {
      QVERIFY2(QString(e.what()).contains("bad-table-jpeg.dcm: the JPEG data is damaged"), e.what());
    }
  }

  void blankJpegFrameIsRefused() {
    NativeSpec s;
    s.rows = s.columns = 256;
    s.bitsAllocated = s.bitsStored = 8;
    s.constant = true;
    writeNativeDicom(path("blank8.dcm"), s);
    compressDicom(path("blank8.dcm"), path("blank-jpeg.dcm"), "jpeg-baseline");
    try {
      readDicomImage(path("blank-jpeg.dcm"), draftDecodeOptions(32));
      QFAIL("a blank JPEG frame was decoded");
    } catch (const DicomError& e) {
      QVERIFY2(QString(e.what()).contains("same value"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestJpegBaselineDecoder)
#include "tst_jpeg_baseline_decoder.moc"
