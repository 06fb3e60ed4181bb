// Measurement geometry and text: a known length at a known pixel spacing, pixels with a warning
// without spacing, a right angle, the cardiothoracic ratio, the report's lines, invalid points.
#include <QtTest>
#include <cmath>

#include "app/site/measurements.h"

using namespace fedmrg::app;

class TstMeasurements : public QObject {
  Q_OBJECT

 private slots:
  void knownLengthAtKnownSpacing() {
    const PixelSpacing spacing{0.2, 0.2, SpacingSource::PixelSpacing};
    QVERIFY(spacing.known());
    // 250 pixels at 0.2 mm: 50.0 mm, within a pixel (0.2 mm).
    QVERIFY(std::abs(lengthMm({100, 300}, {350, 300}, spacing) - 50.0) < 0.2);
    QCOMPARE(lengthPixels({100, 300}, {250, 500}), 250.0);  // 150, 200: a 3-4-5 triangle
    // Rows and columns apart by their own spacing: 100 columns at 0.3, 100 rows at 0.1.
    const PixelSpacing anisotropic{0.1, 0.3, SpacingSource::PixelSpacing};
    QCOMPARE(lengthMm({0, 0}, {100, 0}, anisotropic), 30.0);
    QCOMPARE(lengthMm({0, 0}, {0, 100}, anisotropic), 10.0);
    const Measurement m{0, MeasurementKind::Distance, {{100, 300}, {350, 300}}};
    QCOMPARE(measurementLabel(m, spacing), QString("50.0 mm"));
    QCOMPARE(measurementReportLine(m, spacing, "PA"), QString("Measurement: 50.0 mm (distance, PA image)"));
    QVERIFY(spacingWarning(spacing).isEmpty());
  }

  void withoutSpacingLengthsAreInPixelsWithAWarning() {
    DisplayImageInfo info;  // no Pixel Spacing, no Imager Pixel Spacing
    const PixelSpacing none = PixelSpacing::of(info);
    QVERIFY(!none.known());
    QVERIFY(std::isnan(lengthMm({0, 0}, {10, 0}, none)));
    const Measurement m{0, MeasurementKind::Distance, {{10, 10}, {260, 10}}};
    QCOMPARE(measurementLabel(m, none), QString("250.0 px"));
    QCOMPARE(spacingWarning(none), QString("no pixel spacing: length in pixels"));
    QCOMPARE(measurementReportLine(m, none, "PA"),
             QString("Measurement: 250.0 px (distance, PA image; no pixel spacing)"));
    // Imager Pixel Spacing is used, and said.
    info.pixelSpacingRow = info.pixelSpacingColumn = 0.15;
    info.spacingSource = SpacingSource::ImagerPixelSpacing;
    const PixelSpacing imager = PixelSpacing::of(info);
    QVERIFY(imager.known());
    QCOMPARE(measurementLabel(m, imager), QString("37.5 mm"));
    QVERIFY(spacingWarning(imager).contains("Imager Pixel Spacing"));
  }

  void angleOfARightAngleIs90() {
    QCOMPARE(angleDegrees({100, 0}, {0, 0}, {0, 100}), 90.0);
    QVERIFY(std::abs(angleDegrees({10, 10}, {0, 0}, {-10, 10}) - 90.0) < 1e-9);
    QVERIFY(std::abs(angleDegrees({1, 0}, {0, 0}, {-1, 0}) - 180.0) < 1e-9);
    QVERIFY(std::abs(angleDegrees({1, 0}, {0, 0}, {1, 1}) - 45.0) < 1e-9);
    QVERIFY(std::isnan(angleDegrees({0, 0}, {0, 0}, {1, 1})));
    const Measurement m{0, MeasurementKind::Angle, {{300, 200}, {200, 200}, {200, 50}}};
    QCOMPARE(measurementLabel(m, {}), QString("90.0°"));
    QCOMPARE(measurementReportLine(m, {}, "AP"), QString("Measurement: 90.0° (angle, AP image)"));
  }

  void cardiothoracicRatioOfTwoHorizontalExtents() {
    // Heart 120 px wide, thorax 250 px: only x counts, the clicks' heights do not.
    const Measurement m{0, MeasurementKind::CardiothoracicRatio, {{190, 400}, {310, 410}, {125, 300}, {375, 290}}};
    QCOMPARE(cardiothoracicRatio(m.points[0], m.points[1], m.points[2], m.points[3]), 0.48);
    QCOMPARE(measurementLabel(m, {}), QString("CTR 0.48"));
    QCOMPARE(measurementReportLine(m, {0.2, 0.2, SpacingSource::PixelSpacing}, "PA"),
             QString("Cardiothoracic ratio: 0.48"));
    // Clicked right to left: the same ratio.
    QCOMPARE(cardiothoracicRatio({310, 0}, {190, 0}, {375, 0}, {125, 0}), 0.48);
    QVERIFY(std::isnan(cardiothoracicRatio({0, 0}, {10, 0}, {5, 0}, {5, 9})));
  }

  void invalidPointsAreNamed() {
    QCOMPARE(QString::fromStdString(invalidMeasurementReason({0, MeasurementKind::Angle, {{1, 1}, {2, 2}}})),
             QString("points: 2 given, angle needs 3"));
    const std::string negative = invalidMeasurementReason({0, MeasurementKind::Distance, {{1, 1}, {-20, 2}}});
    QVERIFY2(negative.find("points[1]: negative coordinates") == 0, negative.c_str());
    const std::string outside = invalidMeasurementReason({0, MeasurementKind::Distance, {{1, 1}, {600, 2}}}, 512, 512);
    QVERIFY2(outside.find("points[1]: outside the 512 x 512 image") == 0, outside.c_str());
    QVERIFY(invalidMeasurementReason({0, MeasurementKind::Distance, {{0, 0}, {511, 511}}}, 512, 512).empty());
    QVERIFY(!invalidMeasurementReason({0, MeasurementKind::Distance, {{0, NAN}, {1, 1}}}).empty());
    QCOMPARE(measurementKindFromKey("ctr"), std::optional(MeasurementKind::CardiothoracicRatio));
    QVERIFY(!measurementKindFromKey("area"));
  }
};

QTEST_APPLESS_MAIN(TstMeasurements)
#include "tst_measurements.moc"
