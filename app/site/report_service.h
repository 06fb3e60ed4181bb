#pragma once
// The report workflow of one study: new -> draft -> preliminary -> final, addenda after final.
// Every save and every sign-off is a new kept version and an audit entry; a final report enters
// the training queue. Autosave keeps the editor's unsaved text.
#include <optional>
#include <string>
#include <vector>

#include "app/site/report_status.h"

namespace fedmrg::app {

class Site;

struct ReportVersion {
  int64_t id = 0;
  int version = 0;
  ReportKind kind = ReportKind::Report;
  ReportStatus status = ReportStatus::Draft;  // never New: a kept version is at least a draft
  std::string findings, impression, labels, origin, author, createdAt;
};

struct AutosavedText {
  std::string findings, impression, labels, savedAt;
};

// Another user's autosaved text, named but not shown: who (display name; empty when unknown) and when.
struct AutosaveNotice {
  std::string user, savedAt;
};

struct AuditEntry {
  std::string at, user, action, detail;
  int64_t studyId = 0;
};

class ReportService {
 public:
  ReportService(Site& site, int64_t userId) : site_(site), userId_(userId) {}
  int64_t userId() const { return userId_; }

  // Saves the text as a new draft version ("human" edits of a model draft are stored as "mixed").
  // Throws StoreError when the report is final (use an addendum)
  // or when nothing changed since the latest version (no empty versions).
  ReportVersion save(int64_t studyId, const std::string& findings, const std::string& impression,
                     const std::string& labels, const std::string& origin = "human");
  // Signs the latest version as Preliminary or Final. Throws StoreError when there is no report,
  // when it is final already, or for another status.
  ReportVersion sign(int64_t studyId, ReportStatus status);
  // Adds an addendum to a final report.
  ReportVersion addAddendum(int64_t studyId, const std::string& text);

  std::optional<ReportVersion> latest(int64_t studyId);
  std::vector<ReportVersion> versions(int64_t studyId);  // oldest first
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
                              const std::string& origin);
  Site& site_;
  int64_t userId_;
};

// Audit entries, newest first; studyId 0: all.
std::vector<AuditEntry> auditLog(Site& site, int64_t studyId = 0, int limit = 500);

}  // namespace fedmrg::app
