// Reads DICOM files that the test writes with DCMTK: LUTs, MONOCHROME1, compression, bad files.
#include <QtTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>

#include <fstream>

#include "engine/imaging/dicom_image.h"

using namespace fedmrg::engine;

namespace {

constexpr int kW = 64, kH = 48;

// Stored value at (x, y): a ramp plus a bright 8x8 block in the top-left corner.
Uint16 storedAt(int x, int y) { return (x < 8 && y < 8) ? 4000 : Uint16(100 + x * 40 + y * 3); }

void writeMono1(const QString& path, E_TransferSyntax xfer, bool metaHeader = true) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  char uid[100];
  ds->putAndInsertString(DCM_SOPClassUID, UID_ComputedRadiographyImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.1.1");
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.1.2");
  ds->putAndInsertString(DCM_PatientName, "Test^Patient");
  ds->putAndInsertString(DCM_PatientID, "P123");
  ds->putAndInsertString(DCM_Modality, "CR");
  ds->putAndInsertString(DCM_BodyPartExamined, "CHEST");
  ds->putAndInsertString(DCM_ViewPosition, "PA");
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME1");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertUint16(DCM_Rows, kH);
  ds->putAndInsertUint16(DCM_Columns, kW);
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 16);
  ds->putAndInsertUint16(DCM_HighBit, 15);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds->putAndInsertString(DCM_RescaleSlope, "2");
  ds->putAndInsertString(DCM_RescaleIntercept, "-100");
  ds->putAndInsertString(DCM_WindowCenter, "3000");
  ds->putAndInsertString(DCM_WindowWidth, "4000");
  ds->putAndInsertString(DCM_PixelSpacing, "0.2\\0.3");
  std::vector<Uint16> px(size_t(kW) * kH);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) px[size_t(y) * kW + x] = storedAt(x, y);
  ds->putAndInsertUint16Array(DCM_PixelData, px.data(), (unsigned long)px.size());
  if (xfer != EXS_LittleEndianExplicit && xfer != EXS_LittleEndianImplicit) {
    DJ_RPLossless lossless;  // JPEG lossless, first-order prediction (process 14 SV1)
    QVERIFY(ds->chooseRepresentation(xfer, xfer == EXS_RLELossless ? nullptr : &lossless).good());
    QVERIFY(ds->canWriteXfer(xfer));
  }
  const OFCondition st = file.saveFile(path.toStdString().c_str(), xfer, EET_ExplicitLength, EGL_recalcGL,
                                       EPD_noChange, 0, 0, metaHeader ? EWM_fileformat : EWM_dataset);
  QVERIFY2(st.good(), st.text());
}

void expectContent(const DicomImage& img) {
  QCOMPARE(img.width, kW);
  QCOMPARE(img.height, kH);
  // Modality LUT: value = stored * 2 - 100.
  for (int y = 0; y < kH; y += 7)
    for (int x = 0; x < kW; x += 5)
      QCOMPARE(img.values[size_t(y) * kW + x], float(storedAt(x, y) * 2 - 100));
  QVERIFY(img.invert);
  QVERIFY(img.windowFromFile);
  QCOMPARE(img.defaultWindow.center, 3000.0);
  QCOMPARE(img.defaultWindow.width, 4000.0);
}

}  // namespace

