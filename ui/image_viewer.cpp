#include "ui/image_viewer.h"

#include <QGridLayout>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "app/site/measurement_store.h"
#include "ui/measurement_overlay.h"

namespace fedmrg::ui {
namespace {

QLabel* overlayLabel(QWidget* parent, Qt::Alignment align) {
  auto* label = new QLabel(parent);
  label->setAttribute(Qt::WA_TransparentForMouseEvents);
  label->setTextFormat(Qt::PlainText);  // DICOM text (patient name, description) is never markup
  label->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Maximum);
  label->setAlignment(align);
  label->setStyleSheet(QStringLiteral("QLabel { color: #f0f0c0; background: rgba(0, 0, 0, 140); padding: 2px 4px; font-size: 11px; }"));
  return label;
}

QString dicomDate(const std::string& d) {
  return d.size() == 8 ? QString::fromStdString(d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2))
                       : QString::fromStdString(d);
}

}  // namespace

ImageViewer::ImageViewer(QWidget* parent) : VtkViewWidget(parent) {
  renderer_ = vtkSmartPointer<vtkRenderer>::New();
  renderer_->SetBackground(0, 0, 0);
  renderer_->GetActiveCamera()->ParallelProjectionOn();
  renderWindow()->AddRenderer(renderer_);

  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(8, 6, 8, 6);
  topLeft_ = overlayLabel(this, Qt::AlignLeft | Qt::AlignTop);
  topRight_ = overlayLabel(this, Qt::AlignRight | Qt::AlignTop);
  bottomLeft_ = overlayLabel(this, Qt::AlignLeft | Qt::AlignBottom);
  bottomRight_ = overlayLabel(this, Qt::AlignRight | Qt::AlignBottom);
  grid->addWidget(topLeft_, 0, 0, Qt::AlignLeft | Qt::AlignTop);
  grid->addWidget(topRight_, 0, 1, Qt::AlignRight | Qt::AlignTop);
  grid->addWidget(bottomLeft_, 1, 0, Qt::AlignLeft | Qt::AlignBottom);
  grid->addWidget(bottomRight_, 1, 1, Qt::AlignRight | Qt::AlignBottom);
  // Over the image, under the text overlays; sized with the viewer (resizeEvent), not by the grid.
  measurements_ = new MeasurementOverlay(state_, this);
  measurements_->lower();
  setMinimumSize(200, 200);
  setAccessibleName(tr("Image viewer"));
}

ImageViewer::~ImageViewer() = default;

void ImageViewer::setImage(std::shared_ptr<const app::DisplayImage> image) {
  if (!image || image->width <= 0 || image->height <= 0) {
    clearImage();
    return;
  }
  image_ = std::move(image);
  const int w = image_->width, h = image_->height;
  data_ = vtkSmartPointer<vtkImageData>::New();
  data_->SetDimensions(w, h, 1);
  data_->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  const auto [lo, hi] = std::minmax_element(image_->values.begin(), image_->values.end());
  if (!actor_) {
    actor_ = vtkSmartPointer<vtkImageActor>::New();
    actor_->InterpolateOn();
    renderer_->AddActor(actor_);
  }
  actor_->SetInputData(data_);
  auto* prop = actor_->GetProperty();
  prop->SetInterpolationTypeToLinear();
  // The pixels are windowed here (one pass, no float texture): VTK shows the bytes as they are.
  prop->SetColorWindow(255);
  prop->SetColorLevel(127.5);
  actor_->VisibilityOn();
  shownWindow_ = {0, -1};
  state_.reset(image_->defaultWindow, image_->invert, *lo, *hi);
  state_.setImageSize(w, h);
  state_.setViewport(width(), height(), devicePixelRatioF());
  loadMeasurements();
  applyState();
}

void ImageViewer::updatePixels() {
  const app::DisplayWindow w = state_.window();
  const bool invert = state_.invert();
  if (w.center == shownWindow_.center && w.width == shownWindow_.width && invert == shownInvert_) return;
  shownWindow_ = w;
  shownInvert_ = invert;
  const int width = image_->width, height = image_->height;
  // The app's value -> grey rule (MONOCHROME1 and the user's invert included); rows flipped (DICOM
  // goes top-down, VTK's y goes up).
  const app::GreyMapping grey = state_.greyMapping();
  auto* dst = static_cast<uint8_t*>(data_->GetScalarPointer());
  for (int y = 0; y < height; ++y) {
    const float* src = image_->values.data() + size_t(y) * size_t(width);
    uint8_t* row = dst + size_t(height - 1 - y) * size_t(width);
    for (int x = 0; x < width; ++x) row[x] = grey(src[x]);
  }
  data_->Modified();
}

void ImageViewer::clearImage() {
  image_.reset();
  measurements_->setMeasurements({}, {});
  measurements_->setError({});
  if (actor_) actor_->VisibilityOff();
  updateOverlays();
  requestRender();
}

void ImageViewer::setWindow(const app::DisplayWindow& window) {
  state_.setWindow(window);
  applyState();
}

void ImageViewer::setViewState(const app::ViewState& state) {
  state_ = state;
  applyState();
}

