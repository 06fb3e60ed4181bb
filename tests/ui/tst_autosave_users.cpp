// Autosave is per user: one user's unsaved text is never restored into another user's editor (who
// would save it under their own name); the other user is told it exists, and its owner gets it back.
#include <QApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/draft_service.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "ui/report_editor.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

class TstAutosaveUsers : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  std::shared_ptr<app::DraftService> drafts_;  // no model: only the editor's text matters here
  int64_t study_ = 0, first_ = 0, second_ = 0;

 private slots:
  void initTestCase() {
    site_ = app::Site::create(dir_.filePath("site"), "autosave passphrase", "Two Users", "first", "Dr First", "firstpass1");
    first_ = app::UserDirectory(*site_).authenticate("first", "firstpass1")->id;
    second_ = app::UserDirectory(*site_, first_).addUser("second", "Dr Second", app::Role::Radiologist, "secondpass1");
    auto st = site_->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES('1.2.3.88', ?)");
    st.bind(1, app::nowUtc()).run();
    study_ = site_->store().lastInsertId();
    drafts_ = app::makeDraftService(dir_.filePath("no-model"));
  }

  void anotherUsersUnsavedTextIsNamedNotRestored() {
    app::ReportService firstReports(*site_, first_), secondReports(*site_, second_);
    {
      ui::ReportEditor editor(*site_, firstReports, drafts_);
      editor.setStudy(study_, {});
      QTest::keyClicks(editor.findingsEdit(), "First user's words.");
      editor.autosaveNow();
    }  // the first user's session ends without saving (as after a crash)
    QVERIFY(firstReports.autosaved(study_).has_value());

    {
      ui::ReportEditor editor(*site_, secondReports, drafts_);
      editor.setStudy(study_, {});
      QCOMPARE(editor.findingsEdit()->toPlainText(), QString());
      QVERIFY(!editor.dirty());
      QVERIFY2(editor.messageLabel()->text().contains("Dr First left unsaved text"),
               qPrintable(editor.messageLabel()->text()));
      QVERIFY(!editor.messageLabel()->text().contains("First user's words"));
      QTest::keyClicks(editor.findingsEdit(), "Second user's words.");
      editor.autosaveNow();
    }
    QCOMPARE(secondReports.autosaved(study_)->findings, std::string("Second user's words."));

    // The first user comes back: their own text, not the second user's.
    ui::ReportEditor editor(*site_, firstReports, drafts_);
    editor.setStudy(study_, {});
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("First user's words."));
    QVERIFY(editor.messageLabel()->text().contains("Restored unsaved text"));
    QVERIFY(editor.messageLabel()->text().contains("Dr Second left unsaved text"));
    QVERIFY(editor.save());
    QCOMPARE(firstReports.latest(study_)->author, std::string("Dr First"));
    QCOMPARE(firstReports.latest(study_)->findings, std::string("First user's words."));
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstAutosaveUsers)
#include "tst_autosave_users.moc"
