#pragma once
// The study image view: a decoded study image (app::DisplayImage) as a VTK image actor with window/level, zoom, pan and invert
// driven by the mouse and keys, text overlays, and measurements (ui/measurement_overlay). The state
// and its rules live in app::ViewState, the measurements' in app/site/measurements.
#include <memory>
#include <vector>

#include <QLabel>
#include <vtkSmartPointer.h>

#include "app/site/display_image.h"
#include "app/site/measurements.h"
#include "app/site/view_state.h"
#include "ui/vtk_view_widget.h"

class vtkImageActor;
class vtkImageData;
class vtkRenderer;

namespace fedmrg::app {
class MeasurementStore;
}

namespace fedmrg::ui {

class MeasurementOverlay;

class ImageViewer : public VtkViewWidget {
  Q_OBJECT

 public:
  explicit ImageViewer(QWidget* parent = nullptr);
  ~ImageViewer() override;

  // Shows `image` with its default window, fit to the view.
  void setImage(std::shared_ptr<const app::DisplayImage> image);
  void clearImage();
  bool hasImage() const { return image_ != nullptr; }
  const app::DisplayImage* image() const { return image_.get(); }

  const app::ViewState& viewState() const { return state_; }
  // Shows the image with `state` (a linked viewer follows another's zoom, pan and window).
  void setViewState(const app::ViewState& state);
  void setWindow(const app::DisplayWindow& window);
  void applyPreset(const QString& name);
  void resetView();
  void toggleInvert();
  void zoomBy(double factor);
  // Moves the image by (dx, dy) image pixels (right and down).
  void panBy(double dxImagePixels, double dyImagePixels);
  // Fit: the whole image in the view, centered.
  void fitToView();
  // Actual pixels (1:1): one image pixel on one screen pixel, whatever the device pixel ratio.
  void actualPixels();
  // Overlays (patient, study, spacing, window) on or off.
  void setOverlaysVisible(bool visible);
  bool overlaysVisible() const { return overlaysVisible_; }

  // Measurements are kept in `store` per image (its SOP Instance UID) for the signed-in user and
  // shown again with the image; without a store they last while the image is shown.
  void setMeasurementStore(std::shared_ptr<app::MeasurementStore> store);
  // Starts a tool: the next left clicks place its points (Esc cancels).
  void startMeasurement(app::MeasurementKind kind);
  void cancelMeasurement();
  // Removes the selected measurement (a click on it selects it), else the newest; false when none.
  bool removeMeasurement();
  const std::vector<app::Measurement>& measurements() const;
  // The report's lines for the image's measurements, oldest first.
  QStringList measurementReportLines() const;
  MeasurementOverlay* measurementOverlay() const { return measurements_; }

 signals:
  void windowChanged(double center, double width);
  // Any change of window, zoom, pan or inversion (for a second viewer that follows this one).
  void viewChanged();
  void measurementsChanged();

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void paintGL() override;

 private:
  void applyState();
  // Windows the modality values into the 8-bit texture when the window or inversion changed.
  void updatePixels();
  void updateOverlays();
  void loadMeasurements();
  void addMeasurementPoint(QPointF viewPoint);

  std::shared_ptr<const app::DisplayImage> image_;
  app::ViewState state_;
  vtkSmartPointer<vtkRenderer> renderer_;
  vtkSmartPointer<vtkImageActor> actor_;
  vtkSmartPointer<vtkImageData> data_;
  app::DisplayWindow shownWindow_{0, -1};
  bool shownInvert_ = false;
  QLabel* topLeft_;
  QLabel* topRight_;
  QLabel* bottomLeft_;
  QLabel* bottomRight_;
  bool overlaysVisible_ = true;
  MeasurementOverlay* measurements_;
  std::shared_ptr<app::MeasurementStore> measurementStore_;
  Qt::MouseButton dragButton_ = Qt::NoButton;
  QPoint lastPos_;
  bool dragged_ = false;  // the mouse moved while pressed: not a click
};

}  // namespace fedmrg::ui
