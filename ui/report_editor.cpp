#include "ui/report_editor.h"

#include <QAbstractUndoItem>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "app/site/prior_report.h"
#include "app/site/report_templates.h"
#include "app/site/site.h"
#include "app/site/sr_export.h"
#include "app/site/stored_time.h"
#include "app/site/text_diff.h"
#include "app/site/version_comparison.h"
#include "ui/audit_log_dialog.h"
#include "ui/finding_chip.h"
#include "ui/finding_text.h"
#include "ui/patient_banner.h"
#include "ui/role_hints.h"

namespace fedmrg::ui {
namespace {

// The kinds of version (app::kindKey), translated in the versions table.
[[maybe_unused]] constexpr const char* kKindWords[] = {QT_TRANSLATE_NOOP("fedmrg::ui::ReportEditor", "report"),
                                                       QT_TRANSLATE_NOOP("fedmrg::ui::ReportEditor", "addendum")};

constexpr int kAutosaveMs = 2000;

QString chipStyle(app::FindingState s) {
  const char* colour = "#3a3a3a";
  switch (s) {
    case app::FindingState::Positive: colour = "#8b2e2e"; break;
    case app::FindingState::Negative: colour = "#2e6b3a"; break;
    case app::FindingState::Uncertain: colour = "#8a6d1f"; break;
    default: break;
  }
  // The focus frame shows which chip the keyboard works on (FindingChip).
  return QStringLiteral("QPushButton { background: %1; color: white; border-radius: 9px; padding: 2px 8px; }"
                        "QPushButton:focus { border: 2px solid #f0d060; }")
      .arg(colour);
}

// The chips' part of a draft's undoable edit: the text undo stack knows nothing of the chips.
class ChipsUndo : public QAbstractUndoItem {
 public:
  using Apply = std::function<void(const app::FindingStates&)>;
  ChipsUndo(Apply apply, const app::FindingStates& before, const app::FindingStates& after)
      : apply_(std::move(apply)), before_(before), after_(after) {}
  void undo() override { apply_(before_); }
  void redo() override { apply_(after_); }

