// The report editor alone: autosave within 5 s of typing without any save, restored when the study
// is opened again; final reports are read-only; addendum and export only after final; a model draft
// replaces typed or signed text only when confirmed, keeps it as a version and undo brings it back;
// an empty report is not signed; chips that disagree with the text are shown and must be confirmed;
// a save over a preliminary report asks first; the banner says who signed and when; the final
// report's addenda are shown below it, with their authors, only for their own study.
#include "app/tiny_model.h"  // LibTorch first: Qt's "slots" macro breaks its headers

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/draft_service.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/stored_time.h"
#include "app/test_dicom.h"
#include "ui/report_editor.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

class TstReportEditor : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  std::shared_ptr<app::DraftService> drafts_;  // no model installed: the editor's own checks only
  std::shared_ptr<app::DraftService> model_;   // a tiny real model: drafts are noise, but real drafts
  QString image_;
  int64_t study_ = 0;

  int64_t addStudy(const std::string& uid) {
    auto st = site_->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES(?, ?)");
    st.bind(1, uid).bind(2, app::nowUtc()).run();
    return site_->store().lastInsertId();
  }

  // A study whose report ("The heart is enlarged.") is signed preliminary.
  int64_t preliminaryStudy(app::ReportService& reports, const std::string& uid) {
    const int64_t study = addStudy(uid);
    reports.save(study, "The heart is enlarged.", "Cardiomegaly.", "cardiomegaly=positive");
    reports.sign(study, app::ReportStatus::Preliminary);
    return study;
  }

  // Clicks "Generate draft" and waits for the model when one runs.
  static void clickGenerate(ui::ReportEditor& editor) {
    QTest::mouseClick(editor.generateButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!editor.generating(), 60000);
  }

 private slots:
  void initTestCase() {
    site_ = app::Site::create(dir_.filePath("site"), "editor passphrase", "Editor Site", "rad", "Dr Rad", "radpass123");
    auto st = site_->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES('1.2.3.77', ?)");
    st.bind(1, app::nowUtc()).run();
    study_ = site_->store().lastInsertId();
    drafts_ = app::makeDraftService(dir_.filePath("no-model"));
    QVERIFY(QDir().mkpath(dir_.filePath("model")));
    testing::writeTinyModel(dir_.filePath("model").toStdString());
    model_ = app::makeDraftService(dir_.filePath("model"), site_->vault());
    image_ = dir_.filePath("study.dcm");
    testing::TestDicom image;
    image.width = image.height = 128;
    testing::writeTestDicom(image_.toStdString(), image);
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

  void typedTextSurvivesADeclinedDraft() {
    const int64_t study = addStudy("1.2.3.80");
    app::ReportService reports(*site_, 1);
    ui::ReportEditor editor(*site_, reports, model_);
    editor.show();
    editor.setStudy(study, image_);
    QStringList asked;
    editor.setConfirmer([&](const QString& q) { asked << q; return false; });
    editor.findingsEdit()->setFocus();
    QTest::keyClicks(editor.findingsEdit(), "My own careful findings.");
    clickGenerate(editor);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("My own careful findings."));
    QVERIFY(editor.dirty());
    QVERIFY(reports.versions(study).empty());
  }

  void acceptedDraftKeepsAVersionAndUndoRestores() {
    const int64_t study = addStudy("1.2.3.81");
    app::ReportService reports(*site_, 1);
    ui::ReportEditor editor(*site_, reports, model_);
    editor.show();
    editor.setStudy(study, image_);
    QStringList asked;
    editor.setConfirmer([&](const QString& q) { asked << q; return true; });
    editor.findingsEdit()->setFocus();
    QTest::keyClicks(editor.findingsEdit(), "Typed before the draft.");
    QTest::keyClicks(editor.impressionEdit(), "My impression.");
    QTest::mouseClick(editor.chip(7), Qt::LeftButton);  // pneumonia: positive
    const app::FindingStates typedChips = editor.labels();
    clickGenerate(editor);
    QCOMPARE(asked.size(), 1);
    QVERIFY2(editor.messageLabel()->text().contains("Draft generated"), qPrintable(editor.messageLabel()->text()));
    QVERIFY(editor.findingsEdit()->toPlainText() != QString("Typed before the draft."));
    const auto versions = reports.versions(study);
    QCOMPARE(int(versions.size()), 2);
    QCOMPARE(versions[0].findings, std::string("Typed before the draft."));
    QCOMPARE(versions[0].impression, std::string("My impression."));
    QCOMPARE(versions[1].origin, std::string("model"));
    // Credited to the model that wrote it, asked for by the signed-in user.
    QCOMPARE(versions[1].author, app::identifyModel(dir_.filePath("model")).label());
    QCOMPARE(versions[1].requestedBy, std::string("Dr Rad"));
    // Undo brings the typed text (and, with the findings, the chips) back.
    editor.findingsEdit()->undo();
    editor.impressionEdit()->undo();
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("Typed before the draft."));
    QCOMPARE(editor.impressionEdit()->toPlainText(), QString("My impression."));
    QVERIFY(editor.labels() == typedChips);
    QVERIFY(editor.dirty());
  }

  // The line above a draft: the chest radiograph check (a warning while it is uncertain) and what the model
  // was trained on; gone with the next study. An image that is not a chest radiograph gets no draft.
  void draftShowsTheChestCheckAndTrainingDataAboveIt() {
    const QString stated = dir_.filePath("stated-model");
    QVERIFY(QDir().mkpath(stated));
    testing::writeTinyModel(stated.toStdString());
    QFile provenance(stated + "/provenance.json");
    QVERIFY(provenance.open(QIODevice::WriteOnly));
    provenance.write(R"({"training_data": "synthetic images only"})");
    provenance.close();
    app::ReportService reports(*site_, 1);
    const std::shared_ptr<app::DraftService> statedService = app::makeDraftService(stated);
    const std::vector<std::pair<std::shared_ptr<app::DraftService>, QString>> cases{
        {model_, "unknown training data"}, {statedService, "synthetic images only"}};
    int n = 0;
    for (const auto& [service, trained] : cases) {
      const int64_t study = addStudy("1.2.3.9" + std::to_string(++n));
      ui::ReportEditor editor(*site_, reports, service);
      editor.show();
      editor.setStudy(study, image_);
      QVERIFY(!editor.draftNoteLabel()->isVisible());
      clickGenerate(editor);
      QVERIFY2(editor.messageLabel()->text().contains("Draft generated"), qPrintable(editor.messageLabel()->text()));
      const QString note = editor.draftNoteLabel()->text();
      QVERIFY(editor.draftNoteLabel()->isVisible());
      QVERIFY2(note.contains("Model trained on: " + trained), qPrintable(note));
      // The tiny model's folder has no chest gate statistics: uncertain, shown as a warning.
      QVERIFY2(note.startsWith("Warning:") && note.contains("Chest radiograph check: uncertain"), qPrintable(note));
      editor.setStudy(study_, {});
      QVERIFY(!editor.draftNoteLabel()->isVisible());
    }
    const QString mr = dir_.filePath("shoulder-mr.dcm");
    testing::TestDicom image;
    image.width = image.height = 128;
    image.modality = "MR";
    testing::writeTestDicom(mr.toStdString(), image);
    const int64_t study = addStudy("1.2.3.95");
    ui::ReportEditor editor(*site_, reports, model_);
    editor.show();
    editor.setStudy(study, mr);
    clickGenerate(editor);
    QVERIFY2(editor.messageLabel()->text().contains("No draft: shoulder-mr.dcm does not look like a chest radiograph"),
             qPrintable(editor.messageLabel()->text()));
    QVERIFY(!editor.draftNoteLabel()->isVisible());
    QVERIFY(reports.versions(study).empty());
  }

  void preliminaryIsNotDemotedUnasked() {
    app::ReportService reports(*site_, 1);
    const int64_t study = preliminaryStudy(reports, "1.2.3.82");
    ui::ReportEditor editor(*site_, reports, model_);
    editor.show();
    editor.setStudy(study, image_);
    QStringList asked;
    editor.setConfirmer([&](const QString& q) { asked << q; return false; });
    clickGenerate(editor);
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked[0].contains("PRELIMINARY"), qPrintable(asked[0]));
    QVERIFY(reports.studyStatus(study) == app::ReportStatus::Preliminary);
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("The heart is enlarged."));
    editor.setConfirmer([](const QString&) { return true; });
    clickGenerate(editor);
    QVERIFY(reports.studyStatus(study) == app::ReportStatus::Draft);
    QVERIFY(reports.versions(study)[1].status == app::ReportStatus::Preliminary);
    editor.findingsEdit()->undo();
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("The heart is enlarged."));
  }

  void emptyReportIsNotSigned() {
    const int64_t study = addStudy("1.2.3.83");
    app::ReportService reports(*site_, 1);
    ui::ReportEditor editor(*site_, reports, drafts_);
    editor.show();
    editor.setStudy(study, {});
    editor.setConfirmer([](const QString&) { return true; });
    editor.findingsEdit()->setFocus();
    QTest::keyClicks(editor.findingsEdit(), "   ");
    QTest::mouseClick(editor.chip(2), Qt::LeftButton);
    const int queued = reports.trainingQueueCount();
    QVERIFY(!editor.signFinal());
    QVERIFY2(editor.messageLabel()->text().contains("empty"), qPrintable(editor.messageLabel()->text()));
    QVERIFY(!editor.signPreliminary());
    QVERIFY(reports.studyStatus(study) != app::ReportStatus::Final);
    QVERIFY(reports.studyStatus(study) != app::ReportStatus::Preliminary);
    QCOMPARE(reports.trainingQueueCount(), queued);
    QVERIFY(editor.statusBanner()->text().contains("DRAFT"));
  }

  void saveOverPreliminaryAsksFirst() {
    app::ReportService reports(*site_, 1);
    const int64_t study = preliminaryStudy(reports, "1.2.3.85");
    ui::ReportEditor editor(*site_, reports, drafts_);
    editor.show();
    editor.setStudy(study, {});
    QStringList asked;
    editor.setConfirmer([&](const QString& q) { asked << q; return false; });
    editor.findingsEdit()->setFocus();
    QTest::keyClick(editor.findingsEdit(), Qt::Key_End, Qt::ControlModifier);
    QTest::keyClicks(editor.findingsEdit(), " Small left effusion.");
    const QString typed = editor.findingsEdit()->toPlainText();
    // No: still preliminary, nothing kept, the typed text still in the editor.
    QVERIFY(!editor.save());
    QCOMPARE(asked.size(), 1);
    QVERIFY2(asked[0].contains("PRELIMINARY"), qPrintable(asked[0]));
    QVERIFY(reports.studyStatus(study) == app::ReportStatus::Preliminary);
    QCOMPARE(int(reports.versions(study).size()), 2);
    QCOMPARE(editor.findingsEdit()->toPlainText(), typed);
    QVERIFY(editor.dirty());
    QVERIFY(editor.statusBanner()->text().contains("PRELIMINARY"));
    // Yes: a draft version; the signed preliminary version stays in the versions.
    editor.setConfirmer([&](const QString& q) { asked << q; return true; });
    QVERIFY(editor.save());
    QCOMPARE(asked.size(), 2);
    QVERIFY(reports.studyStatus(study) == app::ReportStatus::Draft);
    const auto versions = reports.versions(study);
    QCOMPARE(int(versions.size()), 3);
    QVERIFY(versions[1].status == app::ReportStatus::Preliminary);
    QCOMPARE(QString::fromStdString(versions[2].findings), typed);
    QVERIFY(editor.statusBanner()->text().contains("DRAFT"));
  }

  void finalShowsSignerAndAddenda() {
    const int64_t study = addStudy("1.2.3.86"), other = addStudy("1.2.3.87");
    app::ReportService reports(*site_, 1);
    reports.save(other, "Other study's report.", "Normal.", "");
    reports.sign(other, app::ReportStatus::Final);
    ui::ReportEditor editor(*site_, reports, drafts_);
    editor.show();
    editor.setStudy(study, {});
    editor.setConfirmer([](const QString&) { return true; });
    editor.findingsEdit()->setFocus();
    QTest::keyClicks(editor.findingsEdit(), "Lungs are clear.");
    QVERIFY(editor.signPreliminary());
    const auto prelim = reports.signOff(study);
    QVERIFY(prelim.has_value());
    QVERIFY2(editor.statusBanner()->text().contains(
                 QString("Signed PRELIMINARY by Dr Rad on %1").arg(QString::fromStdString(app::localMinute(prelim->signedAt)))),
             qPrintable(editor.statusBanner()->text()));
    QVERIFY(editor.signFinal());
    const auto final = reports.signOff(study);
    QVERIFY(final.has_value());
    QCOMPARE(editor.statusBanner()->text(),
             QString("Signed FINAL by Dr Rad on %1").arg(QString::fromStdString(app::localMinute(final->signedAt))));
    QVERIFY(editor.addendaView()->isHidden());
    QVERIFY(editor.addAddendum("Prior film reviewed: unchanged."));
    QVERIFY(editor.addAddendum("Discussed with the ward."));
    QVERIFY(editor.addendaView()->isVisible());
    QVERIFY(editor.addendaView()->isReadOnly());
    const QString shown = editor.addendaView()->toPlainText();
    const auto addenda = reports.addenda(study);
    QCOMPARE(int(addenda.size()), 2);
    const QString first = QString("ADDENDUM (Dr Rad, %1): Prior film reviewed: unchanged.")
                              .arg(QString::fromStdString(app::localMinute(addenda[0].createdAt)));
    const QString second = QString("ADDENDUM (Dr Rad, %1): Discussed with the ward.")
                               .arg(QString::fromStdString(app::localMinute(addenda[1].createdAt)));
    QVERIFY2(shown.contains(first) && shown.contains(second), qPrintable(shown));
    QVERIFY(shown.indexOf(first) < shown.indexOf(second));
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("Lungs are clear."));  // the report itself is unchanged
    // Another study, final but without addenda, shows none of these; back again, they are there.
    editor.setStudy(other, {});
    QVERIFY(editor.addendaView()->isHidden());
    QVERIFY(editor.addendaView()->toPlainText().isEmpty());
    QVERIFY(editor.statusBanner()->text().startsWith("Signed FINAL by Dr Rad"));
    editor.setStudy(study, {});
    QCOMPARE(editor.addendaView()->toPlainText(), shown);
  }

  void contradictionIsShownAndMustBeConfirmed() {
    const int64_t study = addStudy("1.2.3.84");
    app::ReportService reports(*site_, 1);
    ui::ReportEditor editor(*site_, reports, drafts_);
    editor.show();
    editor.setStudy(study, {});
    editor.findingsEdit()->setFocus();
    QTest::keyClicks(editor.findingsEdit(), "No pleural effusion.");
    QTest::mouseClick(editor.chip(10), Qt::LeftButton);  // pleural effusion: positive
    QStringList asked;
    // Yes to signing, no to the disagreement.
    editor.setConfirmer([&](const QString& q) { asked << q; return !q.contains("disagree"); });
    const int queued = reports.trainingQueueCount();
    QVERIFY(!editor.signFinal());
    QVERIFY(!asked.isEmpty());
    QVERIFY2(asked.front().contains("Pleural Effusion"), qPrintable(asked.join('|')));
    QVERIFY2(editor.messageLabel()->text().contains("Pleural Effusion"), qPrintable(editor.messageLabel()->text()));
    QVERIFY(reports.studyStatus(study) == app::ReportStatus::Draft);
    QCOMPARE(reports.trainingQueueCount(), queued);
    // Confirmed: signed with the chips as they are.
    editor.setConfirmer([](const QString&) { return true; });
    QVERIFY(editor.signFinal());
    QVERIFY(reports.studyStatus(study) == app::ReportStatus::Final);
    QCOMPARE(reports.latest(study)->labels, std::string("pleural_effusion=positive"));
    QCOMPARE(reports.trainingQueueCount(), queued + 1);
  }

  void insertTextGoesAtTheFindingsCursorAndNotIntoAFinalReport() {
    app::ReportService reports(*site_, 1);
    ui::ReportEditor editor(*site_, reports, drafts_);
    const int64_t study = addStudy("1.2.3.78");
    editor.setStudy(study, {});
    editor.findingsEdit()->setPlainText("Heart: .\nLungs clear.");
    QTextCursor cursor = editor.findingsEdit()->textCursor();
    cursor.setPosition(QString("Heart: ").size());
    editor.findingsEdit()->setTextCursor(cursor);
    QVERIFY(editor.insertText("Cardiothoracic ratio: 0.48"));
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("Heart: Cardiothoracic ratio: 0.48.\nLungs clear."));
    QVERIFY(editor.dirty());
    editor.findingsEdit()->undo();  // one undoable edit
    QCOMPARE(editor.findingsEdit()->toPlainText(), QString("Heart: .\nLungs clear."));
    // The final report of the test before is read-only: nothing is inserted.
    editor.setStudy(study_, {});
    const QString final = editor.findingsEdit()->toPlainText();
    QVERIFY(!editor.insertText("Measurement: 54.2 mm (distance, PA image)"));
    QCOMPARE(editor.findingsEdit()->toPlainText(), final);
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstReportEditor)
#include "tst_report_editor.moc"
