#include "ui/measurement_overlay.h"

#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace fedmrg::ui {
namespace {

const QColor kLine(255, 210, 40);
const QColor kSelected(80, 220, 255);
const QColor kPending(255, 140, 40);

double distanceToSegment(QPointF p, QPointF a, QPointF b) {
  const QPointF ab = b - a;
  const double len2 = QPointF::dotProduct(ab, ab);
  const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
  const QPointF d = p - (a + t * ab);
  return std::hypot(d.x(), d.y());
}

// Text with a dark outline, readable on any grey.
void drawLabel(QPainter& p, QPointF at, const QString& text, const QColor& color) {
  QPainterPath path;
  path.addText(at, p.font(), text);
  p.setPen(QPen(QColor(0, 0, 0, 200), 3));
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
  p.fillPath(path, color);
}

}  // namespace

MeasurementOverlay::MeasurementOverlay(const app::ViewState& state, QWidget* parent) : QWidget(parent), state_(state) {
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setAttribute(Qt::WA_NoSystemBackground);
  setAttribute(Qt::WA_TranslucentBackground);
}

void MeasurementOverlay::setMeasurements(std::vector<app::Measurement> measurements, const app::PixelSpacing& spacing) {
  measurements_ = std::move(measurements);
  spacing_ = spacing;
  selected_ = -1;
  cancelTool();
  update();
}

void MeasurementOverlay::appendMeasurement(const app::Measurement& m) {
  measurements_.push_back(m);
  selected_ = -1;
  update();
}

std::optional<app::Measurement> MeasurementOverlay::takeSelectedOrLast() {
  if (measurements_.empty()) return std::nullopt;
  const size_t i =
      selected_ >= 0 && selected_ < int(measurements_.size()) ? size_t(selected_) : measurements_.size() - 1;
  app::Measurement m = measurements_[i];
  measurements_.erase(measurements_.begin() + std::ptrdiff_t(i));
  selected_ = -1;
  update();
  return m;
}

bool MeasurementOverlay::selectAt(QPointF viewPoint) {
  constexpr double kReach = 6.0;  // logical pixels
  int hit = -1;
  for (int i = 0; i < int(measurements_.size()) && hit < 0; ++i) {
    const auto& pts = measurements_[size_t(i)].points;
    for (size_t k = 0; k + 1 < pts.size();
         k += (measurements_[size_t(i)].kind == app::MeasurementKind::CardiothoracicRatio ? 2 : 1))
      if (distanceToSegment(viewPoint, toView(pts[k]), toView(pts[k + 1])) <= kReach) hit = i;
  }
  selected_ = hit;
  update();
  return hit >= 0;
}

void MeasurementOverlay::startTool(app::MeasurementKind kind) {
  tool_ = kind;
  pending_.clear();
  hover_.reset();
  update();
}

void MeasurementOverlay::cancelTool() {
  tool_.reset();
  pending_.clear();
  hover_.reset();
  update();
}

std::optional<app::Measurement> MeasurementOverlay::click(app::Point2 imagePoint) {
  if (!tool_) return std::nullopt;
  pending_.push_back(imagePoint);
  update();
  if (int(pending_.size()) < app::pointsNeeded(*tool_)) return std::nullopt;
  app::Measurement m{0, *tool_, pending_};
  cancelTool();
  return m;
}

void MeasurementOverlay::setHover(std::optional<app::Point2> imagePoint) {
  hover_ = imagePoint;
  if (tool_) update();
}

void MeasurementOverlay::setError(const QString& text) {
  error_ = text;
  update();
}

QString MeasurementOverlay::warning() const { return app::spacingWarning(spacing_); }

QPointF MeasurementOverlay::toView(app::Point2 p) const {
  const app::Point2 v = state_.imageToView(p);
  return {v.x, v.y};
}