 private:
  Apply apply_;
  app::FindingStates before_, after_;
};

struct DraftOutcome {
  bool ok = false;
  bool cancelled = false;
  QString error;
  app::DraftedReport draft;
};

}  // namespace

ReportEditor::ReportEditor(app::Site& site, app::ReportService& reports, std::shared_ptr<app::DraftService> drafts,
                           QWidget* parent)
    : QWidget(parent), site_(site), reports_(reports), drafts_(std::move(drafts)) {
  auto* layout = new QVBoxLayout(this);
  patientBanner_ = new PatientBanner(this);
  layout->addWidget(patientBanner_);
  banner_ = new QLabel(this);
  banner_->setTextFormat(Qt::PlainText);
  banner_->setAlignment(Qt::AlignCenter);
  banner_->setObjectName(QStringLiteral("statusBanner"));
  layout->addWidget(banner_);

  auto* chipGrid = new QGridLayout;
  chipGrid->setSpacing(4);
  for (int i = 0; i < app::kFindingCount; ++i) {
    auto* chip = new FindingChip(this);
    connect(chip, &QPushButton::clicked, this, [this, i] {
      setChip(i, app::nextState(states_[size_t(i)]));
      markDirty();
    });
    connect(chip, &FindingChip::stateChosen, this, [this, i](app::FindingState s) {
      setChip(i, s);
      markDirty();
    });
    connect(chip, &FindingChip::leaveRequested, this, [this] { findings_->setFocus(); });
    chips_[size_t(i)] = chip;
    chipGrid->addWidget(chip, i / 2, i % 2);
  }
  layout->addLayout(chipGrid);

  draftNote_ = new QLabel(this);
  draftNote_->setObjectName(QStringLiteral("draftNote"));
  draftNote_->setWordWrap(true);
  draftNote_->setTextFormat(Qt::PlainText);
  draftNote_->hide();
  layout->addWidget(draftNote_);
  layout->addWidget(new QLabel(tr("FINDINGS"), this));
  findings_ = new QPlainTextEdit(this);
  findings_->setAccessibleName(tr("Findings"));
  layout->addWidget(findings_, 3);
  layout->addWidget(new QLabel(tr("IMPRESSION"), this));
  impression_ = new QPlainTextEdit(this);
  impression_->setAccessibleName(tr("Impression"));
  layout->addWidget(impression_, 1);
  addenda_ = new QPlainTextEdit(this);
  addenda_->setReadOnly(true);
  addenda_->setAccessibleName(tr("Addenda"));
  addenda_->hide();
  layout->addWidget(addenda_, 1);
  connect(findings_, &QPlainTextEdit::textChanged, this, &ReportEditor::markDirty);
  connect(impression_, &QPlainTextEdit::textChanged, this, &ReportEditor::markDirty);

  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  progress_->hide();
  layout->addWidget(progress_);
  message_ = new QLabel(this);
  message_->setTextFormat(Qt::PlainText);  // may quote file names and DICOM text
  message_->setWordWrap(true);
  layout->addWidget(message_);

  // Their shortcuts are the Report menu's actions (MainWindow), shown there and in F1.
  auto* row1 = new QHBoxLayout;
  generate_ = new QPushButton(tr("Generate draft"), this);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->hide();
  save_ = new QPushButton(tr("Save"), this);
  row1->addWidget(generate_);
  row1->addWidget(cancel_);
  row1->addWidget(save_);
  layout->addLayout(row1);
  auto* row2 = new QHBoxLayout;
  signPrelim_ = new QPushButton(tr("Sign preliminary"), this);
  signFinal_ = new QPushButton(tr("Sign final"), this);
  addendum_ = new QPushButton(tr("Addendum"), this);
  row2->addWidget(signPrelim_);
  row2->addWidget(signFinal_);
  row2->addWidget(addendum_);
  layout->addLayout(row2);
  // Only radiologists sign: the buttons stay disabled for anyone else and say why (the service refuses too).
  if (const auto user = app::UserDirectory(site_).find(reports_.userId())) signingNote_ = signingRoleNote(*user);
  auto* row3 = new QHBoxLayout;
  auto* versions = new QPushButton(tr("Versions"), this);
  auto* audit = new QPushButton(tr("Audit log"), this);
  exportSr_ = new QPushButton(tr("Export SR…"), this);
  // The keys are the Report menu's (tst_keyboard_flow checks that each button names its action's key).
  generate_->setToolTip(tr("Draft the findings, impression and chips from the open image (Ctrl+G)"));
  cancel_->setToolTip(tr("Stop the draft being generated; the report is left as it was"));
  save_->setToolTip(tr("Keep the text and the chips as a new version (Ctrl+S)"));
  signPrelim_->setToolTip(tr("Sign the report preliminary (Ctrl+Shift+P)"));
  signFinal_->setToolTip(
      tr("Sign the report final: it becomes read-only and enters the training queue (Ctrl+Shift+F)"));
  addendum_->setToolTip(tr("Add an addendum to the final report (Ctrl+Shift+D)"));
  versions->setToolTip(tr("Every version of the report with its differences (Ctrl+Shift+H)"));
  audit->setToolTip(tr("Who did what to this study, and when (Ctrl+Shift+L)"));
  exportSr_->setToolTip(tr("Write the final report as a DICOM SR into the study (Ctrl+Shift+E)"));
  // A user who may not sign is told why instead (the buttons stay disabled, see setSignButtons).
  if (!signingNote_.isEmpty())
    for (QPushButton* b : {signPrelim_, signFinal_, addendum_}) b->setToolTip(signingNote_);
  row3->addWidget(exportSr_);
  row3->addWidget(versions);
  row3->addWidget(audit);
  layout->addLayout(row3);

  connect(generate_, &QPushButton::clicked, this, &ReportEditor::generateDraft);
  connect(cancel_, &QPushButton::clicked, this, &ReportEditor::cancelDraft);
  connect(save_, &QPushButton::clicked, this, &ReportEditor::save);
  connect(signPrelim_, &QPushButton::clicked, this, &ReportEditor::signPreliminary);
  connect(signFinal_, &QPushButton::clicked, this, &ReportEditor::signFinal);
  connect(addendum_, &QPushButton::clicked, this, [this] { addAddendum(); });
  connect(exportSr_, &QPushButton::clicked, this, [this] { exportSr(); });
  connect(versions, &QPushButton::clicked, this, &ReportEditor::showVersions);
  connect(audit, &QPushButton::clicked, this, &ReportEditor::showAuditLog);

  autosaveTimer_ = new QTimer(this);
  autosaveTimer_->setInterval(kAutosaveMs);
  connect(autosaveTimer_, &QTimer::timeout, this, &ReportEditor::autosaveNow);
  autosaveTimer_->start();

  for (int i = 0; i < app::kFindingCount; ++i) setChip(i, app::FindingState::Blank);
  refreshState();
}

ReportEditor::~ReportEditor() {
  if (cancelDraft_) cancelDraft_->store(true);
  try {
    autosaveNow();
  } catch (...) {  // the store is closing: nothing more can be kept
  }
}

void ReportEditor::setStudy(int64_t studyId, const QString& firstImageFile) {
  autosaveNow();
  cancelDraft();
  studyId_ = studyId;
  patientBanner_->showStudy(site_, studyId);
  imageFile_ = firstImageFile;
  loading_ = true;
  const auto latest = studyId ? reports_.latest(studyId) : std::nullopt;
  const auto saved = studyId ? reports_.autosaveToRestore(studyId) : std::nullopt;
  std::string findings, impression, labels;
  if (latest) findings = latest->findings, impression = latest->impression, labels = latest->labels;
  const bool restore = saved.has_value();
  if (restore) findings = saved->findings, impression = saved->impression, labels = saved->labels;
  findings_->setPlainText(QString::fromStdString(findings));
  impression_->setPlainText(QString::fromStdString(impression));
  const auto states = app::decodeLabels(labels);
  for (int i = 0; i < app::kFindingCount; ++i) setChip(i, states[size_t(i)]);
  loading_ = false;
  dirty_ = restore;
  QString note = restore ? tr("Restored unsaved text from %1.").arg(QString::fromStdString(saved->savedAt)) : QString();
  // Another user's unsaved text is theirs: named, never loaded into this user's editor.
  const auto others = studyId ? reports_.othersAutosaves(studyId) : std::vector<app::AutosaveNotice>{};
  if (!others.empty())
    note = (note.isEmpty() ? QString() : note + QLatin1Char(' ')) +
           tr("%1 left unsaved text on this study (%2); it is not shown here.")
               .arg(others.front().user.empty() ? tr("Another session") : QString::fromStdString(others.front().user),
                    QString::fromStdString(others.front().savedAt));
  showMessage(note);
  showDraftNote(nullptr);
  showAddenda();
  refreshState();
}

void ReportEditor::showDraftNote(const app::DraftedReport* draft) {
  draftNote_->setVisible(draft != nullptr);
  if (!draft) return;
  const QString check = QString::fromStdString(draft->chestCheckLine);
  const QString trained = tr("Model trained on: %1.").arg(QString::fromStdString(draft->trainingData));
  draftNote_->setText(
      draft->chestUncertain()
          ? tr("Warning: this may not be a chest radiograph the model knows. Chest radiograph check: %1. %2")
                .arg(check, trained)
          : tr("Chest radiograph check: %1. %2").arg(check, trained));
  draftNote_->setStyleSheet(draft->chestUncertain() ? QStringLiteral("QLabel { color: #b06000; font-weight: bold; }")
                                                    : QString());
}

void ReportEditor::showAddenda() {
  // Read each time from the store: the addenda shown are always the open study's.
  const auto addenda = studyId_ ? reports_.addenda(studyId_) : std::vector<app::ReportVersion>{};
  QStringList lines;
  for (const auto& a : addenda)
    lines << tr("ADDENDUM (%1, %2): %3")
                 .arg(QString::fromStdString(a.author), QString::fromStdString(app::localMinute(a.createdAt)),
                      QString::fromStdString(a.findings));
  addenda_->setPlainText(lines.join(QStringLiteral("\n\n")));
  addenda_->setVisible(!addenda.empty());
}

QString ReportEditor::statusText(app::ReportStatus status) {
  if (status != app::ReportStatus::Final && status != app::ReportStatus::Preliminary) return tr("DRAFT — not signed");
  const bool final = status == app::ReportStatus::Final;
  const auto signOff = reports_.signOff(studyId_);
  if (!signOff) return final ? tr("FINAL — signed") : tr("PRELIMINARY — not final");
  const QString who = signOff->signer.empty() ? tr("an unknown user") : QString::fromStdString(signOff->signer);
  const QString when = QString::fromStdString(app::localMinute(signOff->signedAt));
  return final ? tr("Signed FINAL by %1 on %2").arg(who, when)
               : tr("Signed PRELIMINARY by %1 on %2 — not final").arg(who, when);
}

void ReportEditor::setChip(int i, app::FindingState s) {
  states_[size_t(i)] = s;
  auto* chip = chips_[size_t(i)];
  chip->setText(findingText(i, s));
  chip->setStyleSheet(chipStyle(s));
}

void ReportEditor::markDirty() {
  if (loading_) return;
  dirty_ = true;
  refreshState();
}

void ReportEditor::refreshState() {
  const app::ReportStatus status = studyId_ ? reports_.studyStatus(studyId_) : app::ReportStatus::New;
  const bool final = status == app::ReportStatus::Final;
  QString text;
  QString colour = QStringLiteral("#8b2e2e");
  if (!studyId_) text = tr("No study open");
  else text = statusText(status);
  if (studyId_ && final) colour = QStringLiteral("#2e6b3a");
  else if (studyId_ && status == app::ReportStatus::Preliminary) colour = QStringLiteral("#8a6d1f");
  if (dirty_ && studyId_) text += tr("  (unsaved changes)");
  banner_->setText(text);
  banner_->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold; padding: 4px; }").arg(colour));
  const bool editable = studyId_ && !final && !generating_;
  findings_->setReadOnly(!editable);
  impression_->setReadOnly(!editable);
  for (auto* chip : chips_) chip->setEnabled(editable);
  generate_->setEnabled(editable);
  save_->setEnabled(editable);
  const bool maySign = signingNote_.isEmpty();
  signPrelim_->setEnabled(maySign && editable && status != app::ReportStatus::New);
  signFinal_->setEnabled(maySign && editable && status != app::ReportStatus::New);
  addendum_->setEnabled(maySign && studyId_ && final);
  exportSr_->setEnabled(studyId_ && final);
}

