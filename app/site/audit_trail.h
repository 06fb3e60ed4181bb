#pragma once
// The audit trail: every entry the site writes (when, who, what, on which study), read back with
// the patient and the study it concerns, filtered, and exported as CSV. Who may read what is decided
// here too: administrators every entry and the export, other users the log of one study (the study
// they have open).
#include <QDate>
#include <QString>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fedmrg::app {

class Site;

// The user id of entries no user caused: the site's creation before its first user exists,
// migrations. Every action a signed-in user takes names that user instead.
constexpr int64_t kSystemUser = 0;

// Consecutive openings of one study by one user within this many seconds are one "study.open"
// entry: moving up and down the worklist past a study must not bury the log in repeats.
constexpr int kReopenCoalesceSeconds = 60;

struct AuditEntry {
  std::string at;      // ISO 8601 UTC with milliseconds, as stored
  std::string user;    // user name; "system" for kSystemUser
  std::string action;  // e.g. "study.open", "report.sign.final", "user.add"
  std::string detail;
  int64_t studyId = 0;  // 0: the entry concerns no study
  std::string patient;  // "Family, Given (ID)"; empty when the entry concerns no study
  std::string study;    // "YYYY-MM-DD, accession, description", the parts the study has
};

// Which entries to read, newest first; a field left empty matches every entry.
struct AuditQuery {
  int64_t studyId = 0;            // 0: all studies (and entries without a study)
  std::optional<int64_t> userId;  // kSystemUser: the system's entries
  std::string action;             // one action name, exactly
  std::optional<QDate> from, to;  // local calendar days, both included
  std::string text;               // in the patient's name or ID, the accession or the detail; any case
  int limit = 1000;               // 0: no limit
};

// The one writer of audit entries (Site::audit forwards here): who (kSystemUser only for what no
// user caused), what, on which study (0: none), and a free detail.
void recordAudit(Site& site, int64_t userId, const std::string& action, int64_t studyId = 0,
                 const std::string& detail = {});
// An access event: `userId` read something of the study (`action`, e.g. "study.open", or a prior's
// report). Returns false when it was coalesced into the same user's previous entry: the same action
// on the same study within kReopenCoalesceSeconds, with no other entry of theirs in between.
bool recordAccess(Site& site, int64_t userId, const std::string& action, int64_t studyId);
// recordAccess "study.open": the study is on screen (viewer and report).
bool recordStudyOpened(Site& site, int64_t userId, int64_t studyId);

// The entries the query matches, each with its patient and study; with no restriction by role (see
// AuditTrail for what a signed-in user may read).
std::vector<AuditEntry> auditLog(Site& site, const AuditQuery& query);
// The newest entries of one study (0: of all), for checks that need no filter.
std::vector<AuditEntry> auditLog(Site& site, int64_t studyId = 0, int limit = 500);
// Every action name in the log, sorted: the choices of the action filter.
std::vector<std::string> auditActions(Site& site);

// The entries as CSV (RFC 4180): a header row, then one row per entry, CRLF line ends, UTF-8; a field
// holding a comma, a quote or a line break is quoted and its quotes doubled.
std::string auditCsv(const std::vector<AuditEntry>& entries);

// The audit log as one signed-in user may read it.
class AuditTrail {
 public:
  // The viewer's role is read from the store: an active administrator, or else what a radiologist may.
  AuditTrail(Site& site, int64_t viewerId);
  // Administrators see the entries of all studies and export them; everyone else sees the log of
  // one study at a time and exports nothing.
  bool maySeeAllStudies() const { return admin_; }
  bool mayExport() const { return admin_; }
  // Throws StoreError when the query asks for all studies and the viewer may not see them.
  std::vector<AuditEntry> entries(const AuditQuery& query);
  // Writes every entry the query matches (no limit) to `file` as auditCsv() and records the export.
  // Throws StoreError when the viewer may not export, or naming the file when it cannot be written.
  // Returns the number of entries written.
  int exportCsv(AuditQuery query, const QString& file);

 private:
  void checkMayRead(const AuditQuery& query) const;
  Site& site_;
  int64_t viewerId_;
  bool admin_;
};

}  // namespace fedmrg::app
