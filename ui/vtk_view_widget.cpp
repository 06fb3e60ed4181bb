#include "ui/vtk_view_widget.h"

#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QScopedValueRollback>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleUser.h>
#include <vtkNew.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>

namespace fedmrg::ui {

QSurfaceFormat VtkViewWidget::defaultFormat() {
  QSurfaceFormat fmt;
  fmt.setRenderableType(QSurfaceFormat::OpenGL);
  fmt.setVersion(3, 2);
  fmt.setProfile(QSurfaceFormat::CoreProfile);
  fmt.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  fmt.setRedBufferSize(8);
  fmt.setGreenBufferSize(8);
  fmt.setBlueBufferSize(8);
  fmt.setAlphaBufferSize(8);
  fmt.setDepthBufferSize(8);
  fmt.setStencilBufferSize(0);
  fmt.setSamples(0);
  return fmt;
}

VtkViewWidget::VtkViewWidget(QWidget* parent) : QOpenGLWidget(parent) {
  setFormat(defaultFormat());
  window_ = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
  interactor_ = vtkSmartPointer<vtkGenericRenderWindowInteractor>::New();
  window_->SetMultiSamples(0);
  window_->SetInteractor(interactor_);
  // Interaction is handled in Qt by the widgets built on this one; VTK's own style stays inert.
  vtkNew<vtkInteractorStyleUser> style;
  interactor_->SetInteractorStyle(style);
  for (unsigned long ev : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                           vtkCommand::WindowFrameEvent})
    window_->AddObserver(ev, this, &VtkViewWidget::onVtkEvent);
  setFocusPolicy(Qt::StrongFocus);
}

VtkViewWidget::~VtkViewWidget() {
  makeCurrent();
  window_->RemoveAllObservers();
  window_->Finalize();  // releases VTK's GL resources while our context is current
  doneCurrent();
}

vtkGenericOpenGLRenderWindow* VtkViewWidget::renderWindow() const { return window_; }
vtkGenericRenderWindowInteractor* VtkViewWidget::interactor() const { return interactor_; }

void VtkViewWidget::requestRender() {
  needRender_ = true;
  update();
}

void VtkViewWidget::onVtkEvent(vtkObject*, unsigned long eventId, void* callData) {
  switch (eventId) {
    case vtkCommand::WindowMakeCurrentEvent:
      // Never QOpenGLWidget::makeCurrent() here: it would re-bind the widget's framebuffer behind
      // VTK's GL state cache in the middle of a render and every later frame would be lost.
      if (context() && QOpenGLContext::currentContext() != context()) context()->makeCurrent(context()->surface());
      break;
    case vtkCommand::WindowIsCurrentEvent: {
      auto* current = QOpenGLContext::currentContext();
      *static_cast<bool*>(callData) = current && current == context();
      break;
    }
    case vtkCommand::WindowFrameEvent:
      needRender_ = false;
      if (!inPaint_) update();
      break;
    default:
      break;
  }
}

void VtkViewWidget::initializeGL() {
  window_->SetReadyForRendering(false);
  window_->SetForceMaximumHardwareLineWidth(1);
  window_->SetOwnContext(0);
  window_->SetUseOffScreenBuffers(false);
  window_->SetFrameBlitModeToNoBlit();  // paintGL blits
  window_->SetReadyForRendering(true);
  window_->OpenGLInitContext();
  const qreal dpr = devicePixelRatioF();
  window_->SetSize(int(width() * dpr), int(height() * dpr));
  if (!interactor_->GetInitialized()) interactor_->Initialize();
  initialized_ = true;
  needRender_ = true;
}

void VtkViewWidget::resizeGL(int w, int h) {
  const qreal dpr = devicePixelRatioF();
  interactor_->UpdateSize(int(w * dpr), int(h * dpr));
  window_->SetSize(int(w * dpr), int(h * dpr));
  needRender_ = true;
}

void VtkViewWidget::paintGL() {
  if (!initialized_ || !context()) return;
  QScopedValueRollback<bool> guard(inPaint_, true);
  const bool rendering = needRender_;
  if (rendering) interactor_->Render();  // VTK draws into its own framebuffers
  needRender_ = false;
  makeCurrent();  // here re-binding the widget framebuffer is right
  QOpenGLExtraFunctions* f = context()->extraFunctions();
  const qreal dpr = devicePixelRatioF();
  const int dw = int(width() * dpr), dh = int(height() * dpr);
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  const GLenum buffers[1] = {GL_COLOR_ATTACHMENT0};
  f->glDrawBuffers(1, buffers);
  const GLboolean scissor = f->glIsEnabled(GL_SCISSOR_TEST);
  if (scissor) {
    window_->GetState()->vtkglDisable(GL_SCISSOR_TEST);
    f->glDisable(GL_SCISSOR_TEST);
  }
  int* size = window_->GetRenderFramebuffer()->GetLastSize();
  window_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, dw, dh, GL_COLOR_BUFFER_BIT, GL_LINEAR);
  f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);  // opaque alpha (Mesa would blend)
  f->glClearColor(0, 0, 0, 1);
  f->glClear(GL_COLOR_BUFFER_BIT);
  f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  if (scissor) {
    window_->GetState()->vtkglEnable(GL_SCISSOR_TEST);
    f->glEnable(GL_SCISSOR_TEST);
  }
  if (rendering) {
    ++renderCount_;
    emit rendered();
  }
}

}  // namespace fedmrg::ui