void ReportEditor::showMessage(const QString& text, bool error) {
  message_->setText(text);
  message_->setStyleSheet(error ? QStringLiteral("QLabel { color: #c03030; }") : QString());
}

void ReportEditor::generateDraft() {
  if (!studyId_ || generating_) return;
  QString reason;
  if (!drafts_->available(&reason)) {
    showMessage(reason, true);
    return;
  }
  const std::string findings = findings_->toPlainText().toStdString(), impression = impression_->toPlainText().toStdString();
  const std::string labels = app::encodeLabels(states_);
  const auto replaces = reports_.draftReplacement(studyId_, findings, impression, labels);
  if (replaces.needsConfirmation()) {
    QString question = replaces.signedText
                           ? tr("This report is signed PRELIMINARY. A new draft replaces the signed text and returns the "
                                "report to DRAFT.")
                           : tr("A new draft replaces the text in the editor.");
    question += tr(" The current text is kept as a version, and Undo brings it back. Generate a new draft?");
    if (!ask(tr("Replace the report text"), question)) {
      showMessage(tr("No draft generated; the text is unchanged."));
      return;
    }
  }
  generating_ = true;
  cancelDraft_ = std::make_shared<std::atomic<bool>>(false);
  progress_->setValue(0);
  progress_->show();
  cancel_->show();
  showMessage(tr("Generating a draft…"));
  refreshState();
  auto service = drafts_;
  auto cancel = cancelDraft_;
  const QString file = imageFile_;
  QPointer<QProgressBar> bar = progress_;
  auto* watcher = new QFutureWatcher<DraftOutcome>(this);
  connect(watcher, &QFutureWatcher<DraftOutcome>::finished, this,
          [this, watcher, studyId = studyId_, findings, impression, labels, replaces] {
    const DraftOutcome outcome = watcher->result();
    watcher->deleteLater();
    generating_ = false;
    progress_->hide();
    cancel_->hide();
    if (studyId != studyId_) return;  // the user moved on
    if (outcome.cancelled) showMessage(tr("Draft generation cancelled."));
    else if (!outcome.ok) {
      showDraftNote(nullptr);
      showMessage(outcome.error, true);
    } else {
      try {
        // The editor was read-only while the model ran: this is the text the user confirmed replacing.
        reports_.applyDraft(studyId_, findings, impression, labels, outcome.draft, replaces.needsConfirmation());
        showDraft(outcome.draft);
        showDraftNote(&outcome.draft);
        dirty_ = false;
        QString done = tr("Draft generated by the model: check every sentence before signing.");
        if (replaces.needsConfirmation()) done += tr(" The previous text is kept in Versions; Undo brings it back.");
        showMessage(done);
        emit reportChanged(studyId_);
      } catch (const std::exception& e) {
        showMessage(QString::fromUtf8(e.what()), true);
      }
    }
    refreshState();
  });
  watcher->setFuture(QtConcurrent::run([service, cancel, file, bar]() {
    DraftOutcome out;
    try {
      out.ok = service->generate(file, out.draft,
                                 [bar](double p) {
                                   QMetaObject::invokeMethod(bar, [bar, p] { if (bar) bar->setValue(int(p * 100)); },
                                                             Qt::QueuedConnection);
                                 },
                                 *cancel);
      out.cancelled = !out.ok;
    } catch (const std::exception& e) {
      out.error = QString::fromUtf8(e.what());
    }
    return out;
  }));
}

