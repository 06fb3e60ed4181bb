// The image viewer under Xvfb with real DICOM files: a MONOCHROME1 film and its MONOCHROME2 copy
// render the same pixels after a preset and a drag; actual pixels (1:1) shows an image pixel on one
// screen pixel; measurements placed by mouse clicks at known image points have the right values,
// are stored per image and user, come back when the site is reopened, and are removed by Delete;
// stored rows that cannot be shown give a message, not a crash. With FEDMRG_DOC_SCREENSHOTS set to a
// folder, also saves the docs' screenshot of a distance and a cardiothoracic ratio on a chest film.
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "app/site/dicom_importer.h"
#include "app/site/image_loader.h"
#include "app/site/measurement_store.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "app/test_dicom.h"
#include "ui/image_viewer.h"
#include "ui/measurement_overlay.h"
#include "ui/widget_test_main.h"
#ifdef FEDMRG_HAVE_SYNTH
#include "engine/synth/dicom_writer.h"
#include "engine/synth/synth_study.h"
#endif

using namespace fedmrg;

namespace {

// Renders the viewer's next frame and returns it (device pixels).
QImage nextFrame(ui::ImageViewer& viewer) {
  const int before = viewer.renderCount();
  viewer.requestRender();
  if (!QTest::qWaitFor([&] { return viewer.renderCount() > before; }, 10000)) return {};
  return viewer.grabFramebuffer().convertToFormat(QImage::Format_Grayscale8);
}

// The first pixel where two frames differ, or empty.
QString firstDifference(const QImage& a, const QImage& b) {
  if (a.size() != b.size()) return QString("sizes differ");
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x)
      if (a.constScanLine(y)[x] != b.constScanLine(y)[x])
        return QString("(%1, %2): %3 vs %4").arg(x).arg(y).arg(a.constScanLine(y)[x]).arg(b.constScanLine(y)[x]);
  return {};
}

// A left click at an image point, through the viewer's own image -> view mapping.
void clickImagePoint(ui::ImageViewer& viewer, app::Point2 image) {
  const app::Point2 v = viewer.viewState().imageToView(image);
  QTest::mouseClick(&viewer, Qt::LeftButton, Qt::NoModifier, QPoint(int(std::lround(v.x)), int(std::lround(v.y))));
}

