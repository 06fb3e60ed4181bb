// The prior beside the open study: opening the newer of a patient's two studies shows the older
// one's image under a "PRIOR — date — description" header; zoom, pan and window follow both ways;
// Alt+P hides and shows it; the prior's signed report opens read-only and its "Copy to COMPARISON"
// puts the COMPARISON line first in the open study's findings; a study without a prior (another
// patient, or the patient's oldest study) hides the panel.
// With FEDMRG_DOC_SCREENSHOTS naming a folder, saves workstation-prior.png there (docs/).
#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/audit_trail.h"
#include "app/site/dicom_importer.h"
#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/site/user_directory.h"
#include "app/site/workstation_services.h"
#include "app/test_dicom.h"
#include "ui/image_viewer.h"
#include "ui/main_window.h"
#include "ui/patient_banner.h"
#include "ui/prior_panel.h"
#include "ui/report_editor.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

class TstPriorPanel : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  std::shared_ptr<app::ReportService> reports_;
  std::unique_ptr<ui::MainWindow> window_;
  qint64 newer_ = 0, older_ = 0, other_ = 0;

  ui::PriorPanel* panel() const { return window_->priorPanel(); }

  void write(const QString& file, const std::string& uid, const std::string& name, const std::string& id,
             const std::string& date, const std::string& description, int size) {
    testing::TestDicom d;
    d.studyUid = uid;
    d.sopUid = uid + ".1.1";
    d.patientName = name;
    d.patientId = id;
    d.patientBirthDate = "19580214";
    d.patientSex = "F";
    d.studyDate = date;
    d.description = description;
    d.accessionNumber = "ACC-" + date;
    d.width = size;
    d.height = size + size / 4;
    testing::writeTestDicom(dir_.filePath(file).toStdString(), d);
  }

  qint64 studyOf(const std::string& uid) const {
    for (const auto& s : app::listStudies(*site_))
      if (s.studyUid == uid) return s.id;
    return 0;
  }

  bool openAndWaitForPrior(qint64 study) {
    QSignalSpy loaded(panel(), &ui::PriorPanel::priorLoaded);
    window_->openStudy(study);
    return loaded.count() > 0 || loaded.wait(20000);
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    QVERIFY(dir_.isValid());
    site_ = app::Site::create(dir_.filePath("site"), "prior passphrase", "Prior Site", "drjones", "Dr Jones",
                              "password123");
    const app::User user = *app::UserDirectory(*site_).authenticate("drjones", "password123");
    QVERIFY(QDir().mkpath(dir_.filePath("in")));
    write("in/a-old.dcm", "1.2.826.0.1.3680043.10.96.1", "Garcia^Maria", "PM-100", "20240312", "CHEST PA 2024", 192);
    write("in/a-new.dcm", "1.2.826.0.1.3680043.10.96.2", "Garcia^Maria", "PM-100", "20260115", "CHEST PA 2026", 256);
    write("in/b.dcm", "1.2.826.0.1.3680043.10.96.3", "Novak^Petr", "PN-200", "20251120", "CHEST AP", 224);
    QCOMPARE(app::DicomImporter(*site_, user.id).importPaths({dir_.filePath("in")}).imported, 3);
    older_ = studyOf("1.2.826.0.1.3680043.10.96.1");
    newer_ = studyOf("1.2.826.0.1.3680043.10.96.2");
    other_ = studyOf("1.2.826.0.1.3680043.10.96.3");
    reports_ = std::make_shared<app::ReportService>(*site_, user.id);
    reports_->save(older_, "Small left pleural effusion.", "Left effusion.", "");
    reports_->sign(older_, app::ReportStatus::Final);
    window_ = std::make_unique<ui::MainWindow>(app::WorkstationServices{
        *site_, user, reports_, app::makeDraftService(dir_.filePath("no-model")),
        std::make_shared<app::DicomImporter>(*site_, user.id), std::make_shared<const app::ImageLoader>(site_->vault())});
    window_->resize(1600, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  }

  void newerStudyShowsTheOlderBesideIt() {
    QVERIFY(openAndWaitForPrior(newer_));
    QVERIFY(panel()->isVisible());
    QVERIFY(panel()->prior().has_value());
    QCOMPARE(panel()->prior()->id, older_);
    QCOMPARE(panel()->header()->text(), QString("PRIOR — 2024-03-12 — CHEST PA 2024"));
    QVERIFY(panel()->viewer()->hasImage());
    QCOMPARE(panel()->viewer()->image()->info.studyDate, std::string("20240312"));
    QCOMPARE(panel()->viewer()->image()->width, 192);
    // The current study stays the newer one everywhere else.
    QCOMPARE(window_->viewer()->image()->info.studyDate, std::string("20260115"));
    QCOMPARE(window_->reportEditor()->study(), newer_);
    QCOMPARE(window_->reportEditor()->patientBanner()->study(), newer_);
  }

  void zoomPanAndWindowFollowBothWays() {
    QVERIFY(panel()->viewer()->hasImage());
    auto* current = window_->viewer();
    auto* prior = panel()->viewer();
    QCOMPARE(prior->viewState().zoom(), 1.0);
    current->zoomBy(2.0);
    QCOMPARE(prior->viewState().zoom(), 2.0);
    prior->zoomBy(1.5);
    QCOMPARE(current->viewState().zoom(), 3.0);
    // Pan: the same fraction of each image (256 vs 192 pixels wide).
    QTest::mousePress(current, Qt::MiddleButton, Qt::NoModifier, QPoint(200, 200));
    QTest::mouseMove(current, QPoint(260, 230));
    QTest::mouseRelease(current, Qt::MiddleButton, Qt::NoModifier, QPoint(260, 230));
    QVERIFY(current->viewState().panX() != 0);
    QCOMPARE(prior->viewState().panX() / 192, current->viewState().panX() / 256);
    // Window: the prior shows the same preset of its own window.
    current->applyPreset("lung");
    app::ViewState lung = prior->viewState();
    QVERIFY(lung.applyPreset("lung"));
    QCOMPARE(prior->viewState().window().center, lung.window().center);
    QCOMPARE(prior->viewState().window().width, lung.window().width);
    prior->resetView();
    QCOMPARE(current->viewState().zoom(), 1.0);
    QCOMPARE(current->viewState().panX(), 0.0);
  }

  void altPTogglesThePrior() {
    QAction* toggle = nullptr;
    for (auto* a : window_->findChildren<QAction*>())
      if (a->shortcut() == QKeySequence(QStringLiteral("Alt+P"))) toggle = a;
    QVERIFY(toggle);
    QVERIFY(toggle->isCheckable() && toggle->isChecked());
    toggle->trigger();
    QVERIFY(!panel()->isVisible());
    toggle->trigger();
    QVERIFY(panel()->isVisible());
    bool listed = false;
    for (auto* a : window_->findChildren<QAction*>())
      listed = listed || a->shortcut() == QKeySequence(QStringLiteral("Alt+Shift+P"));
    QVERIFY2(listed, "the prior report has no Alt+Shift+P action");
  }

  void screenshotForTheDocs() {
    const QString folder = qEnvironmentVariable("FEDMRG_DOC_SCREENSHOTS");
    if (folder.isEmpty()) QSKIP("FEDMRG_DOC_SCREENSHOTS is not set: no screenshot written");
    window_->viewer()->applyPreset("lung");
    QTest::qWait(500);
    QVERIFY(window_->grab().save(QDir(folder).filePath("workstation-prior.png")));
    window_->viewer()->resetView();
  }

  void priorReportFillsTheComparisonLine() {
    auto* editor = window_->reportEditor();
    editor->findingsEdit()->setPlainText("Heart size normal.");
    QPointer<QDialog> dialog = panel()->showPriorReport();
    QVERIFY(dialog);
    // Reading the prior's report is in the audit log, under the prior study.
    const auto entries = app::auditLog(window_->site(), panel()->prior()->id, 5);
    QVERIFY(!entries.empty());
    QCOMPARE(entries.front().action, std::string("report.view.prior"));
    const QString text = dialog->findChild<QPlainTextEdit*>("priorReportText")->toPlainText();
    QVERIFY2(text.startsWith("FINAL — signed by Dr Jones"), qPrintable(text));
    QVERIFY(text.contains("Small left pleural effusion."));
    QVERIFY(dialog->findChild<QPlainTextEdit*>("priorReportText")->isReadOnly());
    dialog->findChild<QPushButton*>("copyComparison")->click();
    QTRY_VERIFY(!dialog);
    QCOMPARE(editor->findingsEdit()->toPlainText(),
             QString("COMPARISON: 2024-03-12 CHEST PA 2024.\nHeart size normal."));
    QVERIFY(editor->dirty());
    // Again: replaced, not added twice.
    dialog = panel()->showPriorReport();
    dialog->findChild<QPushButton*>("copyComparison")->click();
    QCOMPARE(editor->findingsEdit()->toPlainText(),
             QString("COMPARISON: 2024-03-12 CHEST PA 2024.\nHeart size normal."));
  }

  void comparisonIsNeverWrittenIntoAnotherStudy() {
    QPointer<QDialog> dialog = panel()->showPriorReport();  // asked for the newer study
    QVERIFY(dialog);
    const QString kept = window_->reportEditor()->findingsEdit()->toPlainText();
    emit panel()->comparisonRequested(other_, "COMPARISON: elsewhere.");
    QCOMPARE(window_->reportEditor()->findingsEdit()->toPlainText(), kept);
    dialog->reject();
  }

  void studyWithoutPriorHidesThePanel() {
    window_->openStudy(other_);
    QCOMPARE(window_->currentStudy(), other_);
    QVERIFY(!panel()->isVisible());
    QVERIFY(!panel()->viewer()->hasImage());
    QVERIFY(!panel()->showPriorReport());
    // The patient's oldest study has a later study, but no prior.
    window_->openStudy(older_);
    QVERIFY(!panel()->isVisible());
    QCOMPARE(window_->statusBar()->currentMessage(), QString("No prior: this is the patient's oldest study."));
    QVERIFY(openAndWaitForPrior(newer_));
    QVERIFY(panel()->isVisible());
  }

  void cleanupTestCase() {
    if (window_) window_->reportEditor()->findingsEdit()->clear();
    window_.reset();
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstPriorPanel)
#include "tst_prior_panel.moc"