void ImageViewer::applyPreset(const QString& name) {
  if (image_ && state_.applyPreset(name.toStdString())) applyState();
}

void ImageViewer::resetView() {
  if (!image_) return;
  const auto [lo, hi] = std::minmax_element(image_->values.begin(), image_->values.end());
  state_.reset(image_->defaultWindow, image_->invert, *lo, *hi);
  applyState();
}

void ImageViewer::toggleInvert() {
  state_.toggleInvert();
  applyState();
}

void ImageViewer::zoomBy(double factor) {
  state_.zoomBy(factor);
  applyState();
}

void ImageViewer::panBy(double dxImagePixels, double dyImagePixels) {
  state_.panBy(dxImagePixels, dyImagePixels);
  applyState();
}

void ImageViewer::fitToView() {
  state_.fit();
  applyState();
}

void ImageViewer::actualPixels() {
  if (!image_) return;
  state_.actualPixels();
  applyState();
}

void ImageViewer::setOverlaysVisible(bool visible) {
  overlaysVisible_ = visible;
  updateOverlays();
}

void ImageViewer::applyState() {
  if (!image_ || !actor_) {
    requestRender();
    return;
  }
  // The camera shows what app::ViewState maps: its view-center image point in the middle, at its
  // magnification (device pixels per image pixel). VTK's y goes up, the image's rows go down.
  const app::Point2 c = state_.viewCenterInImage();
  auto* camera = renderer_->GetActiveCamera();
  const double cx = c.x, cy = (image_->height - 1) - c.y;
  camera->SetFocalPoint(cx, cy, 0);
  camera->SetPosition(cx, cy, 1000);
  camera->SetViewUp(0, 1, 0);
  // Parallel scale: half the view's height in world units (image pixels).
  camera->SetParallelScale(height() * devicePixelRatioF() / 2.0 / state_.magnification());
  renderer_->ResetCameraClippingRange();
  updateOverlays();
  measurements_->update();
  requestRender();
  emit windowChanged(state_.window().center, state_.window().width);
  emit viewChanged();
}

void ImageViewer::paintGL() {
  // Windowing runs once per frame, not once per mouse event of a drag.
  if (image_ && data_) updatePixels();
  VtkViewWidget::paintGL();
}

void ImageViewer::updateOverlays() {
  for (QLabel* l : {topLeft_, topRight_, bottomLeft_, bottomRight_}) l->setVisible(overlaysVisible_ && image_);
  if (!image_) return;
  const auto& m = image_->info;
  topLeft_->setText(QStringLiteral("%1\n%2  %3 %4")
                        .arg(QString::fromStdString(m.patientName).replace('^', ' '),
                             QString::fromStdString(m.patientId), QString::fromStdString(m.patientSex),
                             QString::fromStdString(m.patientAge)));
  topRight_->setText(QStringLiteral("%1\n%2 %3 %4")
                         .arg(QString::fromStdString(m.studyDescription), dicomDate(m.studyDate),
                              QString::fromStdString(m.modality), QString::fromStdString(m.viewPosition)));
  bottomLeft_->setText(tr("W %1  L %2%3\nZoom %4%")
                           .arg(std::lround(state_.window().width))
                           .arg(std::lround(state_.window().center))
                           .arg(state_.invert() != state_.imageInverted() ? tr("  inverted") : QString())
                           .arg(std::lround(state_.magnification() * 100)));
  bottomRight_->setText(m.pixelSpacingRow > 0
                            ? tr("%1 x %2 px\n%3 x %4 mm/px%5")
                                  .arg(image_->width)
                                  .arg(image_->height)
                                  .arg(m.pixelSpacingRow, 0, 'f', 3)
                                  .arg(m.pixelSpacingColumn, 0, 'f', 3)
                                  .arg(m.spacingSource == app::SpacingSource::ImagerPixelSpacing ? tr(" (imager)")
                                                                                                  : QString())
                            : tr("%1 x %2 px\nno pixel spacing").arg(image_->width).arg(image_->height));
}

void ImageViewer::mousePressEvent(QMouseEvent* event) {
  if (image_ && measurements_->tool() && event->button() == Qt::LeftButton) {
    addMeasurementPoint(event->position());
    event->accept();
    return;
  }
  dragButton_ = event->button();
  lastPos_ = event->position().toPoint();
  dragged_ = false;
  event->accept();
}

void ImageViewer::mouseMoveEvent(QMouseEvent* event) {
  if (image_ && measurements_->tool()) {
    const app::Point2 p = state_.viewToImage({event->position().x(), event->position().y()});
    measurements_->setHover(p);
  }
  if (!image_ || dragButton_ == Qt::NoButton) return;
  const QPoint pos = event->position().toPoint();
  const QPoint d = pos - lastPos_;
  lastPos_ = pos;
  if (d.isNull()) return;
  dragged_ = true;
  if (dragButton_ == Qt::LeftButton && !(event->modifiers() & Qt::ShiftModifier)) {
    state_.dragWindow(d.x(), d.y());
  } else if (dragButton_ == Qt::RightButton) {
    state_.zoomBy(std::pow(1.01, -d.y()));
  } else {  // middle button or shift + left: pan
    state_.panByView(d.x(), d.y());
  }
  applyState();
}