void ReportEditor::showDraft(const app::DraftedReport& draft) {
  const app::FindingStates before = states_, after = app::decodeLabels(draft.labels);
  QPointer<ReportEditor> self = this;
  auto applyChips = [self](const app::FindingStates& states) {
    if (!self) return;
    for (int i = 0; i < app::kFindingCount; ++i) self->setChip(i, states[size_t(i)]);
    self->markDirty();
  };
  loading_ = true;
  for (auto* edit : {findings_, impression_}) {
    // Not setPlainText(): it empties the undo stack, and with it the only way back to the old text.
    QTextCursor cursor(edit->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromStdString(edit == findings_ ? draft.findings : draft.impression));
    if (edit == findings_) edit->document()->appendUndoItem(new ChipsUndo(applyChips, before, after));
    cursor.endEditBlock();
  }
  applyChips(after);
  loading_ = false;
}

void ReportEditor::cancelDraft() {
  if (cancelDraft_) cancelDraft_->store(true);
}

bool ReportEditor::runStoreAction(const std::function<void()>& action, const QString& done) {
  try {
    action();
  } catch (const std::exception& e) {
    showMessage(QString::fromUtf8(e.what()), true);
    return false;
  }
  showMessage(done);
  emit reportChanged(studyId_);
  refreshState();
  return true;
}

