// The worklist's current row is always the open study: after every way of moving (Down, Up, End,
// Home, Page Down, a mouse click, the search box, the status filter, a sort by a header click, an
// import), the worklist's current study, the viewer's image, the report editor's study and the
// patient banner's patient ID agree; the open study stays listed under any search or filter, and
// a closed study leaves nothing on screen.
// Typed text survives a study switch; the banner keeps the identity when the viewer's overlays are off.
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSurfaceFormat>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/site/user_directory.h"
#include "app/site/workstation_services.h"
#include "app/site/worklist_model.h"
#include "app/test_dicom.h"
#include "ui/image_viewer.h"
#include "ui/main_window.h"
#include "ui/patient_banner.h"
#include "ui/report_editor.h"
#include "ui/vtk_view_widget.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

class TstWorklistSelection : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  std::unique_ptr<ui::MainWindow> window_;

  QTableView* view() const { return window_->worklistView(); }
  ui::ReportEditor* editor() const { return window_->reportEditor(); }
  ui::PatientBanner* banner() const { return editor()->patientBanner(); }

  void writeStudy(const QString& folder, const std::string& name, const std::string& id, const std::string& date,
                  int n) {
    testing::TestDicom d;
    d.studyUid = "1.2.826.0.1.3680043.10.98." + std::to_string(n);
    d.sopUid = d.studyUid + ".1.1";
    d.patientName = name;
    d.patientId = id;
    d.studyDate = date;
    d.patientSex = n % 2 ? "F" : "M";
    d.patientBirthDate = "19" + std::to_string(50 + n) + "0601";
    d.accessionNumber = "ACC" + std::to_string(n);
    d.width = d.height = 64 + 16 * n;
    testing::writeTestDicom((folder + "/" + QString::fromStdString(id) + ".dcm").toStdString(), d);
  }

  bool importFolder(const QString& folder) {
    QSignalSpy done(window_.get(), &ui::MainWindow::importFinished);
    window_->importPaths({folder});
    return done.wait(60000);
  }

  // The patient ID the store holds for a study (the truth the widgets are checked against).
  std::string storedPatientId(qint64 study) const {
    const auto s = app::findStudy(*site_, study);
    return s ? s->patientId : std::string("<no such study>");
  }

  // Empty when the worklist's current (and only selected) row, the window's open study, the
  // viewer, the editor and the banner all show the same study; else what differs.
  QString inSync() const {
    const QModelIndex current = view()->currentIndex();
    if (!current.isValid()) return QStringLiteral("the worklist has no current row");
    const qint64 study = current.siblingAtColumn(0).data(app::WorklistModel::StudyIdRole).toLongLong();
    const QString rowPatient = current.siblingAtColumn(app::WorklistModel::PatientId).data().toString();
    const auto selected = view()->selectionModel()->selectedRows();
    if (selected.size() != 1 || selected[0].row() != current.row())
      return QStringLiteral("the selection is not the current row %1").arg(current.row());
    if (rowPatient.toStdString() != storedPatientId(study)) return QStringLiteral("the row's patient is not its study's");
    if (window_->currentStudy() != study)
      return QStringLiteral("worklist study %1, open study %2").arg(study).arg(window_->currentStudy());
    if (editor()->study() != study) return QStringLiteral("worklist study %1, editor study %2").arg(study).arg(editor()->study());
    if (banner()->study() != study) return QStringLiteral("worklist study %1, banner study %2").arg(study).arg(banner()->study());
    if (banner()->patientId() != rowPatient)
      return QStringLiteral("worklist patient %1, banner patient %2").arg(rowPatient, banner()->patientId());
    if (!window_->viewer()->hasImage()) return QStringLiteral("the viewer shows no image");
    const QString viewerPatient = QString::fromStdString(window_->viewer()->image()->info.patientId);
    if (viewerPatient != rowPatient) return QStringLiteral("worklist patient %1, viewer patient %2").arg(rowPatient, viewerPatient);
    return {};
  }

  // Empty when no study is open anywhere and the worklist selects nothing.
  QString nothingOpen() const {
    if (view()->currentIndex().isValid() || view()->selectionModel()->hasSelection())
      return QStringLiteral("the worklist still selects row %1").arg(view()->currentIndex().row());
    if (window_->currentStudy() != 0) return QStringLiteral("study %1 is still open").arg(window_->currentStudy());
    if (editor()->study() != 0) return QStringLiteral("the editor still edits study %1").arg(editor()->study());
    if (banner()->study() != 0 || !banner()->patientId().isEmpty()) return QStringLiteral("the banner still shows a patient");
    if (window_->viewer()->hasImage()) return QStringLiteral("the viewer still shows an image");
    return {};
  }

  qint64 worklistStudy() const {
    return view()->currentIndex().siblingAtColumn(0).data(app::WorklistModel::StudyIdRole).toLongLong();
  }

  qint64 studyOfPatient(const QString& patientId) const {
    for (const auto& s : app::listStudies(*site_))
      if (s.patientId == patientId.toStdString()) return s.id;
    return 0;
  }

  // Moves with a key on the worklist and checks that everything followed.
  void press(Qt::Key key, int expectedRow) {
    view()->setFocus();
    QTest::keyClick(view(), key);
    QCOMPARE(view()->currentIndex().row(), expectedRow);
    const QString sync = inSync();
    QVERIFY2(sync.isEmpty(), qPrintable(QStringLiteral("after key %1: %2").arg(QKeySequence(key).toString(), sync)));
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    QVERIFY(dir_.isValid());
    site_ = app::Site::create(dir_.filePath("site"), "test passphrase", "Test Site", "drjones", "Dr Jones",
                              "password123");
    const app::User user = *app::UserDirectory(*site_).authenticate("drjones", "password123");
    const QString in = dir_.filePath("incoming");
    QVERIFY(QDir().mkpath(in));
    // Four patients; by date, newest first: Bravo, Alpha, Delta, Charlie.
    writeStudy(in, "Alpha^Anna", "PA-1", "20260110", 1);
    writeStudy(in, "Bravo^Ben", "PB-2", "20260111", 2);
    writeStudy(in, "Charlie^Carl", "PC-3", "20251201", 3);
    writeStudy(in, "Delta^Dora", "PD-4", "20260105", 4);
    window_ = std::make_unique<ui::MainWindow>(app::WorkstationServices{
        *site_, user, std::make_shared<app::ReportService>(*site_, user.id),
        app::makeDraftService(dir_.filePath("no-model")), std::make_shared<app::DicomImporter>(*site_, user.id),
        std::make_shared<const app::ImageLoader>(site_->vault())});
    window_->setImportReportOnErrors(false);
    window_->resize(1400, 860);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QVERIFY(importFolder(in));
    QCOMPARE(window_->lastImport().imported, 4);
    QCOMPARE(view()->model()->rowCount(), 4);
  }

  void keysMoveTheOpenStudy() {
    view()->setFocus();
    view()->setCurrentIndex(view()->model()->index(0, 0));
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    QCOMPARE(banner()->patientId(), QString("PB-2"));
    qint64 before = window_->currentStudy();
    press(Qt::Key_Down, 1);
    QVERIFY(window_->currentStudy() != before);
    QCOMPARE(banner()->patientId(), QString("PA-1"));
    press(Qt::Key_Down, 2);
    press(Qt::Key_Up, 1);
    press(Qt::Key_End, 3);
    QCOMPARE(banner()->patientId(), QString("PC-3"));
    press(Qt::Key_Home, 0);
    press(Qt::Key_PageDown, 3);
    before = window_->currentStudy();
    press(Qt::Key_PageUp, 0);
    QVERIFY(window_->currentStudy() != before);
  }

  void mouseClickOpensTheClickedRow() {
    const QRect cell = view()->visualRect(view()->model()->index(2, app::WorklistModel::Patient));
    QTest::mouseClick(view()->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());
    QCOMPARE(view()->currentIndex().row(), 2);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    QCOMPARE(banner()->patientId(), QString("PD-4"));
  }

  void typedTextFollowsItsStudy() {
    const qint64 delta = window_->currentStudy();
    editor()->findingsEdit()->setFocus();
    QTest::keyClicks(editor()->findingsEdit(), "Left basal opacity.");
    QVERIFY(editor()->dirty());
    press(Qt::Key_Down, 3);
    QVERIFY(window_->currentStudy() != delta);
    QVERIFY2(!editor()->findingsEdit()->toPlainText().contains("Left basal"), "the text moved to another patient");
    press(Qt::Key_Up, 2);
    QCOMPARE(window_->currentStudy(), delta);
    QCOMPARE(editor()->findingsEdit()->toPlainText(), QString("Left basal opacity."));
    QVERIFY(editor()->dirty());
  }

  void searchKeepsTheOpenStudyListedAndSelected() {
    const qint64 delta = studyOfPatient("PD-4");
    QCOMPARE(window_->currentStudy(), delta);
    // A search that lists the open study keeps it open and selected, on its new row.
    QTest::keyClicks(window_->searchBox(), "d");
    QCOMPARE(view()->model()->rowCount(), 1);
    QCOMPARE(worklistStudy(), delta);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    window_->searchBox()->clear();
    QCOMPARE(view()->model()->rowCount(), 4);
    QCOMPARE(worklistStudy(), delta);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    // One that does not match it still lists it (selected) beside the matches: no neighbouring
    // row ever stands for the open study.
    QTest::keyClicks(window_->searchBox(), "bravo");
    QCOMPARE(view()->model()->rowCount(), 2);
    QCOMPARE(worklistStudy(), delta);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    // Moving to the match opens it; the study left behind leaves the list, its unsaved text kept.
    press(Qt::Key_Up, 0);
    QCOMPARE(banner()->patientId(), QString("PB-2"));
    QCOMPARE(view()->model()->rowCount(), 1);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    // Closing empties every part of the window; the search then lists only its matches.
    QTest::keyClicks(window_->searchBox(), "x");  // "bravox": matches nothing
    QCOMPARE(view()->model()->rowCount(), 1);
    window_->closeStudy();
    QVERIFY2(nothingOpen().isEmpty(), qPrintable(nothingOpen()));
    QCOMPARE(view()->model()->rowCount(), 0);
    window_->searchBox()->clear();
    QCOMPARE(view()->model()->rowCount(), 4);
    QVERIFY2(nothingOpen().isEmpty(), qPrintable(nothingOpen()));
    QVERIFY(window_->openStudy(delta));
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    QCOMPARE(editor()->findingsEdit()->toPlainText(), QString("Left basal opacity."));
  }

  void statusFilterKeepsTheOpenStudyAcrossItsStatusChange() {
    auto* status = window_->statusFilterBox();
    status->setCurrentIndex(status->findData(int(app::ReportStatus::New)));
    QCOMPARE(view()->model()->rowCount(), 4);
    QVERIFY(editor()->save());  // the open study becomes a draft and stays listed and selected
    QVERIFY(app::ReportService(*site_, 0).studyStatus(window_->currentStudy()) == app::ReportStatus::Draft);
    QCOMPARE(view()->model()->rowCount(), 4);
    QCOMPARE(banner()->patientId(), QString("PD-4"));
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    press(Qt::Key_Up, 1);  // to Alpha, a new study: the draft leaves the "new" list
    QCOMPARE(view()->model()->rowCount(), 3);
    QCOMPARE(banner()->patientId(), QString("PA-1"));
    // Signing saves first, so the study leaves "new" twice while it is signed: it stays open and selected.
    editor()->setConfirmer([](const QString&) { return true; });
    editor()->findingsEdit()->setFocus();
    QTest::keyClicks(editor()->findingsEdit(), "No acute findings.");
    QVERIFY2(editor()->signPreliminary(), qPrintable(editor()->messageLabel()->text()));
    QVERIFY(app::ReportService(*site_, 0).studyStatus(window_->currentStudy()) == app::ReportStatus::Preliminary);
    QCOMPARE(view()->model()->rowCount(), 3);
    QCOMPARE(banner()->patientId(), QString("PA-1"));
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    status->setCurrentIndex(status->findData(int(app::ReportStatus::Draft)));
    QCOMPARE(view()->model()->rowCount(), 2);  // the draft, and the open study
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    press(Qt::Key_Down, 0);  // to the draft on row 1, which becomes row 0 when Alpha leaves above it
    QCOMPARE(banner()->patientId(), QString("PD-4"));
    QCOMPARE(view()->model()->rowCount(), 1);
    status->setCurrentIndex(status->findData(-1));
    QCOMPARE(view()->model()->rowCount(), 4);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
  }

  void sortingByAHeaderClickKeepsTheOpenStudy() {
    view()->setCurrentIndex(view()->model()->index(2, 0));  // Delta, third by date
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    const qint64 open = window_->currentStudy();
    auto* header = view()->horizontalHeader();
    const int col = app::WorklistModel::Patient;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, Qt::NoModifier,
                      QPoint(header->sectionViewportPosition(col) + header->sectionSize(col) / 2, header->height() / 2));
    QCOMPARE(header->sortIndicatorSection(), col);
    // By name Delta is first or last, whichever order the style starts with: not third any more.
    const int byName = header->sortIndicatorOrder() == Qt::AscendingOrder ? 3 : 0;
    QCOMPARE(view()->model()->index(byName, app::WorklistModel::PatientId).data().toString(), QString("PD-4"));
    QCOMPARE(view()->currentIndex().row(), byName);
    QCOMPARE(window_->currentStudy(), open);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    view()->sortByColumn(col, Qt::AscendingOrder);
    QCOMPARE(view()->currentIndex().row(), 3);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    press(Qt::Key_Up, 2);
    QCOMPARE(banner()->patientId(), QString("PC-3"));
    view()->sortByColumn(app::WorklistModel::Date, Qt::DescendingOrder);
    QCOMPARE(view()->currentIndex().row(), 3);  // Charlie is oldest
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
  }

  void importKeepsTheOpenStudySelected() {
    const qint64 open = window_->currentStudy();
    const int row = view()->currentIndex().row();
    const QString more = dir_.filePath("more");
    QVERIFY(QDir().mkpath(more));
    writeStudy(more, "Echo^Eve", "PE-5", "20260201", 5);  // newest: sorts above every row
    QVERIFY(importFolder(more));
    QCOMPARE(view()->model()->rowCount(), 5);
    QCOMPARE(view()->model()->index(0, app::WorklistModel::PatientId).data().toString(), QString("PE-5"));
    QCOMPARE(window_->currentStudy(), open);
    QCOMPARE(view()->currentIndex().row(), row + 1);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    press(Qt::Key_Home, 0);
    QCOMPARE(banner()->patientId(), QString("PE-5"));
  }

  void bannerKeepsTheIdentityWithoutOverlays() {
    window_->viewer()->setOverlaysVisible(false);
    press(Qt::Key_Down, 1);
    QVERIFY(!window_->viewer()->overlaysVisible());
    QVERIFY(banner()->isVisible());
    QCOMPARE(banner()->patientId(), QString("PB-2"));
    const QString text = banner()->text();
    for (const char* part : {"Bravo, Ben", "PB-2", "1952-06-01", "73 y", "male", "2026-01-11", "ACC2"})
      QVERIFY2(text.contains(QLatin1String(part)), qPrintable(text + " lacks " + part));
    window_->viewer()->setOverlaysVisible(true);
  }

  void cleanupTestCase() {
    window_.reset();
    site_.reset();
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstWorklistSelection)
#include "tst_worklist_selection.moc"
