// The workstation window under Xvfb, driven through its real widgets: import a folder with bad
// files, open a study, the VTK view renders the DICOM image and a window/level drag changes it,
// draft generation (none without a model; real text with one), edit, sign final, audit, training
// queue, DICOM SR export; actual pixels and a distance from the menus' shortcuts, inserted into the
// report.
#include "app/tiny_model.h"  // LibTorch first: Qt's "slots" macro breaks its headers

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSurfaceFormat>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "app/site/audit_trail.h"
#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/workstation_services.h"
#include "app/site/worklist_model.h"
#include "app/test_dicom.h"
#include "ui/image_viewer.h"
#include "ui/main_window.h"
#include "ui/measurement_overlay.h"
#include "ui/report_editor.h"
#include "ui/vtk_view_widget.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

namespace {

// Fraction of pixels that differ by more than 8 grey levels.
double changedFraction(const QImage& a, const QImage& b) {
  if (a.size() != b.size()) return 1.0;
  const QImage x = a.convertToFormat(QImage::Format_Grayscale8), y = b.convertToFormat(QImage::Format_Grayscale8);
  qint64 changed = 0;
  for (int r = 0; r < x.height(); ++r) {
    const uchar* p = x.constScanLine(r);
    const uchar* q = y.constScanLine(r);
    for (int c = 0; c < x.width(); ++c) changed += std::abs(int(p[c]) - int(q[c])) > 8;
  }
  return double(changed) / (double(x.width()) * x.height());
}

int distinctGreys(const QImage& image) {
  const QImage g = image.convertToFormat(QImage::Format_Grayscale8);
  std::array<bool, 256> seen{};
  for (int r = 0; r < g.height(); ++r)
    for (int c = 0; c < g.width(); ++c) seen[g.constScanLine(r)[c]] = true;
  return int(std::count(seen.begin(), seen.end(), true));
}

void sendDrag(QWidget* w, QPoint from, QPoint to, Qt::MouseButton button) {
  QMouseEvent press(QEvent::MouseButtonPress, from, w->mapToGlobal(from), button, button, Qt::NoModifier);
  QApplication::sendEvent(w, &press);
  for (int i = 1; i <= 10; ++i) {
    const QPoint p = from + (to - from) * i / 10;
    QMouseEvent move(QEvent::MouseMove, p, w->mapToGlobal(p), Qt::NoButton, button, Qt::NoModifier);
    QApplication::sendEvent(w, &move);
  }
  QMouseEvent release(QEvent::MouseButtonRelease, to, w->mapToGlobal(to), button, Qt::NoButton, Qt::NoModifier);
  QApplication::sendEvent(w, &release);
}

}  // namespace