bool ReportEditor::save() {
  if (!studyId_) return false;
  const std::string findings = findings_->toPlainText().toStdString(), impression = impression_->toPlainText().toStdString();
  const std::string labels = app::encodeLabels(states_);
  auto preliminary = app::PreliminarySignOff::MustStay;
  if (reports_.saveWithdrawsPreliminary(studyId_, findings, impression, labels)) {
    if (!ask(tr("Withdraw the preliminary sign-off"),
             tr("This report is signed PRELIMINARY. Saving the changes withdraws the sign-off and returns the report "
                "to DRAFT; the signed version stays in Versions. Save?"))) {
      showMessage(tr("Not saved: the report stays PRELIMINARY, and your text stays in the editor."));
      return false;
    }
    preliminary = app::PreliminarySignOff::WithdrawalConfirmed;
  }
  return runStoreAction(
      [&] {
        reports_.save(studyId_, findings, impression, labels, "human", preliminary);
        dirty_ = false;
      },
      preliminary == app::PreliminarySignOff::WithdrawalConfirmed
          ? tr("Saved as a draft; the preliminary sign-off is withdrawn.")
          : tr("Saved."));
}

bool ReportEditor::sign(app::ReportStatus status) {
  if (!studyId_) return false;
  if (dirty_ && !save()) return false;
  if (const std::string refusal = reports_.signRefusal(studyId_, status); !refusal.empty()) {
    showMessage(tr("Not signed: %1.").arg(QString::fromStdString(refusal)), true);
    return false;
  }
  auto chips = app::ChipsAgainstText::MustAgree;
  if (const auto disagreements = reports_.labelDisagreements(studyId_); !disagreements.empty()) {
    const QString list = QString::fromStdString(app::describe(disagreements));
    showMessage(tr("The chips disagree with the text: %1.").arg(list), true);
    const QString question = tr("The chips disagree with the text:\n%1\n\nThe chips are what the training queue "
                                "records. Sign with the chips as they are?").arg(list);
    if (!ask(tr("Chips and text disagree"), question)) return false;
    chips = app::ChipsAgainstText::ConfirmedByUser;
  }
  const bool final = status == app::ReportStatus::Final;
  const QString question = final ? tr("Sign this report as FINAL? It can then only be changed by an addendum.")
                                 : tr("Sign this report as PRELIMINARY?");
  if (!ask(tr("Sign report"), question)) return false;
  return runStoreAction([&] { reports_.sign(studyId_, status, chips); },
                        final ? tr("Signed as final; added to the training queue (nothing trains from it yet).") : tr("Signed as preliminary."));
}