void sendDrag(QWidget* w, QPoint from, QPoint to) {
  QMouseEvent press(QEvent::MouseButtonPress, from, w->mapToGlobal(from), Qt::LeftButton, Qt::LeftButton,
                    Qt::NoModifier);
  QApplication::sendEvent(w, &press);
  QMouseEvent move(QEvent::MouseMove, to, w->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(w, &move);
  QMouseEvent release(QEvent::MouseButtonRelease, to, w->mapToGlobal(to), Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
  QApplication::sendEvent(w, &release);
}

}  // namespace

class TstImageViewer : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  int64_t user_ = 0;
  QString measured_, unspaced_;  // imported files: 512 x 512 at 0.2 mm, and one without spacing

  QString siteDir() const { return dir_.filePath("site"); }
  std::shared_ptr<const app::DisplayImage> load(const QString& file) { return app::ImageLoader(site_->vault()).load(file); }
  // A viewer of a fixed size, shown, with the image.
  std::unique_ptr<ui::ImageViewer> viewerFor(const QString& file, QSize size = {400, 400}) {
    auto v = std::make_unique<ui::ImageViewer>();
    v->resize(size);
    v->show();
    if (!QTest::qWaitForWindowExposed(v.get())) return nullptr;
    v->setImage(load(file));
    return v;
  }
  QString importedFile(const std::string& sopUid) {
    // Stored relative to the site folder.
    return QDir(siteDir()).absoluteFilePath(QString::fromStdString(
        *site_->store().queryText("SELECT file_path FROM images WHERE sop_uid = '" + sopUid + "'")));
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    QVERIFY(dir_.isValid());
    site_ = app::Site::create(siteDir(), "passphrase!", "Viewer Site", "admin", "Admin", "adminpass1");
    user_ = app::UserDirectory(*site_, app::UserDirectory(*site_).authenticate("admin", "adminpass1")->id).addUser("rad", "Dr Rad", app::Role::Radiologist, "radpass123");
    testing::TestDicom d;
    d.width = d.height = 512;
    d.pixelSpacing = "0.2\\0.2";
    d.studyUid = "1.2.826.0.1.3680043.10.99.501";
    const std::string spaced = testing::writeTestDicom(dir_.filePath("spaced.dcm").toStdString(), d);
    d.pixelSpacing.clear();
    d.studyUid = "1.2.826.0.1.3680043.10.99.502";
    const std::string bare = testing::writeTestDicom(dir_.filePath("unspaced.dcm").toStdString(), d);
    QCOMPARE(app::DicomImporter(*site_, user_)
                 .importFiles({dir_.filePath("spaced.dcm"), dir_.filePath("unspaced.dcm")})
                 .imported,
             2);
    measured_ = importedFile(spaced);
    unspaced_ = importedFile(bare);
  }

  void monochrome1RendersLikeItsMonochrome2Copy() {
    testing::TestDicom d;
    d.width = d.height = 256;
    d.windowCenter = 1800;
    d.windowWidth = 3000;
    writeTestDicom(dir_.filePath("mono2.dcm").toStdString(), d);
    d.photometric = "MONOCHROME1";
    d.mirrorValues = true;
    d.windowCenter = 4095 - 1800;
    writeTestDicom(dir_.filePath("mono1.dcm").toStdString(), d);
    auto mono2 = viewerFor(dir_.filePath("mono2.dcm"), {300, 300});
    auto mono1 = viewerFor(dir_.filePath("mono1.dcm"), {300, 300});
    QVERIFY(mono2 && mono1);
    QVERIFY(mono1->image()->invert);
    QCOMPARE(firstDifference(nextFrame(*mono2), nextFrame(*mono1)), QString());
    for (const char* preset : {"mediastinum", "lung", "bone"}) {
      mono2->applyPreset(preset);
      mono1->applyPreset(preset);
      const QImage a = nextFrame(*mono2), b = nextFrame(*mono1);
      QVERIFY(!a.isNull());
      QVERIFY2(firstDifference(a, b).isEmpty(), qPrintable(QString(preset) + ": " + firstDifference(a, b)));
    }
    mono2->applyPreset("mediastinum");
    mono1->applyPreset("mediastinum");
    // The disc (dense: 4000 of 4095 in MONOCHROME2) stays the brightest thing on both.
    const QImage frame = nextFrame(*mono1);
    const app::Point2 disc = mono1->viewState().imageToView({64, 64});
    QCOMPARE(int(frame.constScanLine(int(disc.y))[int(disc.x)]), 255);
    const QPoint c(150, 150);
    sendDrag(mono2.get(), c, c + QPoint(-60, 45));
    sendDrag(mono1.get(), c, c + QPoint(-60, 45));
    QVERIFY(mono1->viewState().window().width < 3000 * 0.6);
    const QImage a = nextFrame(*mono2), b = nextFrame(*mono1);
    QVERIFY2(firstDifference(a, b).isEmpty(), qPrintable("drag: " + firstDifference(a, b)));
  }

  void actualPixelsShowsOneImagePixelPerScreenPixel() {
    testing::TestDicom d;  // 256 x 256: at fit it fills the 400-pixel view
    writeTestDicom(dir_.filePath("small.dcm").toStdString(), d);
    auto v = viewerFor(dir_.filePath("small.dcm"));
    QVERIFY(v);
    // Image pixels across the middle row of the frame: the ramp is never black there, the border is.
    // VTK draws from the first pixel's center to the last's: 255 image pixels wide, not 256.
    auto imageWidthOnScreen = [&] {
      const QImage f = nextFrame(*v);
      int lit = 0;
      for (int x = 0; x < f.width(); ++x) lit += f.constScanLine(f.height() / 2)[x] > 10;
      return lit;
    };
    const double dpr = v->devicePixelRatioF();
    const int fitWidth = imageWidthOnScreen();
    QVERIFY2(std::abs(fitWidth - 255 * 400 * dpr / 256) <= 1.5,
             qPrintable(QString("%1 lit pixels at fit").arg(fitWidth)));
    QVERIFY(std::abs(v->viewState().magnification() - 400 * dpr / 256) < 1e-9);
    QTest::keyClick(v.get(), Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(v->viewState().magnification(), 1.0);
    const int actualWidth = imageWidthOnScreen();
    QVERIFY2(std::abs(actualWidth - 255) <= 1, qPrintable(QString("%1 lit pixels at 1:1, not 255").arg(actualWidth)));
    const auto overlay = v->findChildren<QLabel*>();
    bool says100 = false;
    for (QLabel* l : overlay) says100 |= l->text().contains("Zoom 100%");
    QVERIFY2(says100, "the overlay does not say Zoom 100% at 1:1");
    QTest::keyClick(v.get(), Qt::Key_F);  // fit again
    QVERIFY(std::abs(v->viewState().magnification() - 400 * dpr / 256) < 1e-9);
  }

  void distanceByClicksMeasuresAKnownLength() {
    auto store = std::make_shared<app::MeasurementStore>(*site_, user_);
    auto v = viewerFor(measured_, {600, 600});
    QVERIFY(v);
    v->setMeasurementStore(store);
    QVERIFY(v->measurements().empty());
    v->zoomBy(1.5);  // the clicks go through the zoomed and panned mapping
    v->panBy(-40, 25);
    QSignalSpy changed(v.get(), &ui::ImageViewer::measurementsChanged);
    v->startMeasurement(app::MeasurementKind::Distance);
    clickImagePoint(*v, {100, 300});
    QVERIFY(v->measurements().empty());  // one end is not a measurement
    clickImagePoint(*v, {350, 300});     // 250 pixels at 0.2 mm: 50.0 mm
    QCOMPARE(int(v->measurements().size()), 1);
    QCOMPARE(changed.count(), 1);
    QVERIFY(!v->measurementOverlay()->tool());
    // Stored, within a pixel of the known length.
    const auto stored = store->load(app::ImageLoader(site_->vault()).load(measured_)->info.sopInstanceUid);
    QCOMPARE(int(stored.measurements.size()), 1);
    const auto& m = stored.measurements[0];
    QVERIFY(m.kind == app::MeasurementKind::Distance);
    const app::PixelSpacing spacing{0.2, 0.2, app::SpacingSource::PixelSpacing};
    const double mm = app::lengthMm(m.points[0], m.points[1], spacing);
    QVERIFY2(std::abs(mm - 50.0) <= 0.2, qPrintable(QString("measured %1 mm").arg(mm)));
    QVERIFY(std::abs(m.points[0].x - 100) <= 1 && std::abs(m.points[0].y - 300) <= 1);
    QVERIFY(v->measurementOverlay()->warning().isEmpty());
    QVERIFY(v->measurementReportLines().value(0).startsWith("Measurement: 5"));
    QVERIFY(v->measurementReportLines().value(0).endsWith(" mm (distance, PA image)"));
  }

  void angleAndCardiothoracicRatioByClicks() {
    auto store = std::make_shared<app::MeasurementStore>(*site_, user_);
    auto v = viewerFor(measured_, {600, 600});
    QVERIFY(v);
    v->setMeasurementStore(store);
    const int before = int(v->measurements().size());
    v->startMeasurement(app::MeasurementKind::Angle);
    for (app::Point2 p : {app::Point2{400, 200}, app::Point2{200, 200}, app::Point2{200, 20}}) clickImagePoint(*v, p);
    QCOMPARE(int(v->measurements().size()), before + 1);
    const auto& angle = v->measurements().back();
    const double degrees = app::angleDegrees(angle.points[0], angle.points[1], angle.points[2]);
    QVERIFY2(std::abs(degrees - 90.0) < 0.5, qPrintable(QString::number(degrees)));
    v->startMeasurement(app::MeasurementKind::CardiothoracicRatio);
    for (app::Point2 p : {app::Point2{190, 300}, app::Point2{310, 300}, app::Point2{125, 250}, app::Point2{375, 250}})
      clickImagePoint(*v, p);
    QCOMPARE(v->measurementReportLines().back(), QString("Cardiothoracic ratio: 0.48"));
    // Esc cancels a tool in progress and stores nothing.
    v->startMeasurement(app::MeasurementKind::Distance);
    clickImagePoint(*v, {10, 10});
    QTest::keyClick(v.get(), Qt::Key_Escape);
    QVERIFY(!v->measurementOverlay()->tool());
    QCOMPARE(int(v->measurements().size()), before + 2);
  }

  void measurementsComeBackAfterReopeningAndDeleteRemoves() {
    const std::string sop = app::ImageLoader(site_->vault()).load(measured_)->info.sopInstanceUid;
    const int stored = int(app::MeasurementStore(*site_, user_).load(sop).measurements.size());
    QVERIFY(stored >= 3);
    site_.reset();
    site_ = app::Site::open(siteDir(), "passphrase!");
    auto v = viewerFor(measured_, {600, 600});
    QVERIFY(v);
    v->setMeasurementStore(std::make_shared<app::MeasurementStore>(*site_, user_));
    QCOMPARE(int(v->measurements().size()), stored);
    // A click on the first measurement (the distance along row 300) selects it; Delete removes it.
    const int64_t first = v->measurements().front().id;
    clickImagePoint(*v, {225, 300});
    QCOMPARE(v->measurementOverlay()->selected(), 0);
    QTest::keyClick(v.get(), Qt::Key_Delete);
    QCOMPARE(int(v->measurements().size()), stored - 1);
    const auto left = app::MeasurementStore(*site_, user_).load(sop).measurements;
    QCOMPARE(int(left.size()), stored - 1);
    for (const auto& m : left) QVERIFY(m.id != first);
    // Without a selection Delete removes the newest.
    QTest::keyClick(v.get(), Qt::Key_Delete);
    QCOMPARE(int(app::MeasurementStore(*site_, user_).load(sop).measurements.size()), stored - 2);
    // Another user sees none of them.
    const int64_t other = app::UserDirectory(*site_, app::UserDirectory(*site_).authenticate("admin", "adminpass1")->id).addUser("other", "Dr Other", app::Role::Radiologist, "otherpass1");
    v->setMeasurementStore(std::make_shared<app::MeasurementStore>(*site_, other));
    QVERIFY(v->measurements().empty());
  }

  void withoutPixelSpacingLengthsAreInPixelsWithAWarning() {
    auto v = viewerFor(unspaced_, {600, 600});
    QVERIFY(v);
    v->setMeasurementStore(std::make_shared<app::MeasurementStore>(*site_, user_));
    v->startMeasurement(app::MeasurementKind::Distance);
    QCOMPARE(v->measurementOverlay()->warning(), QString("no pixel spacing: length in pixels"));
    clickImagePoint(*v, {100, 100});
    clickImagePoint(*v, {350, 100});
    QCOMPARE(int(v->measurements().size()), 1);
    QVERIFY2(v->measurementReportLines().value(0).contains(" px (distance, PA image; no pixel spacing)"),
             qPrintable(v->measurementReportLines().value(0)));
  }

  void badStoredRowsGiveAMessageNotACrash() {
    const std::string sop = app::ImageLoader(site_->vault()).load(unspaced_)->info.sopInstanceUid;
    for (const char* points : {"[[1, 2], [3", "[[-50, 2], [30, 4]]"})
      site_->store()
          .prepare(
              "INSERT INTO measurements(sop_uid, user_id, kind, points, created_at) VALUES (?, ?, 'distance', ?, ?)")
          .bind(1, sop)
          .bind(2, user_)
          .bind(3, std::string(points))
          .bind(4, app::nowUtc())
          .run();
    auto v = viewerFor(unspaced_, {600, 600});
    QVERIFY(v);
    v->setMeasurementStore(std::make_shared<app::MeasurementStore>(*site_, user_));
    QCOMPARE(int(v->measurements().size()), 1);  // the good one from the test before
    const QString error = v->measurementOverlay()->error();
    QVERIFY2(error.contains("2 stored measurement(s) cannot be shown") && error.contains("points: not valid JSON"),
             qPrintable(error));
    QVERIFY(!nextFrame(*v).isNull());  // still renders
  }

  void docScreenshot() {
    const QString folder = qEnvironmentVariable("FEDMRG_DOC_SCREENSHOTS");
    if (folder.isEmpty()) QSKIP("set FEDMRG_DOC_SCREENSHOTS to a folder to save the docs' screenshot");
#ifndef FEDMRG_HAVE_SYNTH
    QSKIP("built without the synthetic chest renderer");
#else
    const auto sites = engine::builtinSites();
    const engine::SiteProfile& site = sites[0];
    const engine::SynthImage chest = engine::renderChest(engine::sampleStudy(site, 7), site.acquisition, 1024);
    const QString file = dir_.filePath("chest.dcm");
    engine::writeSynthDicom(file.toStdString(), chest, engine::synthDicomInfo(7, site, false, 58, false, 1),
                            engine::TransferSyntax::ExplicitLittle);
    auto v = viewerFor(file, {640, 700});
    QVERIFY(v);
    const double w = v->image()->width, h = v->image()->height;
    v->startMeasurement(app::MeasurementKind::CardiothoracicRatio);
    // The heart's borders and the thorax's inner margins of this synthetic film (seed 7), read off it.
    for (app::Point2 p : {app::Point2{0.36 * w, 0.64 * h}, app::Point2{0.845 * w, 0.64 * h},
                          app::Point2{0.17 * w, 0.58 * h}, app::Point2{0.895 * w, 0.58 * h}})
      clickImagePoint(*v, p);
    v->startMeasurement(app::MeasurementKind::Distance);
    clickImagePoint(*v, {0.30 * w, 0.22 * h});
    clickImagePoint(*v, {0.30 * w, 0.50 * h});
    QCOMPARE(int(v->measurements().size()), 2);
    nextFrame(*v);
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(v->grab().save(QDir(folder).filePath("workstation-measurement.png")));
#endif
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstImageViewer)
#include "tst_image_viewer.moc"
