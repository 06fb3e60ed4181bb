#include "app/site/measurements.h"

#include <QCoreApplication>
#include <cmath>
#include <limits>

namespace fedmrg::app {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;

QString tr(const char* text) { return QCoreApplication::translate("Measurements", text); }

QString kindName(MeasurementKind kind) {
  switch (kind) {
    case MeasurementKind::Distance: return tr("distance");
    case MeasurementKind::Angle: return tr("angle");
    case MeasurementKind::CardiothoracicRatio: return tr("cardiothoracic ratio");
  }
  return {};
}

}  // namespace

const char* measurementKindKey(MeasurementKind kind) {
  switch (kind) {
    case MeasurementKind::Distance: return "distance";
    case MeasurementKind::Angle: return "angle";
    case MeasurementKind::CardiothoracicRatio: return "ctr";
  }
  return "";
}

std::optional<MeasurementKind> measurementKindFromKey(const std::string& key) {
  for (auto k : {MeasurementKind::Distance, MeasurementKind::Angle, MeasurementKind::CardiothoracicRatio})
    if (key == measurementKindKey(k)) return k;
  return std::nullopt;
}

int pointsNeeded(MeasurementKind kind) {
  switch (kind) {
    case MeasurementKind::Distance: return 2;
    case MeasurementKind::Angle: return 3;
    case MeasurementKind::CardiothoracicRatio: return 4;
  }
  return 0;
}

std::string invalidMeasurementReason(const Measurement& m, int width, int height) {
  const int needed = pointsNeeded(m.kind);
  if (int(m.points.size()) != needed)
    return "points: " + std::to_string(m.points.size()) + " given, " + measurementKindKey(m.kind) + " needs " +
           std::to_string(needed);
  for (size_t i = 0; i < m.points.size(); ++i) {
    const Point2 p = m.points[i];
    const std::string which = "points[" + std::to_string(i) + "]: ";
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return which + "not a finite number";
    // Half a pixel beyond the outer pixel centers is still on the image.
    if (p.x < -0.5 || p.y < -0.5)
      return which + "negative coordinates (" + std::to_string(p.x) + ", " + std::to_string(p.y) + ")";
    if ((width > 0 && p.x > width - 0.5) || (height > 0 && p.y > height - 0.5))
      return which + "outside the " + std::to_string(width) + " x " + std::to_string(height) + " image";
  }
  return {};
}

PixelSpacing PixelSpacing::of(const DisplayImageInfo& info) {
  if (info.pixelSpacingRow <= 0 || info.pixelSpacingColumn <= 0) return {};
  const SpacingSource source =
      info.spacingSource == SpacingSource::None ? SpacingSource::PixelSpacing : info.spacingSource;
  return {info.pixelSpacingRow, info.pixelSpacingColumn, source};
}

double lengthPixels(Point2 a, Point2 b) { return std::hypot(b.x - a.x, b.y - a.y); }

double lengthMm(Point2 a, Point2 b, const PixelSpacing& spacing) {
  if (!spacing.known()) return kNaN;
  // Columns are apart horizontally, rows vertically: the spacing need not be square.
  return std::hypot((b.x - a.x) * spacing.column, (b.y - a.y) * spacing.row);
}

double angleDegrees(Point2 a, Point2 vertex, Point2 b) {
  const double ax = a.x - vertex.x, ay = a.y - vertex.y, bx = b.x - vertex.x, by = b.y - vertex.y;
  if ((ax == 0 && ay == 0) || (bx == 0 && by == 0)) return kNaN;
  // atan2 of cross and dot: accurate near 0 and 180 degrees, where acos is not.
  return std::abs(std::atan2(ax * by - ay * bx, ax * bx + ay * by)) * 180.0 / kPi;
}

double cardiothoracicRatio(Point2 heartLeft, Point2 heartRight, Point2 thoraxLeft, Point2 thoraxRight) {
  const double thorax = std::abs(thoraxRight.x - thoraxLeft.x);
  if (thorax <= 0) return kNaN;
  return std::abs(heartRight.x - heartLeft.x) / thorax;
}

QString measurementLabel(const Measurement& m, const PixelSpacing& spacing) {
  if (!invalidMeasurementReason(m).empty()) return tr("invalid");
  const auto& p = m.points;
  switch (m.kind) {
    case MeasurementKind::Distance:
      return spacing.known() ? tr("%1 mm").arg(lengthMm(p[0], p[1], spacing), 0, 'f', 1)
                             : tr("%1 px").arg(lengthPixels(p[0], p[1]), 0, 'f', 1);
    case MeasurementKind::Angle: return tr("%1°").arg(angleDegrees(p[0], p[1], p[2]), 0, 'f', 1);
    case MeasurementKind::CardiothoracicRatio:
      return tr("CTR %1").arg(cardiothoracicRatio(p[0], p[1], p[2], p[3]), 0, 'f', 2);
  }
  return {};
}

QString measurementReportLine(const Measurement& m, const PixelSpacing& spacing, const QString& viewPosition) {
  const QString view = viewPosition.isEmpty() ? tr("image") : tr("%1 image").arg(viewPosition);
  if (m.kind == MeasurementKind::CardiothoracicRatio && invalidMeasurementReason(m).empty())
    return tr("Cardiothoracic ratio: %1")
        .arg(cardiothoracicRatio(m.points[0], m.points[1], m.points[2], m.points[3]), 0, 'f', 2);
  const bool inPixels = m.kind == MeasurementKind::Distance && !spacing.known();
  return tr("Measurement: %1 (%2, %3%4)")
      .arg(measurementLabel(m, spacing), kindName(m.kind), view, inPixels ? tr("; no pixel spacing") : QString());
}

QString spacingWarning(const PixelSpacing& spacing) {
  if (!spacing.known()) return tr("no pixel spacing: length in pixels");
  if (spacing.source == SpacingSource::ImagerPixelSpacing)
    return tr("spacing from Imager Pixel Spacing (at the detector, not corrected for magnification)");
  return {};
}

}  // namespace fedmrg::app