bool ReportEditor::ask(const QString& title, const QString& question) {
  if (confirm_) return confirm_(question);
  return QMessageBox::question(this, title, question, QMessageBox::Yes | QMessageBox::No, QMessageBox::No) ==
         QMessageBox::Yes;
}

bool ReportEditor::addAddendum(const QString& given) {
  if (!studyId_) return false;
  QString text = given;
  if (text.isEmpty()) {
    bool ok = false;
    text = QInputDialog::getMultiLineText(this, tr("Addendum"), tr("Addendum to the final report:"), {}, &ok);
    if (!ok) return false;
  }
  const bool added = runStoreAction([&] { reports_.addAddendum(studyId_, text.toStdString()); }, tr("Addendum added."));
  showAddenda();
  return added;
}

bool ReportEditor::exportSr(const QString& given) {
  if (!studyId_) return false;
  QString file = given;
  if (file.isEmpty())
    file = QFileDialog::getSaveFileName(this, tr("Export the final report as DICOM SR"), QStringLiteral("report-sr.dcm"),
                                        tr("DICOM files (*.dcm)"));
  if (file.isEmpty()) return false;
  try {
    const auto result = app::exportFinalReportAsSr(site_, studyId_, file, reports_.userId());
    showMessage(tr("Exported as DICOM SR to %1.").arg(QDir::toNativeSeparators(result.file)));
    return true;
  } catch (const std::exception& e) {
    showMessage(QString::fromUtf8(e.what()), true);
    return false;
  }
}

bool ReportEditor::insertText(const QString& text) {
  if (text.isEmpty() || findings_->isReadOnly()) return false;
  findings_->insertPlainText(text);  // marks the report dirty through the text's change signal
  findings_->setFocus();
  return true;
}

void ReportEditor::autosaveNow() {
  if (!dirty_ || !studyId_) return;
  reports_.autosave(studyId_, findings_->toPlainText().toStdString(), impression_->toPlainText().toStdString(),
                    app::encodeLabels(states_));
}

void ReportEditor::showVersions() {
  if (!studyId_) return;
  const auto versions = reports_.versions(studyId_);
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Report versions"));
  auto* layout = new QHBoxLayout(&dialog);
  auto* table = new QTableWidget(int(versions.size()), 6, &dialog);
  table->setHorizontalHeaderLabels({tr("Version"), tr("Kind"), tr("Status"), tr("Written by"), tr("Saved by"), tr("When")});
  for (int r = 0; r < int(versions.size()); ++r) {
    const auto& v = versions[size_t(r)];
    // A model's draft is credited to the model; "Saved by" names who asked for it.
    const QStringList cells{QString::number(v.version),
                            QCoreApplication::translate("fedmrg::ui::ReportEditor", app::kindKey(v.kind)),
                            QCoreApplication::translate("fedmrg::ui::MainWindow", app::statusKey(v.status)),
                            v.author.empty() ? tr("unknown") : QString::fromStdString(v.author),
                            v.requestedBy.empty() ? tr("unknown") : QString::fromStdString(v.requestedBy),
                            QString::fromStdString(app::localMinute(v.createdAt))};
    for (int c = 0; c < int(cells.size()); ++c) table->setItem(r, c, new QTableWidgetItem(cells[c]));
  }
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->horizontalHeader()->setStretchLastSection(true);
  auto* view = new QTextBrowser(&dialog);
  connect(table, &QTableWidget::currentCellChanged, view, [&](int row) {
    if (row < 0) return;
    const auto& v = versions[size_t(row)];
    const app::ReportVersion* base = app::comparedWith(versions, size_t(row));
    const QString heading = v.kind == app::ReportKind::Addendum ? tr("Addendum: added to the final report")
                            : base ? tr("Changes from v%1").arg(base->version)
                                   : tr("First version");
    QString html = QStringLiteral("<p><i>%1</i></p><p style='white-space: pre-wrap'>").arg(heading);
    for (const auto& piece : app::versionDiff(versions, size_t(row))) {
      const QString t = QString::fromStdString(piece.text).toHtmlEscaped();
      if (piece.kind == app::DiffPiece::Added) html += "<span style='background:#c8f0c8'>" + t + "</span>";
      else if (piece.kind == app::DiffPiece::Removed) html += "<span style='background:#f0c8c8'><s>" + t + "</s></span>";
      else html += t;
    }
    view->setHtml(html + "</p>");
  });
  layout->addWidget(table, 3);
  layout->addWidget(view, 2);
  if (!versions.empty()) table->setCurrentCell(int(versions.size()) - 1, 0);
  dialog.resize(1100, 500);
  dialog.exec();
}

