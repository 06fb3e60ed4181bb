#pragma once
// The study image view: a decoded study image (app::DisplayImage) as a VTK image actor with window/level, zoom, pan and invert
// driven by the mouse and keys, and text overlays. The state and its rules live in app::ViewState.
#include <memory>

#include <QLabel>
#include <vtkSmartPointer.h>

#include "app/site/display_image.h"
#include "app/site/view_state.h"
#include "ui/vtk_view_widget.h"

class vtkImageActor;
class vtkImageData;
class vtkRenderer;

namespace fedmrg::ui {

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
  void setWindow(const app::DisplayWindow& window);
  void applyPreset(const QString& name);
  void resetView();
  // Zoom to fit, centred; the window is kept (the F key, Ctrl+0 application-wide).
  void fitToView();
  void toggleInvert();
  void zoomBy(double factor);
  // Overlays (patient, study, spacing, window) on or off.
  void setOverlaysVisible(bool visible);
  bool overlaysVisible() const { return overlaysVisible_; }

 signals:
  void windowChanged(double center, double width);

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
  Qt::MouseButton dragButton_ = Qt::NoButton;
  QPoint lastPos_;
};

}  // namespace fedmrg::ui