void ImageViewer::mouseReleaseEvent(QMouseEvent* event) {
  // A left click without a drag selects the measurement under it (for Delete).
  if (image_ && dragButton_ == Qt::LeftButton && !dragged_) measurements_->selectAt(event->position());
  dragButton_ = Qt::NoButton;
}

void ImageViewer::wheelEvent(QWheelEvent* event) {
  if (!image_) return;
  state_.zoomBy(std::pow(1.1, event->angleDelta().y() / 120.0));
  applyState();
}

void ImageViewer::keyPressEvent(QKeyEvent* event) {
  if (!image_) return VtkViewWidget::keyPressEvent(event);
  switch (event->key()) {
    case Qt::Key_1:
      if (event->modifiers() & Qt::ControlModifier) actualPixels();
      else applyPreset(QStringLiteral("lung"));
      break;
    case Qt::Key_2: applyPreset(QStringLiteral("mediastinum")); break;
    case Qt::Key_3: applyPreset(QStringLiteral("bone")); break;
    case Qt::Key_R: resetView(); break;
    case Qt::Key_I: toggleInvert(); break;
    case Qt::Key_F: fitToView(); break;
    case Qt::Key_Escape:
      if (!measurements_->tool()) return VtkViewWidget::keyPressEvent(event);
      cancelMeasurement();
      break;
    case Qt::Key_Delete: removeMeasurement(); break;
    case Qt::Key_Plus: case Qt::Key_Equal: zoomBy(1.25); break;
    case Qt::Key_Minus: zoomBy(0.8); break;
    case Qt::Key_O: setOverlaysVisible(!overlaysVisible_); break;
    default: VtkViewWidget::keyPressEvent(event); return;
  }
  event->accept();
}

void ImageViewer::resizeEvent(QResizeEvent* event) {
  VtkViewWidget::resizeEvent(event);
  measurements_->setGeometry(rect());
  state_.setViewport(width(), height(), devicePixelRatioF());
  if (image_) applyState();
}

void ImageViewer::setMeasurementStore(std::shared_ptr<app::MeasurementStore> store) {
  measurementStore_ = std::move(store);
  loadMeasurements();
}

void ImageViewer::loadMeasurements() {
  if (!image_) return;
  measurements_->setError({});
  const app::PixelSpacing spacing = app::PixelSpacing::of(image_->info);
  if (!measurementStore_) {
    measurements_->setMeasurements({}, spacing);
    emit measurementsChanged();
    return;
  }
  try {
    auto loaded = measurementStore_->load(image_->info.sopInstanceUid);
    measurements_->setMeasurements(std::move(loaded.measurements), spacing);
    if (!loaded.errors.empty())
      measurements_->setError(tr("%1 stored measurement(s) cannot be shown: %2")
                                  .arg(loaded.errors.size())
                                  .arg(QString::fromStdString(loaded.errors.front())));
  } catch (const std::exception& e) {
    measurements_->setMeasurements({}, spacing);
    measurements_->setError(tr("Measurements could not be read: %1").arg(QString::fromUtf8(e.what())));
  }
  emit measurementsChanged();
}

void ImageViewer::startMeasurement(app::MeasurementKind kind) {
  if (!image_) return;
  measurements_->startTool(kind);
  setMouseTracking(true);  // the rubber band follows the mouse between clicks
  setFocus();
}

void ImageViewer::cancelMeasurement() {
  measurements_->cancelTool();
  setMouseTracking(false);
}

void ImageViewer::addMeasurementPoint(QPointF viewPoint) {
  auto done = measurements_->click(state_.viewToImage({viewPoint.x(), viewPoint.y()}));
  if (!done) return;
  setMouseTracking(false);
  try {
    if (measurementStore_) done = measurementStore_->add(image_->info.sopInstanceUid, *done);
    measurements_->appendMeasurement(*done);
    measurements_->setError({});
  } catch (const std::exception& e) {
    measurements_->setError(tr("The measurement was not saved: %1").arg(QString::fromUtf8(e.what())));
  }
  emit measurementsChanged();
}

bool ImageViewer::removeMeasurement() {
  if (measurements_->tool()) {
    cancelMeasurement();
    return true;
  }
  const auto removed = measurements_->takeSelectedOrLast();
  if (!removed) return false;
  try {
    if (measurementStore_ && removed->id) measurementStore_->remove(removed->id);
  } catch (const std::exception& e) {
    measurements_->appendMeasurement(*removed);  // still stored: still shown
    measurements_->setError(tr("The measurement was not removed: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
  emit measurementsChanged();
  return true;
}

const std::vector<app::Measurement>& ImageViewer::measurements() const { return measurements_->measurements(); }

QStringList ImageViewer::measurementReportLines() const {
  QStringList lines;
  if (!image_) return lines;
  const QString view = QString::fromStdString(image_->info.viewPosition);
  for (const auto& m : measurements()) lines << app::measurementReportLine(m, measurements_->spacing(), view);
  return lines;
}

}  // namespace fedmrg::ui
