#pragma once
// A Qt6 QOpenGLWidget that hosts a VTK render window (Debian's VTK Qt module is Qt5-only).
#include <QOpenGLWidget>
#include <QSurfaceFormat>
#include <vtkSmartPointer.h>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkObject;

namespace fedmrg::ui {

class VtkViewWidget : public QOpenGLWidget {
  Q_OBJECT

 public:
  explicit VtkViewWidget(QWidget* parent = nullptr);
  ~VtkViewWidget() override;

  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkGenericRenderWindowInteractor* interactor() const;
  // Re-renders the VTK scene at the next paint; call after changing it.
  void requestRender();
  // The surface format VTK needs; set it as the default before QApplication exists.
  static QSurfaceFormat defaultFormat();
  int renderCount() const { return renderCount_; }

 signals:
  void rendered();

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;

 private:
  void onVtkEvent(vtkObject* caller, unsigned long eventId, void* callData);
  vtkSmartPointer<vtkGenericOpenGLRenderWindow> window_;
  vtkSmartPointer<vtkGenericRenderWindowInteractor> interactor_;
  bool initialized_ = false;
  bool inPaint_ = false;
  bool needRender_ = true;
  int renderCount_ = 0;
};

}  // namespace fedmrg::ui