QString MeasurementOverlay::toolHint() const {
  if (!tool_) return {};
  const int n = int(pending_.size());
  switch (*tool_) {
    case app::MeasurementKind::Distance:
      return n == 0 ? tr("Distance: click the first end") : tr("Distance: click the second end");
    case app::MeasurementKind::Angle:
      return n == 0   ? tr("Angle: click a point on the first arm")
             : n == 1 ? tr("Angle: click the vertex")
                      : tr("Angle: click a point on the second arm");
    case app::MeasurementKind::CardiothoracicRatio:
      return n < 2 ? tr("CTR: click the heart's left and right borders (%1 of 2)").arg(n + 1)
                   : tr("CTR: click the thorax's left and right inner margins (%1 of 2)").arg(n - 1);
  }
  return {};
}

void MeasurementOverlay::drawMeasurement(QPainter& p, const app::Measurement& m, bool selected) const {
  const QColor color = selected ? kSelected : kLine;
  p.setPen(QPen(color, selected ? 2.5 : 1.5));
  p.setBrush(Qt::NoBrush);
  const auto& pts = m.points;
  auto tick = [&](QPointF at, bool vertical) {
    const QPointF d = vertical ? QPointF(0, 5) : QPointF(5, 0);
    p.drawLine(at - d, at + d);
  };
  const QString label = app::measurementLabel(m, spacing_);
  switch (m.kind) {
    case app::MeasurementKind::Distance: {
      const QPointF a = toView(pts[0]), b = toView(pts[1]);
      p.drawLine(a, b);
      tick(a, std::abs(b.x() - a.x()) >= std::abs(b.y() - a.y()));
      tick(b, std::abs(b.x() - a.x()) >= std::abs(b.y() - a.y()));
      drawLabel(p, b + QPointF(6, -6), label, color);
      break;
    }
    case app::MeasurementKind::Angle: {
      const QPointF a = toView(pts[0]), v = toView(pts[1]), b = toView(pts[2]);
      p.drawLine(v, a);
      p.drawLine(v, b);
      drawLabel(p, v + QPointF(8, -8), label, color);
      break;
    }
    case app::MeasurementKind::CardiothoracicRatio: {
      // Two horizontal extents: only their x counts, drawn at the height of their first click.
      for (size_t k = 0; k < 4; k += 2) {
        const QPointF a = toView(pts[k]);
        const QPointF b(toView(pts[k + 1]).x(), a.y());
        p.drawLine(a, b);
        tick(a, true);
        tick(b, true);
      }
      // Above the middle of the thoracic line: the lines reach the image's sides, the label must not.
      const QPointF thorax = (toView(pts[2]) + QPointF(toView(pts[3]).x(), toView(pts[2]).y())) / 2;
      drawLabel(p, thorax + QPointF(-p.fontMetrics().horizontalAdvance(label) / 2.0, -8), label, color);
      break;
    }
  }
}

void MeasurementOverlay::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  QFont font = p.font();
  font.setPixelSize(14);
  font.setBold(true);
  p.setFont(font);
  for (int i = 0; i < int(measurements_.size()); ++i) drawMeasurement(p, measurements_[size_t(i)], i == selected_);
  if (tool_) {
    p.setPen(QPen(kPending, 1.5, Qt::DashLine));
    std::vector<QPointF> pts;
    for (const auto& ip : pending_) pts.push_back(toView(ip));
    if (hover_) pts.push_back(toView(*hover_));
    for (size_t k = 0; k + 1 < pts.size(); ++k)
      if (!(*tool_ == app::MeasurementKind::CardiothoracicRatio && k % 2 == 1)) p.drawLine(pts[k], pts[k + 1]);
    for (const QPointF& q : pts) p.drawEllipse(q, 3, 3);
  }
  // Messages at the top center, below the patient overlay's first line: tool hint, spacing, errors.
  QStringList lines;
  if (tool_) lines << toolHint();
  if ((tool_ || !measurements_.empty()) && !warning().isEmpty()) lines << warning();
  if (!error_.isEmpty()) lines << error_;
  font.setPixelSize(12);
  p.setFont(font);
  double y = 44;
  for (const QString& line : lines) {
    const double w = p.fontMetrics().horizontalAdvance(line);
    const bool isError = line == error_;
    drawLabel(p, QPointF((width() - w) / 2, y), line, isError ? QColor(255, 110, 110) : QColor(255, 230, 150));
    y += 16;
  }
}

}  // namespace fedmrg::ui
