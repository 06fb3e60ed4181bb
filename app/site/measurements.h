#pragma once
// Measurements on a study image: distance, angle and the cardiothoracic ratio. Their points are in
// image pixels, so they follow zoom and pan; lengths turn into mm through the image's pixel spacing.
// The geometry and the text shown on the image and written into the report live here, testable
// without widgets; ui/measurement_overlay draws them and takes the clicks.
#include <QString>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/site/display_image.h"
#include "app/site/view_state.h"

namespace fedmrg::app {

enum class MeasurementKind { Distance, Angle, CardiothoracicRatio };

// The stored names: "distance", "angle", "ctr".
const char* measurementKindKey(MeasurementKind kind);
std::optional<MeasurementKind> measurementKindFromKey(const std::string& key);
// Clicks a measurement takes: distance 2 (the ends), angle 3 (the vertex second), cardiothoracic
// ratio 4 (the heart's widest extent left and right, then the thorax's inner margins).
int pointsNeeded(MeasurementKind kind);

struct Measurement {
  int64_t id = 0;  // the store's row; 0 until stored
  MeasurementKind kind = MeasurementKind::Distance;
  std::vector<Point2> points;  // image pixels
};

// Why `m` cannot be a measurement on an image of `width` x `height` pixels (0: size unknown, not
// checked), naming the field: "points: 3 given, a distance has 2"; empty when it is valid.
std::string invalidMeasurementReason(const Measurement& m, int width = 0, int height = 0);

// mm per pixel between rows (vertical) and between columns (horizontal), and where it came from.
struct PixelSpacing {
  double row = 0, column = 0;
  SpacingSource source = SpacingSource::None;
  bool known() const { return source != SpacingSource::None && row > 0 && column > 0; }
  static PixelSpacing of(const DisplayImageInfo& info);
};

double lengthPixels(Point2 a, Point2 b);
// The length in mm; NaN when the spacing is unknown.
double lengthMm(Point2 a, Point2 b, const PixelSpacing& spacing);
// The angle at `vertex` between the rays to `a` and `b`, 0..180 degrees; NaN when a ray is empty.
double angleDegrees(Point2 a, Point2 vertex, Point2 b);
// Heart width / thoracic width from two horizontal extents (only x counts); NaN for no thorax.
double cardiothoracicRatio(Point2 heartLeft, Point2 heartRight, Point2 thoraxLeft, Point2 thoraxRight);

// The value as the image shows it: "54.2 mm", "250.0 px" (no spacing), "90.0°", "CTR 0.48".
QString measurementLabel(const Measurement& m, const PixelSpacing& spacing);
// The line for the report: "Measurement: 54.2 mm (distance, PA image)",
// "Measurement: 90.0° (angle, PA image)", "Cardiothoracic ratio: 0.48".
QString measurementReportLine(const Measurement& m, const PixelSpacing& spacing, const QString& viewPosition);
// What the image should say about its spacing when measuring: "no pixel spacing: length in
// pixels", a note when the spacing is the detector's (Imager Pixel Spacing), else empty.
QString spacingWarning(const PixelSpacing& spacing);

}  // namespace fedmrg::app