class TestDicomImage : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  QString path(const char* name) { return dir_.filePath(name); }

 private slots:
  void initTestCase() {
    DJEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
    QVERIFY(dir_.isValid());
  }

  void readsMonochrome1WithModalityAndVoiLut() {
    writeMono1(path("mono1.dcm"), EXS_LittleEndianExplicit);
    const DicomImage img = readDicomImage(path("mono1.dcm").toStdString());
    expectContent(img);
    QCOMPARE(img.meta.patientId, std::string("P123"));
    QCOMPARE(img.meta.modality, std::string("CR"));
    QCOMPARE(img.meta.viewPosition, std::string("PA"));
    QCOMPARE(img.meta.photometricInterpretation, std::string("MONOCHROME1"));
    QCOMPARE(img.meta.pixelSpacingRow, 0.2);
    QCOMPARE(img.meta.pixelSpacingColumn, 0.3);
    QVERIFY(img.meta.hasMetaHeader);

    // Window 3000/4000 spans 1000..5000. The block (7900) is above it: brightest value, and
    // MONOCHROME1 shows high values dark, so it renders black. Low values render white.
    const auto px = renderWindowed(img, img.defaultWindow);
    QCOMPARE(int(px[0]), 0);
    const float low = img.values[size_t(40) * kW + 10];  // stored 100+400+120=620 -> 1140
    QCOMPARE(low, 1140.0f);
    const int expected = 255 - int(std::lround(((1140 - 2999.5) / 3999.0 + 0.5) * 255));
    QCOMPARE(int(px[size_t(40) * kW + 10]), expected);
    // A narrower window changes the rendering.
    const auto narrow = renderWindowed(img, {1140, 10});
    QVERIFY(narrow != px);
  }

  void compressedCopiesDecodeToTheSameValues_data() {
    QTest::addColumn<int>("xfer");
    QTest::newRow("JPEG lossless SV1") << int(EXS_JPEGProcess14SV1);
    QTest::newRow("RLE") << int(EXS_RLELossless);
  }
  void compressedCopiesDecodeToTheSameValues() {
    QFETCH(int, xfer);
    const QString p = path(("c" + std::to_string(xfer) + ".dcm").c_str());
    writeMono1(p, E_TransferSyntax(xfer));
    const DicomImage img = readDicomImage(p.toStdString());
    expectContent(img);
    QCOMPARE(img.meta.transferSyntaxUid, std::string(DcmXfer(E_TransferSyntax(xfer)).getXferID()));
    writeMono1(path("plain.dcm"), EXS_LittleEndianExplicit);
    QVERIFY(img.values == readDicomImage(path("plain.dcm").toStdString()).values);
  }

  void readsOldFilesWithoutMetaHeader() {
    writeMono1(path("nometa.dcm"), EXS_LittleEndianImplicit, false);
    const DicomImage img = readDicomImage(path("nometa.dcm").toStdString());
    expectContent(img);
    QVERIFY(!img.meta.hasMetaHeader);
  }

  void modelInputIsResampledTopRowFirst() {
    writeMono1(path("m.dcm"), EXS_LittleEndianExplicit);
    const DicomImage img = readDicomImage(path("m.dcm").toStdString());
    const auto in = modelInput(img, 16);
    QCOMPARE(in.size(), size_t(256));
    for (float v : in) QVERIFY(v >= 0.f && v <= 1.f);
    QVERIFY(in[0] < 0.05f);       // the dark block (inverted) is top-left
    QVERIFY(in[15 * 16] > 0.5f);  // bottom-left is a low value, shown bright
  }

  void badFilesGiveErrorsNamingTheFile() {
    const std::string text = path("notdicom.txt").toStdString();
    std::ofstream(text) << "hello, this is not DICOM";
    try {
      readDicomImage(text);
      QFAIL("read a text file as DICOM");
    } catch (const DicomError& e) {
      QVERIFY2(QString(e.what()).contains("notdicom.txt"), e.what());
    }

    writeMono1(path("full.dcm"), EXS_LittleEndianExplicit);
    QFile full(path("full.dcm"));
    QVERIFY(full.open(QIODevice::ReadOnly));
    const QByteArray bytes = full.readAll();
    QFile cut(path("truncated.dcm"));
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(bytes.left(bytes.size() / 2));
    cut.close();
    try {
      readDicomImage(path("truncated.dcm").toStdString());
      QFAIL("read a truncated file");
    } catch (const DicomError& e) {
      QVERIFY2(QString(e.what()).contains("truncated.dcm"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(DicomError, readDicomImage(path("missing.dcm").toStdString()));
  }
};

QTEST_APPLESS_MAIN(TestDicomImage)
#include "tst_dicom_image.moc"
