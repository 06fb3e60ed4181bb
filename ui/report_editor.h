#pragma once
// The report editor of the open study: 14 diagnosis chips, FINDINGS and IMPRESSION, draft
// generation off the GUI thread, save, sign (preliminary / final, confirmed), addenda, versions
// with a diff, the audit log, and autosave every 2 seconds.
#include <QWidget>
#include <array>
#include <atomic>
#include <functional>
#include <memory>

#include "app/site/draft_service.h"
#include "app/site/finding_labels.h"
#include "app/site/report_service.h"

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;

namespace fedmrg::app {
class Site;
struct ReportTemplate;
}

namespace fedmrg::ui {

class PatientBanner;

class ReportEditor : public QWidget {
  Q_OBJECT

 public:
  // `reports` is the signed-in user's workflow on `site` and outlives the editor; `drafts` is shared
  // with the worker thread of a running draft.
  ReportEditor(app::Site& site, app::ReportService& reports, std::shared_ptr<app::DraftService> drafts,
               QWidget* parent = nullptr);
  ~ReportEditor() override;

  // Loads the study's latest report, or the autosaved text when it is newer.
  void setStudy(int64_t studyId, const QString& firstImageFile);
  int64_t study() const { return studyId_; }

  QPlainTextEdit* findingsEdit() const { return findings_; }
  QPlainTextEdit* impressionEdit() const { return impression_; }
  // The final report's addenda, read-only below it, oldest first; hidden when there are none.
  QPlainTextEdit* addendaView() const { return addenda_; }
  QPushButton* chip(int observation) const { return chips_[size_t(observation)]; }
  QLabel* statusBanner() const { return banner_; }
  // The identity of the study being edited, at the top of the editor; follows setStudy.
  PatientBanner* patientBanner() const { return patientBanner_; }
  QLabel* messageLabel() const { return message_; }
  QLabel* draftNoteLabel() const { return draftNote_; }  // the chest check and training data above the draft
  QPushButton* generateButton() const { return generate_; }
  QPushButton* signPreliminaryButton() const { return signPrelim_; }
  QPushButton* signFinalButton() const { return signFinal_; }
  QPushButton* addendumButton() const { return addendum_; }
  bool generating() const { return generating_; }
  app::FindingStates labels() const { return states_; }
  bool dirty() const { return dirty_; }

  // Replaces the confirmation dialogs (replacing text with a draft, chips that disagree with the
  // text, signing) so tests run without modal loops; returns true to proceed.
  void setConfirmer(std::function<bool(const QString&)> confirm) { confirm_ = std::move(confirm); }

 public slots:
  void generateDraft();
  void cancelDraft();
  bool save();
  bool signPreliminary() { return sign(app::ReportStatus::Preliminary); }
  bool signFinal() { return sign(app::ReportStatus::Final); }
  bool addAddendum(const QString& text = {});
  // Exports the final report as DICOM Basic Text SR (asks for the file when none is given).
  bool exportSr(const QString& file = {});
  void showVersions();
  void showAuditLog();
  // Puts a template into the report: an empty section takes the template's text, a section with
  // text gets it at the cursor (the focused section) or at its end, never losing a word; chips as
  // app::chipsAfterTemplate says. One Undo per section brings its text back (in FINDINGS also the
  // chips). Refused, with a message, when no study is open or the report is final.
  bool insertTemplate(const app::ReportTemplate& t);
  // Gives the keyboard focus to the first chip (FindingChip says which keys then work).
  void focusChips();
  // Writes the unsaved text to the store (called by the timer; public for tests).
  void autosaveNow();
  // Puts `line` ("COMPARISON: ...") first in FINDINGS, or in place of the COMPARISON line there, as
  // one undoable edit (app::withComparisonLine). Refused, with a message, when the text is read-only.
  bool applyComparisonLine(const QString& line);
  // Inserts `text` at the cursor of FINDINGS as one undoable edit (measurements from the viewer);
  // false, changing nothing, when the report cannot be edited (no study, final, drafting).
  bool insertText(const QString& text);

 signals:
  void reportChanged(qint64 studyId);  // a version was saved or signed

 private:
  bool sign(app::ReportStatus status);
  // Asks the user (or the test's confirmer); "No" is the default answer.
  bool ask(const QString& title, const QString& question);
  // Shows the model's draft as one undoable edit per section; undo in FINDINGS also restores the chips.
  void showDraft(const app::DraftedReport& draft);
  // The line above the draft: the chest radiograph check and what the model was trained on (a warning when
  // the check is uncertain); hidden when `draft` is null.
  void showDraftNote(const app::DraftedReport* draft);
  // Runs a store change; shows its error, or `done` and announces the change.
  bool runStoreAction(const std::function<void()>& action, const QString& done);
  void markDirty();
  void refreshState();
  void setChip(int i, app::FindingState s);
  void showMessage(const QString& text, bool error = false);
  void showAddenda();
  // "Signed FINAL by <signer> on <local time>", or the plain status while the report is a draft.
  QString statusText(app::ReportStatus status);

  app::Site& site_;
  app::ReportService& reports_;
  std::shared_ptr<app::DraftService> drafts_;
  int64_t studyId_ = 0;
  QString imageFile_;
  app::FindingStates states_ = app::blankFindings();
  std::array<QPushButton*, app::kFindingCount> chips_{};
  PatientBanner* patientBanner_;
  QLabel* banner_;
  QLabel* message_;
  QLabel* draftNote_;
  QPlainTextEdit* findings_;
  QPlainTextEdit* impression_;
  QPlainTextEdit* addenda_;
  QPushButton* generate_;
  QPushButton* cancel_;
  QPushButton* save_;
  QPushButton* signPrelim_;
  QPushButton* signFinal_;
  // Why this user may not sign or add addenda (role_hints.h); empty for a radiologist.
  QString signingNote_;
  QPushButton* addendum_;
  QPushButton* exportSr_;
  QProgressBar* progress_;
  QTimer* autosaveTimer_;
  bool dirty_ = false, loading_ = false, generating_ = false;
  std::shared_ptr<std::atomic<bool>> cancelDraft_;
  std::function<bool(const QString&)> confirm_;
};

}  // namespace fedmrg::ui