class TstMainWindow : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  std::unique_ptr<ui::MainWindow> window_;
  app::User user_;

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    QVERIFY(dir_.isValid());
    site_ = app::Site::create(dir_.filePath("site"), "test passphrase", "Test Site", "drsmith", "Dr Smith",
                              "password123");
    user_ = *app::UserDirectory(*site_).authenticate("drsmith", "password123");
    // Three studies (one with two images), a duplicate copy, and two bad files.
    const QString in = dir_.filePath("incoming");
    QVERIFY(QDir().mkpath(in + "/nested/deeper"));
    testing::TestDicom a;
    a.studyUid = "1.2.826.0.1.3680043.10.99.10";
    a.patientName = "Alpha^Anna";
    a.patientId = "A001";
    a.studyDate = "20260110";
    testing::writeTestDicom((in + "/a1.dcm").toStdString(), a);
    a.width = 200;
    testing::writeTestDicom((in + "/nested/a2.dcm").toStdString(), a);
    testing::TestDicom b = a;
    b.studyUid = "1.2.826.0.1.3680043.10.99.20";
    b.patientName = "Bravo^Ben";
    b.patientId = "B002";
    b.studyDate = "20260111";
    b.sopUid = "1.2.826.0.1.3680043.10.99.20.1.1";
    testing::writeTestDicom((in + "/nested/deeper/b1.dcm").toStdString(), b);
    QVERIFY(QFile::copy(in + "/nested/deeper/b1.dcm", in + "/b1-copy.dcm"));
    testing::TestDicom c = a;
    c.studyUid = "1.2.826.0.1.3680043.10.99.30";
    c.patientName = "Charlie^Carl";
    c.patientId = "C003";
    c.studyDate = "20251201";
    c.width = 256;
    testing::writeTestDicom((in + "/c1.dcm").toStdString(), c);
    QFile text(in + "/notes.txt");
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("this is not a DICOM file\n");
    text.close();
    QFile whole(in + "/c1.dcm");
    QVERIFY(whole.open(QIODevice::ReadOnly));
    QFile cut(in + "/truncated.dcm");
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(whole.read(whole.size() / 2));
    cut.close();

    // The window drafts from the model folder it was given; none is installed there yet.
    window_ = std::make_unique<ui::MainWindow>(app::WorkstationServices{
        *site_, user_, std::make_shared<app::ReportService>(*site_, user_.id),
        app::makeDraftService(dir_.filePath("model"), site_->vault()), std::make_shared<app::DicomImporter>(*site_, user_.id),
        std::make_shared<const app::ImageLoader>(site_->vault())});
    window_->setImportReportOnErrors(false);  // the test reads lastImport() instead of a modal dialog
    window_->resize(1400, 860);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  }

  void importsAFolderAndReportsTheBadFiles() {
    QSignalSpy done(window_.get(), &ui::MainWindow::importFinished);
    window_->importPaths({dir_.filePath("incoming")});
    QVERIFY(done.wait(60000));
    const auto& r = window_->lastImport();
    QCOMPARE(r.imported, 4);
    QCOMPARE(r.duplicates, 1);
    QCOMPARE(int(r.errors.size()), 2);
    QStringList bad;
    for (const auto& e : r.errors) {
      bad << QFileInfo(e.file).fileName();
      QVERIFY2(!e.reason.isEmpty(), qPrintable(e.file));
    }
    bad.sort();
    QCOMPARE(bad, QStringList({"notes.txt", "truncated.dcm"}));
    QCOMPARE(window_->worklist()->rowCount(), 3);
    QCOMPARE(window_->worklistView()->model()->rowCount(), 3);
  }

  void worklistSearchSortAndKeyboard() {
    auto* view = window_->worklistView();
    // Sorted by date, newest first.
    QCOMPARE(view->model()->index(0, app::WorklistModel::Patient).data().toString(), QString("Bravo Ben"));
    QTest::keyClicks(window_->searchBox(), "charl");
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, app::WorklistModel::PatientId).data().toString(), QString("C003"));
    window_->searchBox()->clear();
    QCOMPARE(view->model()->rowCount(), 3);
    view->setFocus();
    view->setCurrentIndex(view->model()->index(0, 0));
    QTest::keyClick(view, Qt::Key_Down);
    QTest::keyClick(view, Qt::Key_Enter);
    QCOMPARE(view->currentIndex().row(), 1);
    QTRY_VERIFY(window_->currentStudy() != 0);
    QCOMPARE(window_->viewer()->image()->info.patientId, std::string("A001"));
    QCOMPARE(window_->thumbnails()->count(), 2);
  }

  void viewerRendersAndWindowLevelDragChangesPixels() {
    auto* viewer = window_->viewer();
    QVERIFY(viewer->hasImage());
    QTRY_VERIFY_WITH_TIMEOUT(viewer->renderCount() > 0, 10000);
    const QImage before = viewer->grabFramebuffer();
    QVERIFY(!before.isNull());
    QVERIFY2(distinctGreys(before) > 20, "the rendered frame is blank");
    const double width0 = viewer->viewState().window().width;
    const int renders = viewer->renderCount();
    const QPoint c(viewer->width() / 2, viewer->height() / 2);
    sendDrag(viewer, c, c + QPoint(-150, 80), Qt::LeftButton);
    QVERIFY(viewer->viewState().window().width < width0);
    QTRY_VERIFY_WITH_TIMEOUT(viewer->renderCount() > renders, 10000);
    const QImage after = viewer->grabFramebuffer();
    const double changed = changedFraction(before, after);
    QVERIFY2(changed > 0.05, qPrintable(QString("only %1 of the pixels changed").arg(changed)));
    // Reset restores the original frame.
    QTest::keyClick(viewer, Qt::Key_R);
    QTRY_VERIFY(changedFraction(before, viewer->grabFramebuffer()) < 0.01);
  }

  void draftEditSignFinalAndExport() {
    auto* editor = window_->reportEditor();
    QCOMPARE(editor->study(), window_->currentStudy());
    QVERIFY(editor->statusBanner()->text().contains("DRAFT"));
    QTest::mouseClick(editor->generateButton(), Qt::LeftButton);
    QVERIFY(editor->messageLabel()->text().contains("No report model installed"));
    QVERIFY(editor->findingsEdit()->toPlainText().isEmpty());

    // Once a model is installed in that folder the draft comes from the real generator, off the
    // GUI thread, through the same service.
    const QString model = dir_.filePath("model");
    QVERIFY(QDir().mkpath(model));
    testing::writeTinyModel(model.toStdString());
    QTest::mouseClick(editor->generateButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->generating(), 60000);
    QVERIFY2(!editor->findingsEdit()->toPlainText().isEmpty(), qPrintable(editor->messageLabel()->text()));
    QVERIFY(editor->statusBanner()->text().contains("DRAFT"));
    QVERIFY(editor->messageLabel()->text().contains("Draft generated"));
    app::ReportService reports(*site_, user_.id);
    QCOMPARE(reports.latest(editor->study())->origin, std::string("model"));

    const int queued = reports.trainingQueueCount();
    for (auto* e : {editor->findingsEdit(), editor->impressionEdit()}) {
      e->setFocus();
      e->selectAll();
      QTest::keyClick(e, Qt::Key_Delete);
    }
    for (int i = 0; i < app::kFindingCount; ++i)  // clear the model's chips: back to blank
      while (editor->labels()[size_t(i)] != app::FindingState::Blank) QTest::mouseClick(editor->chip(i), Qt::LeftButton);
    QTest::mouseClick(editor->chip(2), Qt::LeftButton);  // cardiomegaly: positive
    editor->findingsEdit()->setFocus();
    QTest::keyClicks(editor->findingsEdit(), "The heart is enlarged. No pleural effusion.");
    QTest::keyClicks(editor->impressionEdit(), "Cardiomegaly.");
    QVERIFY(editor->dirty());
    editor->setConfirmer([](const QString& q) { return q.contains("FINAL"); });
    QVERIFY(editor->signFinal());
    QVERIFY(editor->statusBanner()->text().contains("FINAL"));
    QVERIFY(editor->findingsEdit()->isReadOnly());
    QCOMPARE(reports.trainingQueueCount(), queued + 1);
    QVERIFY(reports.studyStatus(editor->study()) == app::ReportStatus::Final);
    const auto versions = reports.versions(editor->study());
    QCOMPARE(int(versions.size()), 3);
    QCOMPARE(versions[0].origin, std::string("model"));
    QVERIFY(versions[1].status == app::ReportStatus::Draft);
    QCOMPARE(versions[1].origin, std::string("mixed"));
    QVERIFY(versions[2].status == app::ReportStatus::Final);
    QCOMPARE(versions[2].findings, std::string("The heart is enlarged. No pleural effusion."));
    QCOMPARE(versions[2].labels, std::string("cardiomegaly=positive"));
    QStringList actions;
    for (const auto& e : app::auditLog(*site_, editor->study())) actions << QString::fromStdString(e.action);
    QVERIFY(actions.contains("report.save"));
    QVERIFY(actions.contains("report.sign.final"));
    QVERIFY(actions.contains("training.queue"));
    QVERIFY(actions.contains("study.open"));  // opening the study is an access event
    QVERIFY(editor->addAddendum("Comparison with prior film: unchanged."));
    QCOMPARE(int(reports.versions(editor->study()).size()), 4);
    QVERIFY(reports.versions(editor->study()).back().kind == app::ReportKind::Addendum);

    // The final report exports as DICOM SR that dcmsr reads back.
    const QString sr = dir_.filePath("final-sr.dcm");
    QVERIFY2(editor->exportSr(sr), qPrintable(editor->messageLabel()->text()));
    DcmFileFormat ff;
    QVERIFY(ff.loadFile(sr.toStdString().c_str()).good());
    DSRDocument doc;
    QVERIFY(doc.read(*ff.getDataset()).good());
    QCOMPARE(int(doc.getVerificationFlag()), int(DSRTypes::VF_Verified));
  }

  void dropOfAFileImportsIt() {
    testing::TestDicom d;
    d.studyUid = "1.2.826.0.1.3680043.10.99.40";
    d.patientName = "Delta^Dora";
    d.width = d.height = 64;
    const QString file = dir_.filePath("dropped.dcm");
    testing::writeTestDicom(file.toStdString(), d);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    const QPointF at(100, 100);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy done(window_.get(), &ui::MainWindow::importFinished);
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &drop);
    QVERIFY(done.wait(30000));
    QCOMPARE(window_->lastImport().imported, 1);
    QCOMPARE(window_->worklist()->rowCount(), 4);
  }

  void measureMenuMeasuresAndInsertsIntoTheReport() {
    auto* viewer = window_->viewer();
    for (int row = 0; row < window_->worklist()->rowCount(); ++row) {
      const qint64 id = window_->worklist()->index(row, 0).data(app::WorklistModel::StudyIdRole).toLongLong();
      if (app::ReportService(*site_, user_.id).studyStatus(id) == app::ReportStatus::New) {
        QVERIFY(window_->openStudy(id));
        break;
      }
    }
    QVERIFY(!window_->reportEditor()->findingsEdit()->isReadOnly());
    window_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    QTest::keyClick(window_.get(), Qt::Key_1, Qt::ControlModifier);  // View > Actual pixels (1:1)
    QCOMPARE(viewer->viewState().magnification(), 1.0);
    QTest::keyClick(window_.get(), Qt::Key_D, Qt::AltModifier);  // Measure > Distance
    QVERIFY(viewer->measurementOverlay()->tool().has_value());
    for (app::Point2 p : {app::Point2{10, 20}, app::Point2{40, 60}}) {  // 50 px at 0.143 mm
      const app::Point2 v = viewer->viewState().imageToView(p);
      QTest::mouseClick(viewer, Qt::LeftButton, Qt::NoModifier, QPoint(int(std::lround(v.x)), int(std::lround(v.y))));
    }
    QCOMPARE(int(viewer->measurements().size()), 1);
    window_->reportEditor()->findingsEdit()->setFocus();
    QTest::keyClick(window_.get(), Qt::Key_M, Qt::ControlModifier | Qt::AltModifier);  // Insert into report
    const QString findings = window_->reportEditor()->findingsEdit()->toPlainText();
    QVERIFY2(findings.contains(QRegularExpression("Measurement: 7\\.\\d mm \\(distance, PA image\\)")), qPrintable(findings));
  }

  void cleanupTestCase() {
    window_.reset();
    site_.reset();
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
