#pragma once
// Draws an image's measurements (distance, angle, cardiothoracic ratio) over the image viewer and
// collects the clicks of the one being made. Points are image pixels, mapped to the view through
// the viewer's app::ViewState, so the drawing follows zoom and pan; the values and their text come
// from app/site/measurements. The overlay takes no mouse events itself: the viewer forwards them.
#include <QWidget>
#include <optional>
#include <vector>

#include "app/site/measurements.h"
#include "app/site/view_state.h"

namespace fedmrg::ui {

class MeasurementOverlay : public QWidget {
  Q_OBJECT

 public:
  // `state` is the viewer's and outlives the overlay.
  MeasurementOverlay(const app::ViewState& state, QWidget* parent);

  // The image's measurements and spacing (a new image, or the store's reload).
  void setMeasurements(std::vector<app::Measurement> measurements, const app::PixelSpacing& spacing);
  const std::vector<app::Measurement>& measurements() const { return measurements_; }
  const app::PixelSpacing& spacing() const { return spacing_; }
  void appendMeasurement(const app::Measurement& m);
  // Removes the selected measurement, else the last one; returns it (nothing when there is none).
  std::optional<app::Measurement> takeSelectedOrLast();
  // Selects the measurement drawn within a few pixels of `viewPoint`; false when none is.
  bool selectAt(QPointF viewPoint);
  int selected() const { return selected_; }

  // The tool in progress: its kind and the points clicked so far.
  void startTool(app::MeasurementKind kind);
  void cancelTool();
  std::optional<app::MeasurementKind> tool() const { return tool_; }
  const std::vector<app::Point2>& pendingPoints() const { return pending_; }
  // A click of the tool at an image point; returns the measurement once it has all its points
  // (the tool is then done and not yet stored: the viewer stores it and appends it).
  std::optional<app::Measurement> click(app::Point2 imagePoint);
  // Where the mouse is, in image pixels, for the rubber band of the tool in progress.
  void setHover(std::optional<app::Point2> imagePoint);

  // A line in the overlay that something went wrong (a stored row that cannot be shown, a failed
  // save); empty clears it.
  void setError(const QString& text);
  QString error() const { return error_; }
  // What the overlay says about the spacing while measuring ("no pixel spacing: length in pixels").
  QString warning() const;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void drawMeasurement(class QPainter& p, const app::Measurement& m, bool selected) const;
  QPointF toView(app::Point2 p) const;
  QString toolHint() const;

  const app::ViewState& state_;
  std::vector<app::Measurement> measurements_;
  app::PixelSpacing spacing_;
  int selected_ = -1;
  std::optional<app::MeasurementKind> tool_;
  std::vector<app::Point2> pending_;
  std::optional<app::Point2> hover_;
  QString error_;
};

}  // namespace fedmrg::ui
