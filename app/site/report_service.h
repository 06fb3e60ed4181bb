#pragma once
// The report workflow of one study: new -> draft -> preliminary -> final, addenda after final.
// Every save and every sign-off is a new kept version and an audit entry; a final report enters
// the training queue. Autosave keeps the editor's unsaved text.
#include <optional>
#include <string>
#include <vector>

#include "app/site/draft_service.h"
#include "app/site/label_check.h"
#include "app/site/report_status.h"

namespace fedmrg::app {

class Site;

struct ReportVersion {
  int64_t id = 0;
  int version = 0;
  ReportKind kind = ReportKind::Report;
  ReportStatus status = ReportStatus::Draft;  // never New: a kept version is at least a draft
  std::string findings, impression, labels, origin;
  // Who wrote the text: the model (ModelIdentity::label()) for origin "model", else the user who
  // saved or signed it (display name). A person's edit of a draft ("mixed") is the person's.
  std::string author;
  std::string createdAt;
  std::string requestedBy;  // the user who saved, drafted or signed this version (display name)
  ModelIdentity model;      // the model whose draft the text comes from ("model", "mixed"); else empty
  ChestCheck chestCheck;    // the chest radiograph check made before that draft; else empty
};

// Who signed the latest report version, and when (stored UTC, see stored_time.h).
struct SignOff {
  ReportStatus status = ReportStatus::Final;
  std::string signer, signedAt;
  int version = 0;
};

struct AutosavedText {
  std::string findings, impression, labels, savedAt;
};

// Another user's autosaved text, named but not shown: who (display name; empty when unknown) and when.
struct AutosaveNotice {
  std::string user, savedAt;
};

// What applying a model draft would replace, so that the editor asks first.
struct DraftReplacement {
  bool unsavedText = false;  // the editor holds text or chips that no kept version has
  bool signedText = false;   // the report is signed preliminary: the draft would return it to draft
  bool needsConfirmation() const { return unsavedText || signedText; }
};

// Whether a sign-off may go ahead although the chips disagree with the text (see label_check.h).
enum class ChipsAgainstText { MustAgree, ConfirmedByUser };

// Whether a save may withdraw a preliminary sign-off (the report returns to draft).
enum class PreliminarySignOff { MustStay, WithdrawalConfirmed };

class ReportService {
 public:
  ReportService(Site& site, int64_t userId) : site_(site), userId_(userId) {}
  int64_t userId() const { return userId_; }

  // Saves the text as a new draft version ("human" edits of a model draft are stored as "mixed").
  // Throws StoreError when the report is final (use an addendum), when nothing changed since the
  // latest version (no empty versions), or when it would withdraw a preliminary sign-off that
  // `preliminary` does not confirm (saveWithdrawsPreliminary()).
  ReportVersion save(int64_t studyId, const std::string& findings, const std::string& impression,
                     const std::string& labels, const std::string& origin = "human",
                     PreliminarySignOff preliminary = PreliminarySignOff::MustStay);
  // True when saving this text would return a report signed preliminary to draft: the editor asks first.
  bool saveWithdrawsPreliminary(int64_t studyId, const std::string& findings, const std::string& impression,
                                const std::string& labels);
  // Signs the latest version as Preliminary or Final. Only a user with the radiologist role signs:
  // anyone else is refused (audited, role_rules.h). Throws StoreError with the reason of
  // signRefusal(), or when the chips disagree with the text and the user has not confirmed them.
  ReportVersion sign(int64_t studyId, ReportStatus status, ChipsAgainstText chips = ChipsAgainstText::MustAgree);
  // Why the latest version cannot be signed with `status` (the user lacks the radiologist role, no
  // report, final already, empty, not a sign-off status); empty when it can.
  std::string signRefusal(int64_t studyId, ReportStatus status);
  // "Signing needs the radiologist role; <user> has: ..." when this user may not sign (nor add
  // addenda); empty when they may.
  std::string signingRoleRefusal();
  // The latest version's chips that disagree with its text; signing them needs the user's confirmation.
  std::vector<LabelDisagreement> labelDisagreements(int64_t studyId);

  // What a model draft would replace when the editor shows this text and these chips.
  DraftReplacement draftReplacement(int64_t studyId, const std::string& findings, const std::string& impression,
                                    const std::string& labels);
  // Saves a model draft of the study, credited to draft.model and requested by this user. The
  // editor's text, when no version keeps it, is first saved as a version of its own, so the draft
  // never loses it. Throws StoreError when draftReplacement() needs a confirmation that `confirmed`
  // does not give, when the report is final, or when the draft changes nothing. Returns the draft's
  // version.
  ReportVersion applyDraft(int64_t studyId, const std::string& findings, const std::string& impression,
                           const std::string& labels, const DraftedReport& draft, bool confirmed);
  // Adds an addendum to a final report (radiologists only, like signing).
  ReportVersion addAddendum(int64_t studyId, const std::string& text);

  std::optional<ReportVersion> latest(int64_t studyId);
  std::vector<ReportVersion> versions(int64_t studyId);  // oldest first
  // The addenda of the study's final report, oldest first.
  std::vector<ReportVersion> addenda(int64_t studyId);
  // The sign-off of the latest report version; none while it is a draft.
  std::optional<SignOff> signOff(int64_t studyId);
  ReportStatus studyStatus(int64_t studyId);

  // Autosave, kept per study and user: at most one row for this user on a study, replaced on each
  // call, cleared by this user's save().
  void autosave(int64_t studyId, const std::string& findings, const std::string& impression, const std::string& labels);
  // This user's autosaved text on the study (never another user's).
  std::optional<AutosavedText> autosaved(int64_t studyId);
  // The autosaved text the editor should restore: this user's, newer than the latest version of a
  // report that is not final yet (a final report is never overwritten by an old autosave).
  std::optional<AutosavedText> autosaveToRestore(int64_t studyId);
  // Unsaved text that other users (or a session of unknown user) left on the study, newer than its
  // latest version of a report that is not final: to be mentioned, never restored here.
  std::vector<AutosaveNotice> othersAutosaves(int64_t studyId);
  void clearAutosave(int64_t studyId);

  int trainingQueueCount();

 private:
  ReportVersion insertVersion(int64_t studyId, ReportKind kind, ReportStatus status,
                              const std::string& findings, const std::string& impression, const std::string& labels,
                              const std::string& origin, const ModelIdentity& model = {},
                              const ChestCheck& chestCheck = {});
  ReportVersion saveVersion(int64_t studyId, const std::string& findings, const std::string& impression,
                            const std::string& labels, const std::string& origin, const ModelIdentity& model,
                            const ChestCheck& chestCheck, PreliminarySignOff preliminary);
  Site& site_;
  int64_t userId_;
};

}  // namespace fedmrg::app
