// The report editor alone: autosave within 5 s of typing without any save, restored when the study
// is opened again; final reports are read-only; addendum and export only after final.
#include <QApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/draft_service.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "ui/report_editor.h"

using namespace fedmrg;

class TstReportEditor : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  std::shared_ptr<app::DraftService> drafts_;  // no model installed: the editor's own checks only
  int64_t study_ = 0;

 private slots:
  void initTestCase() {
    site_ = app::Site::create(dir_.filePath("site"), "editor passphrase", "Editor Site", "rad", "Dr Rad", "radpass123");
    auto st = site_->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES('1.2.3.77', ?)");
    st.bind(1, app::nowUtc()).run();
    study_ = site_->store().lastInsertId();
    drafts_ = app::makeDraftService(dir_.filePath("no-model"));
  }

  void autosaveKeepsTypingAndRestoresIt() {
    app::ReportService reports(*site_, 1);
    {
      ui::ReportEditor editor(*site_, reports, drafts_);
      editor.show();
      editor.setStudy(study_, {});
      QVERIFY(editor.statusBanner()->text().contains("DRAFT"));
      editor.findingsEdit()->setFocus();
      QTest::keyClicks(editor.findingsEdit(), "Typed but never saved.");
      QVERIFY(!reports.autosaved(study_).has_value());
      // No save, no close: the timer alone must keep the text within 5 seconds.
      QTRY_VERIFY_WITH_TIMEOUT(reports.autosaved(study_).has_value(), 5000);
      QCOMPARE(reports.autosaved(study_)->findings, std::string("Typed but never saved."));
      QVERIFY(!reports.latest(study_).has_value());
    }
    ui::ReportEditor reopened(*site_, reports, drafts_);
    reopened.setStudy(study_, {});
    QCOMPARE(reopened.findingsEdit()->toPlainText(), QString("Typed but never saved."));
    QVERIFY(reopened.messageLabel()->text().contains("Restored unsaved text"));
    QVERIFY(reopened.dirty());
    QVERIFY(reopened.save());
    QVERIFY(!reports.autosaved(study_).has_value());
  }

  void finalIsReadOnlyAndCancelledSignChangesNothing() {
    app::ReportService reports(*site_, 1);
    ui::ReportEditor editor(*site_, reports, drafts_);
    editor.setStudy(study_, {});
    editor.setConfirmer([](const QString&) { return false; });
    QVERIFY(!editor.signFinal());
    QVERIFY(reports.studyStatus(study_) == app::ReportStatus::Draft);
    editor.setConfirmer([](const QString&) { return true; });
    QVERIFY(editor.signPreliminary());
    QVERIFY(reports.studyStatus(study_) == app::ReportStatus::Preliminary);
    QVERIFY(editor.statusBanner()->text().contains("PRELIMINARY"));
    QVERIFY(!editor.findingsEdit()->isReadOnly());
    QVERIFY(editor.signFinal());
    QVERIFY(reports.studyStatus(study_) == app::ReportStatus::Final);
    QVERIFY(editor.findingsEdit()->isReadOnly());
    QVERIFY(!editor.generateButton()->isEnabled());
    QVERIFY(!editor.chip(0)->isEnabled());
    QVERIFY(!editor.save());  // nothing changed, and final anyway
  }
};

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("DISPLAY")) qputenv("QT_QPA_PLATFORM", "offscreen");  // no OpenGL here
  QApplication app(argc, argv);
  TstReportEditor test;
  return QTest::qExec(&test, argc, argv);
}
#include "tst_report_editor.moc"