void ReportEditor::showAuditLog() { AuditLogDialog(site_, reports_.userId(), studyId_, this).exec(); }

bool ReportEditor::applyComparisonLine(const QString& line) {
  if (!studyId_ || findings_->isReadOnly()) {
    showMessage(tr("The report cannot be edited now: a final report takes the comparison in an addendum."), true);
    return false;
  }
  const QString text =
      QString::fromStdString(app::withComparisonLine(findings_->toPlainText().toStdString(), line.toStdString()));
  if (text == findings_->toPlainText()) return true;
  QTextCursor cursor(findings_->document());
  cursor.select(QTextCursor::Document);
  cursor.insertText(text);  // one undo step; textChanged marks the report unsaved
  return true;
}

bool ReportEditor::insertTemplate(const app::ReportTemplate& t) {
  if (!studyId_ || findings_->isReadOnly()) {
    showMessage(studyId_ ? tr("Template not inserted: the report is final or a draft is being generated.")
                         : tr("Template not inserted: no study is open."),
                true);
    return false;
  }
  const bool wasEmpty = findings_->toPlainText().trimmed().isEmpty() && impression_->toPlainText().trimmed().isEmpty();
  const app::FindingStates before = states_, after = app::chipsAfterTemplate(states_, t.labels, wasEmpty);
  QPointer<ReportEditor> self = this;
  auto applyChips = [self](const app::FindingStates& states) {
    if (!self) return;
    for (int i = 0; i < app::kFindingCount; ++i) self->setChip(i, states[size_t(i)]);
    self->markDirty();
  };
  bool chipsRecorded = before == after;  // nothing to record when the chips stay as they are
  QWidget* focused = window()->focusWidget();
  for (auto* edit : {findings_, impression_}) {
    const QString text = QString::fromStdString(edit == findings_ ? t.findings : t.impression);
    if (text.trimmed().isEmpty()) continue;
    QTextCursor cursor = edit->textCursor();
    if (edit != focused) cursor.movePosition(QTextCursor::End);
    const auto insertion = app::templateInsertion(edit->toPlainText(), cursor.position(), text);
    // One edit block, not setPlainText(): Undo brings the previous text back.
    cursor.beginEditBlock();
    if (insertion.replaceAll) cursor.select(QTextCursor::Document);
    cursor.insertText(insertion.text);
    if (!chipsRecorded) edit->document()->appendUndoItem(new ChipsUndo(applyChips, before, after));
    chipsRecorded = true;
    cursor.endEditBlock();
    if (edit == focused) edit->setTextCursor(cursor);
  }
  applyChips(after);
  showMessage(tr("Inserted the template \"%1\"; Undo in a section brings its previous text back.")
                  .arg(QString::fromStdString(t.name)));
  return true;
}

void ReportEditor::focusChips() {
  for (auto* chip : chips_)
    if (chip->isEnabled()) return chip->setFocus(Qt::ShortcutFocusReason);
  showMessage(tr("The chips cannot be changed: no study is open or the report is final."), true);
}

}  // namespace fedmrg::ui
