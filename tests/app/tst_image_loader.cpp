// Decoding study images for the viewer: modality values, the file's window, inversion for
// MONOCHROME1, the overlay text, windowed thumbnail pixels, and a reason for files that do not open.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/image_loader.h"
#include "app/test_dicom.h"
#include "damaged_dicom.h"

using namespace fedmrg::app;
using fedmrg::testing::TestDicom;
using fedmrg::testing::testPixel;
using fedmrg::testing::writeTestDicom;

class TstImageLoader : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

 private slots:
  void loadsValuesWindowAndOverlayText() {
    TestDicom d;
    d.width = 120;
    d.height = 90;
    d.patientName = "Loader^Lisa";
    d.patientId = "L042";
    d.studyDate = "20260214";
    d.windowCenter = 1500;
    d.windowWidth = 3000;
    const QString file = dir_.filePath("plain.dcm");
    writeTestDicom(file.toStdString(), d);

    const auto image = ImageLoader().load(file);
    QVERIFY(image);
    QCOMPARE(image->width, 120);
    QCOMPARE(image->height, 90);
    QCOMPARE(int(image->values.size()), 120 * 90);
    for (const auto& [x, y] : {std::pair{0, 0}, std::pair{30, 22}, std::pair{119, 89}, std::pair{60, 10}})
      QCOMPARE(image->values[size_t(y * 120 + x)], float(testPixel(d, x, y)));  // no rescale in the file
    QCOMPARE(image->defaultWindow.center, 1500.0);
    QCOMPARE(image->defaultWindow.width, 3000.0);
    QVERIFY(!image->invert);
    QCOMPARE(image->info.patientName, std::string("Loader^Lisa"));
    QCOMPARE(image->info.patientId, std::string("L042"));
    QCOMPARE(image->info.studyDate, std::string("20260214"));
    QCOMPARE(image->info.modality, std::string("CR"));
    QCOMPARE(image->info.viewPosition, std::string("PA"));
    QCOMPARE(image->info.bitsStored, 12);
    QCOMPARE(image->info.pixelSpacingRow, 0.143);
    QCOMPARE(image->info.transferSyntaxUid, std::string("1.2.840.10008.1.2.1"));  // explicit little endian
  }

  void saysWhichPixelSpacingItUses() {
    TestDicom d;
    d.width = d.height = 32;
    auto infoOf = [&](const QString& name) {
      writeTestDicom(dir_.filePath(name).toStdString(), d);
      return ImageLoader().load(dir_.filePath(name))->info;
    };
    d.imagerPixelSpacing = "0.2\\0.25";
    auto info = infoOf("both-spacings.dcm");  // Pixel Spacing 0.143 and Imager Pixel Spacing
    QVERIFY(info.spacingSource == SpacingSource::PixelSpacing);
    QCOMPARE(info.pixelSpacingRow, 0.143);
    QCOMPARE(info.imagerPixelSpacingColumn, 0.25);
    QVERIFY(!info.sopInstanceUid.empty());
    d.pixelSpacing.clear();
    info = infoOf("imager-spacing.dcm");
    QVERIFY(info.spacingSource == SpacingSource::ImagerPixelSpacing);
    QCOMPARE(info.pixelSpacingRow, 0.2);
    QCOMPARE(info.pixelSpacingColumn, 0.25);
    d.imagerPixelSpacing.clear();
    info = infoOf("no-spacing.dcm");
    QVERIFY(info.spacingSource == SpacingSource::None);
    QCOMPARE(info.pixelSpacingRow, 0.0);
  }

  void monochrome1IsShownInverted() {
    TestDicom d;
    d.width = d.height = 64;
    d.photometric = "MONOCHROME1";
    const QString file = dir_.filePath("mono1.dcm");
    writeTestDicom(file.toStdString(), d);
    QVERIFY(ImageLoader().load(file)->invert);
    // The disc (value 4000 of 0..4095) is white in MONOCHROME2, black in MONOCHROME1.
    const auto grey = ImageLoader().thumbnail(file);
    QVERIFY2(grey.pixels[size_t(16 * 64 + 16)] < 20, "the MONOCHROME1 disc should be dark");
  }

  void thumbnailIsWindowedWithTheDefaultWindow() {
    TestDicom d;
    d.width = 100;
    d.height = 80;
    const QString file = dir_.filePath("thumb.dcm");
    writeTestDicom(file.toStdString(), d);
    const auto grey = ImageLoader().thumbnail(file);
    QCOMPARE(grey.width, 100);
    QCOMPARE(grey.height, 80);
    QCOMPARE(int(grey.pixels.size()), 100 * 80);
    QVERIFY(grey.pixels[0] < 10);                      // value 0: black
    QVERIFY(grey.pixels[size_t(20 * 100 + 25)] > 235);  // the disc, value 4000: near white
    // The ramp brightens along the diagonal.
    QVERIFY(grey.pixels[size_t(70 * 100 + 90)] > grey.pixels[size_t(60 * 100 + 60)]);
  }

  void filesThatDoNotOpenSayWhy() {
    const QString missing = dir_.filePath("missing.dcm");
    try {
      ImageLoader().load(missing);
      QFAIL("a missing file loaded");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains("missing.dcm"), e.what());
    }
    const QString odd = dir_.filePath("mpeg2.dcm");
    fedmrg::testing::writeUnsupportedTransferSyntax(odd.toStdString());
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, ImageLoader().thumbnail(odd));
  }

  // The viewer decodes through the same checked decoder as the importer and the drafts: short pixel data is
  // refused with the file and the reason, never shown padded with black; the viewer keeps full resolution.
  void shortPixelDataIsRefusedAndFullResolutionKept() {
    fedmrg::testing::NativeSpec s;
    s.rows = s.columns = 512;
    s.shortBy = 12000;
    const QString file = dir_.filePath("short.dcm");
    fedmrg::testing::writeNativeDicom(file.toStdString(), s);
    for (int i = 0; i < 2; ++i) {
      try {
        if (i == 0) ImageLoader().load(file);
        else ImageLoader().thumbnail(file);
        QFAIL("short pixel data was shown");
      } catch (const std::runtime_error& e) {
        const QString why = QString::fromUtf8(e.what());
        QVERIFY2(why.startsWith(file + ": pixel data is 12,000 bytes shorter than its 512 × 512 16-bit image needs"),
                 e.what());
      }
    }
    s.shortBy = 0;
    fedmrg::testing::writeNativeDicom(file.toStdString(), s);
    QCOMPARE(ImageLoader().load(file)->width, 512);
  }
};

QTEST_APPLESS_MAIN(TstImageLoader)
#include "tst_image_loader.moc"
