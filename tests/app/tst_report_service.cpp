// The report workflow: versions, sign-offs, addenda, audit, training queue, autosave, and that no
// report sentence reaches the database file in plain text; an empty report is never signed, a model
// draft never replaces unsaved or signed text unasked nor without keeping it, and chips that disagree
// with the text are found and signed only when confirmed; a model's draft is credited to the model
// (name and version) and a save over a preliminary report withdraws its sign-off only when confirmed.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/audit_trail.h"
#include "app/site/finding_labels.h"
#include "app/site/label_check.h"
#include "app/site/model_versions.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/text_diff.h"
#include "app/site/user_directory.h"

using namespace fedmrg::app;

class TstReportService : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int64_t user_ = 0;

  int64_t addStudy(const std::string& uid) {
    auto st = site_->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES(?, ?)");
    st.bind(1, uid).bind(2, nowUtc()).run();
    return site_->store().lastInsertId();
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "passphrase!", "Report Site", "admin", "Admin", "adminpass1");
    UserDirectory users(*site_, UserDirectory(*site_).authenticate("admin", "adminpass1")->id);
    user_ = users.addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
    QVERIFY(users.authenticate("rad", "radpass123").has_value());
    QVERIFY(!users.authenticate("rad", "wrong-password").has_value());
    QCOMPARE(users.count(), 2);
    QVERIFY_THROWS_EXCEPTION(StoreError, users.addUser("rad", "again", Role::Admin, "longenough"));
    QVERIFY_THROWS_EXCEPTION(StoreError, users.addUser("short", "pw", Role::Admin, "short"));
  }

  void workflowKeepsEveryVersion() {
    const int64_t study = addStudy("1.2.3.100");
    ReportService reports(*site_, user_);
    QVERIFY(reports.studyStatus(study) == ReportStatus::New);
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.sign(study, ReportStatus::Final));  // nothing to sign yet
    reports.save(study, "Heart size normal.", "No acute disease.", "", "model");
    QVERIFY(reports.studyStatus(study) == ReportStatus::Draft);
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.save(study, "Heart size normal.", "No acute disease.", ""));
    reports.save(study, "Heart size is enlarged.", "Cardiomegaly.", "cardiomegaly=positive");
    reports.sign(study, ReportStatus::Preliminary);
    QVERIFY(reports.studyStatus(study) == ReportStatus::Preliminary);
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.addAddendum(study, "too early"));
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.sign(study, ReportStatus::Draft));  // signing is prelim. or final
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.sign(study, ReportStatus::New));
    const int queued = reports.trainingQueueCount();
    const auto final = reports.sign(study, ReportStatus::Final);
    QVERIFY(final.status == ReportStatus::Final);
    QCOMPARE(final.findings, std::string("Heart size is enlarged."));
    QCOMPARE(final.author, std::string("Dr Rad"));
    QCOMPARE(reports.trainingQueueCount(), queued + 1);
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.save(study, "edited after final", "", ""));
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.sign(study, ReportStatus::Final));
    reports.addAddendum(study, "Prior film reviewed: unchanged.");
    const auto versions = reports.versions(study);
    QCOMPARE(int(versions.size()), 5);
    QStringList trail;
    for (const auto& v : versions) trail << QString::fromStdString(std::string(kindKey(v.kind)) + ":" + statusKey(v.status) + ":" + v.origin);
    QCOMPARE(trail, QStringList({"report:draft:model", "report:draft:mixed", "report:preliminary:mixed",
                                 "report:final:mixed", "addendum:final:human"}));
    QCOMPARE(reports.latest(study)->version, 4);  // the addendum does not replace the report
    QStringList actions;
    for (const auto& e : auditLog(*site_, study)) actions.prepend(QString::fromStdString(e.action));
    QCOMPARE(actions, QStringList({"report.save", "report.save", "report.sign.preliminary", "report.sign.final",
                                   "training.queue", "report.addendum"}));
    QCOMPARE(QString::fromStdString(auditLog(*site_, study).front().user), QString("rad"));
    QCOMPARE(site_->store().queryInt("SELECT count(*) FROM signoffs"), int64_t(2));
  }

  void autosaveKeepsUnsavedTextUntilSave() {
    const int64_t study = addStudy("1.2.3.200");
    ReportService reports(*site_, user_);
    QVERIFY(!reports.autosaved(study).has_value());
    reports.autosave(study, "typing in progress", "", "edema=uncertain");
    reports.autosave(study, "typing in progress, more", "", "edema=uncertain");
    const auto saved = reports.autosaved(study);
    QVERIFY(saved.has_value());
    QCOMPARE(saved->findings, std::string("typing in progress, more"));
    reports.save(study, saved->findings, saved->impression, saved->labels);
    QVERIFY(!reports.autosaved(study).has_value());
  }

  void autosaveBelongsToTheUserWhoTyped() {
    const int64_t study = addStudy("1.2.3.250");
    UserDirectory users(*site_, UserDirectory(*site_).authenticate("admin", "adminpass1")->id);
    const int64_t other = users.addUser("rad2", "Dr Other", Role::Radiologist, "otherpass1");
    ReportService mine(*site_, user_), theirs(*site_, other);
    mine.autosave(study, "my unsaved findings", "my impression", "edema=positive");
    // Another user's session neither restores nor sees the text, and is told someone has unsaved text.
    QVERIFY(!theirs.autosaved(study).has_value());
    QVERIFY(!theirs.autosaveToRestore(study).has_value());
    const auto notices = theirs.othersAutosaves(study);
    QCOMPARE(int(notices.size()), 1);
    QCOMPARE(notices.front().user, std::string("Dr Rad"));
    QVERIFY(mine.othersAutosaves(study).empty());
    // Each user's text is kept apart; one user's autosave does not replace the other's.
    theirs.autosave(study, "their unsaved findings", "", "");
    QCOMPARE(mine.autosaveToRestore(study)->findings, std::string("my unsaved findings"));
    QCOMPARE(theirs.autosaveToRestore(study)->findings, std::string("their unsaved findings"));
    QCOMPARE(site_->store().queryInt("SELECT count(*) FROM autosave WHERE study_id = " + std::to_string(study)),
             int64_t(2));
    // Saving clears only the saver's own autosave; the other's text, now older than the saved
    // version, is neither restored nor mentioned any more.
    theirs.save(study, "their unsaved findings", "", "");
    QVERIFY(!theirs.autosaved(study).has_value());
    QVERIFY(mine.autosaved(study).has_value());
    QVERIFY(!mine.autosaveToRestore(study).has_value());
    QVERIFY(theirs.othersAutosaves(study).empty());
    QCOMPARE(theirs.latest(study)->author, std::string("Dr Other"));
  }

  void autosaveOfUnknownAuthorIsNeverRestored() {
    // A row kept from before autosave was per user has no author: mentioned, restored to nobody.
    const int64_t study = addStudy("1.2.3.260");
    auto st = site_->store().prepare(
        "INSERT INTO autosave(study_id, user_id, findings, impression, labels, saved_at) VALUES(?, NULL, ?, '', '', ?)");
    st.bind(1, study).bind(2, "left by an earlier session").bind(3, nowUtc()).run();
    ReportService reports(*site_, user_);
    QVERIFY(!reports.autosaveToRestore(study).has_value());
    const auto notices = reports.othersAutosaves(study);
    QCOMPARE(int(notices.size()), 1);
    QVERIFY(notices.front().user.empty());
  }

  void labelsRoundTripAndChipsCycle() {
    FindingStates s = blankFindings();
    s[2] = FindingState::Positive;
    s[10] = FindingState::Uncertain;
    const std::string text = encodeLabels(s);
    QCOMPARE(text, std::string("cardiomegaly=positive;pleural_effusion=uncertain"));
    QVERIFY(decodeLabels(text) == s);
    QVERIFY(decodeLabels("nonsense;edema=sideways;cardiomegaly=negative")[2] == FindingState::Negative);
    auto state = FindingState::Blank;
    for (auto expected : {FindingState::Positive, FindingState::Negative, FindingState::Uncertain, FindingState::Blank}) {
      state = nextState(state);
      QVERIFY(state == expected);
    }
    QCOMPARE(std::string(findingName(2)), std::string("Cardiomegaly"));
    QCOMPARE(std::string(findingStateName(FindingState::Uncertain)), std::string("uncertain"));
  }

  void diffMarksChangedWords() {
    const auto d = diffWords("The heart is normal in size.", "The heart is enlarged in size.");
    QString marked;
    for (const auto& p : d)
      marked += (p.kind == DiffPiece::Added ? "+[" : p.kind == DiffPiece::Removed ? "-[" : "[") +
                QString::fromStdString(p.text) + "]";
    QCOMPARE(marked, QString("[The heart is ]-[normal ]+[enlarged ][in size.]"));
  }

  void emptyReportIsNeverSigned() {
    const int64_t study = addStudy("1.2.3.400");
    ReportService reports(*site_, user_);
    reports.save(study, "  \n\t", " ", "cardiomegaly=positive");
    const int queued = reports.trainingQueueCount();
    for (auto status : {ReportStatus::Final, ReportStatus::Preliminary}) {
      const QString why = QString::fromStdString(reports.signRefusal(study, status));
      QVERIFY2(why.contains("empty"), qPrintable(why));
      QVERIFY_THROWS_EXCEPTION(StoreError, reports.sign(study, status, ChipsAgainstText::ConfirmedByUser));
    }
    QVERIFY(reports.studyStatus(study) == ReportStatus::Draft);
    QCOMPARE(reports.trainingQueueCount(), queued);
    // Either section alone is a report.
    reports.save(study, "", "Cardiomegaly.", "cardiomegaly=positive");
    QVERIFY(reports.signRefusal(study, ReportStatus::Final).empty());
    const ReportVersion signedVersion = reports.sign(study, ReportStatus::Final);
    // A report held back for the quality gate (model_versions.h) never waits for training.
    const bool heldBack = ModelVersions::isHeldBack(signedVersion.id, ModelVersions(*site_, user_).gateSettings());
    QCOMPARE(reports.trainingQueueCount(), queued + (heldBack ? 0 : 1));
  }

  void draftKeepsUnsavedTextAndAsksFirst() {
    const int64_t study = addStudy("1.2.3.500");
    ReportService reports(*site_, user_);
    const DraftedReport draft{"The heart is enlarged.", "Cardiomegaly.", "cardiomegaly=positive"};
    // A blank editor loses nothing: no question.
    QVERIFY(!reports.draftReplacement(study, "", " ", "").needsConfirmation());
    // Typed text that no version keeps: refused unconfirmed, kept as a version of its own when confirmed.
    const std::string typed = "My own words about the lungs.";
    const auto replaces = reports.draftReplacement(study, typed, "", "edema=uncertain");
    QVERIFY(replaces.unsavedText && !replaces.signedText);
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.applyDraft(study, typed, "", "edema=uncertain", draft, false));
    QVERIFY(reports.versions(study).empty());
    const auto v = reports.applyDraft(study, typed, "", "edema=uncertain", draft, true);
    QCOMPARE(v.findings, draft.findings);
    QCOMPARE(v.origin, std::string("model"));
    auto versions = reports.versions(study);
    QCOMPARE(int(versions.size()), 2);
    QCOMPARE(versions[0].findings, typed);
    QCOMPARE(versions[0].labels, std::string("edema=uncertain"));
    QCOMPARE(versions[0].origin, std::string("human"));
    // The editor now shows the kept draft: a new draft needs no question and keeps nothing twice.
    QVERIFY(!reports.draftReplacement(study, draft.findings, draft.impression, draft.labels).needsConfirmation());
    const DraftedReport second{"The heart is mildly enlarged.", "Mild cardiomegaly.", "cardiomegaly=positive"};
    reports.applyDraft(study, draft.findings, draft.impression, draft.labels, second, false);
    QCOMPARE(int(reports.versions(study).size()), 3);

    // Signed preliminary: never silently back to draft; the signed version stays.
    reports.sign(study, ReportStatus::Preliminary);
    const auto signedText = reports.draftReplacement(study, second.findings, second.impression, second.labels);
    QVERIFY(signedText.signedText && !signedText.unsavedText);
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.applyDraft(study, second.findings, second.impression, second.labels, draft, false));
    QVERIFY(reports.studyStatus(study) == ReportStatus::Preliminary);
    reports.applyDraft(study, second.findings, second.impression, second.labels, draft, true);
    QVERIFY(reports.studyStatus(study) == ReportStatus::Draft);
    versions = reports.versions(study);
    QCOMPARE(int(versions.size()), 5);
    QVERIFY(versions[3].status == ReportStatus::Preliminary);
    QCOMPARE(versions[3].findings, second.findings);
  }

  void modelDraftIsCreditedToTheModel() {
    const int64_t study = addStudy("1.2.3.700");
    ReportService reports(*site_, user_);
    const ModelIdentity model{"chest-model", "sha256:0123456789ab"};
    const DraftedReport draft{"The heart is enlarged.", "Cardiomegaly.", "cardiomegaly=positive", model};
    const auto drafted = reports.applyDraft(study, "", "", "", draft, false);
    // Written by the model, asked for by the user; the store keeps the user as the row's author.
    QCOMPARE(drafted.author, std::string("chest-model sha256:0123456789ab"));
    QCOMPARE(drafted.requestedBy, std::string("Dr Rad"));
    QCOMPARE(drafted.model.version, model.version);
    QCOMPARE(site_->store().queryInt("SELECT author_id FROM reports WHERE id = " + std::to_string(drafted.id)), user_);
    QCOMPARE(reports.versions(study).back().author, drafted.author);
    bool audited = false;
    for (const auto& e : auditLog(*site_, study))
      audited |= e.action == "report.save" && e.detail.find("drafted by chest-model sha256:0123456789ab") != std::string::npos;
    QVERIFY(audited);
    // A person's edit of the draft is the person's, and still names the model it started from.
    const auto edited = reports.save(study, "The heart is mildly enlarged.", "Cardiomegaly.", "cardiomegaly=positive");
    QCOMPARE(edited.origin, std::string("mixed"));
    QCOMPARE(edited.author, std::string("Dr Rad"));
    QCOMPARE(edited.model.name, model.name);
    const auto signedVersion = reports.sign(study, ReportStatus::Final);
    QCOMPARE(signedVersion.author, std::string("Dr Rad"));
    QCOMPARE(signedVersion.model.version, model.version);
    // A draft kept without a known model (or before the model was recorded) says so.
    const int64_t other = addStudy("1.2.3.701");
    QCOMPARE(reports.save(other, "Lungs clear.", "", "", "model").author,
             std::string("the report model (version not recorded)"));
  }

  void saveOverPreliminaryAsksFirst() {
    const int64_t study = addStudy("1.2.3.800");
    ReportService reports(*site_, user_);
    reports.save(study, "The heart is enlarged.", "Cardiomegaly.", "cardiomegaly=positive");
    QVERIFY(!reports.saveWithdrawsPreliminary(study, "Edited.", "", ""));  // a draft: nothing to withdraw
    const auto prelim = reports.sign(study, ReportStatus::Preliminary);
    QVERIFY(!reports.saveWithdrawsPreliminary(study, prelim.findings, prelim.impression, prelim.labels));
    QVERIFY(reports.saveWithdrawsPreliminary(study, "The heart is mildly enlarged.", "Cardiomegaly.", prelim.labels));
    // Unconfirmed: refused, nothing kept, still preliminary.
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.save(study, "The heart is mildly enlarged.", "Cardiomegaly.", prelim.labels));
    QVERIFY(reports.studyStatus(study) == ReportStatus::Preliminary);
    QCOMPARE(int(reports.versions(study).size()), 2);
    // Confirmed: a draft version; the signed one stays, and the audit says the sign-off was withdrawn.
    const auto v = reports.save(study, "The heart is mildly enlarged.", "Cardiomegaly.", prelim.labels, "human",
                                PreliminarySignOff::WithdrawalConfirmed);
    QVERIFY(v.status == ReportStatus::Draft);
    QVERIFY(reports.studyStatus(study) == ReportStatus::Draft);
    QVERIFY(reports.versions(study)[1].status == ReportStatus::Preliminary);
    const auto entry = auditLog(*site_, study).front();
    QCOMPARE(entry.action, std::string("report.save"));
    QVERIFY2(entry.detail.find("preliminary sign-off of version 2 withdrawn") != std::string::npos, entry.detail.c_str());
  }

  void signOffAndAddendaAreTheStudys() {
    const int64_t study = addStudy("1.2.3.900"), other = addStudy("1.2.3.901");
    ReportService reports(*site_, user_);
    reports.save(study, "Heart normal.", "Normal chest.", "");
    QVERIFY(!reports.signOff(study).has_value());
    reports.sign(study, ReportStatus::Preliminary);
    QVERIFY(reports.signOff(study)->status == ReportStatus::Preliminary);
    const auto final = reports.sign(study, ReportStatus::Final);
    const auto signOff = reports.signOff(study);
    QVERIFY(signOff.has_value());
    QVERIFY(signOff->status == ReportStatus::Final);
    QCOMPARE(signOff->signer, std::string("Dr Rad"));
    QCOMPARE(signOff->version, final.version);
    QVERIFY(signOff->signedAt >= final.createdAt);
    QVERIFY(reports.addenda(study).empty());
    reports.addAddendum(study, "First addendum.");
    UserDirectory users(*site_, UserDirectory(*site_).authenticate("admin", "adminpass1")->id);
    const int64_t colleague = users.addUser("rad3", "Dr Colleague", Role::Radiologist, "colleague1");
    ReportService(*site_, colleague).addAddendum(study, "Second addendum.");
    const auto addenda = reports.addenda(study);
    QCOMPARE(int(addenda.size()), 2);
    QCOMPARE(addenda[0].findings, std::string("First addendum."));
    QCOMPARE(addenda[0].author, std::string("Dr Rad"));
    QCOMPARE(addenda[1].findings, std::string("Second addendum."));
    QCOMPARE(addenda[1].author, std::string("Dr Colleague"));
    QCOMPARE(reports.signOff(study)->version, final.version);  // an addendum is no new sign-off
    QVERIFY(reports.addenda(other).empty());
    QVERIFY(!reports.signOff(other).has_value());
  }

  void chipsThatContradictTheTextAreFound() {
    const int effusion = 10;
    QCOMPARE(std::string(findingName(effusion)), std::string("Pleural Effusion"));
    auto found = chipsAgainstText("No pleural effusion.", "Normal chest.", "pleural_effusion=positive");
    QCOMPARE(int(found.size()), 1);
    QCOMPARE(found[0].finding, effusion);
    QVERIFY(found[0].chip == FindingState::Positive);
    QVERIFY(found[0].text == FindingState::Negative);
    QVERIFY(QString::fromStdString(describe(found)).contains("Pleural Effusion: chip positive, text negative"));
    // Agreement, and blank chips (which claim nothing), are no disagreement.
    QVERIFY(chipsAgainstText("Small left pleural effusion.", "", "pleural_effusion=positive").empty());
    QVERIFY(chipsAgainstText("No pleural effusion.", "", "").empty());
    // A set chip the text never mentions disagrees too.
    found = chipsAgainstText("The heart is normal in size.", "", "pneumothorax=negative");
    QCOMPARE(int(found.size()), 1);
    QVERIFY(found[0].text == FindingState::Blank);

    // Signing: refused unconfirmed; confirmed, the chips are what is signed and queued, and the audit says so.
    const int64_t study = addStudy("1.2.3.600");
    ReportService reports(*site_, user_);
    reports.save(study, "No pleural effusion.", "Normal chest.", "pleural_effusion=positive");
    QCOMPARE(int(reports.labelDisagreements(study).size()), 1);
    const int queued = reports.trainingQueueCount();
    QVERIFY_THROWS_EXCEPTION(StoreError, reports.sign(study, ReportStatus::Final));
    QVERIFY(reports.studyStatus(study) == ReportStatus::Draft);
    QCOMPARE(reports.trainingQueueCount(), queued);
    const auto v = reports.sign(study, ReportStatus::Final, ChipsAgainstText::ConfirmedByUser);
    QCOMPARE(v.labels, std::string("pleural_effusion=positive"));
    QCOMPARE(reports.trainingQueueCount(), queued + 1);
    QCOMPARE(site_->store().queryInt("SELECT count(*) FROM training_queue t JOIN reports r ON r.id = t.report_id "
                                     "WHERE r.study_id = " + std::to_string(study) + " AND r.labels = 'pleural_effusion=positive'"),
             int64_t(1));
    bool audited = false;
    for (const auto& e : auditLog(*site_, study))
      audited |= e.action == "report.sign.final" && e.detail.find("chips confirmed") != std::string::npos;
    QVERIFY(audited);
  }

  void noReportSentenceInPlainText() {
    const std::string sentence = "Distinctive sentence about a left apical pneumothorax 7319.";
    const int64_t study = addStudy("1.2.3.300");
    ReportService reports(*site_, user_);
    reports.save(study, sentence, sentence, "pneumothorax=positive");
    reports.autosave(study, sentence + " more", sentence, "");
    const QString dir = site_->dir();
    // Both with the text still in the write-ahead log and after a checkpoint into the main file.
    for (int pass = 0; pass < 2; ++pass) {
      if (pass == 1) site_->store().exec("PRAGMA wal_checkpoint(TRUNCATE)");
      const QStringList files = QDir(dir).entryList({"site.db*"}, QDir::Files);
      QVERIFY(files.contains("site.db"));
      for (const QString& name : files) {
        QFile f(QDir(dir).filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY2(!bytes.contains("pneumothorax 7319"), qPrintable(name));
        QVERIFY2(!bytes.contains("Distinctive"), qPrintable(name));
        QVERIFY2(!bytes.contains("Dr Rad"), qPrintable(name));
      }
    }
  }
};

QTEST_APPLESS_MAIN(TstReportService)
#include "tst_report_service.moc"
