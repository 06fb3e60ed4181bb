#include "app/site/audit_trail.h"

#include <QDateTime>
#include <QSaveFile>
#include <variant>

#include "app/site/patient_identity.h"
#include "app/site/role_rules.h"
#include "app/site/site.h"

namespace fedmrg::app {
namespace {

constexpr const char* kEntryColumns =
    "SELECT a.at, COALESCE(u.username, 'system'), a.action, a.detail, COALESCE(a.study_id, 0), "
    "s.id IS NOT NULL, COALESCE(s.patient_name, ''), COALESCE(s.patient_id, ''), COALESCE(s.study_date, ''), "
    "COALESCE(s.accession_number, ''), COALESCE(s.description, '') "
    "FROM audit_log a LEFT JOIN users u ON a.user_id = u.id LEFT JOIN studies s ON a.study_id = s.id ";

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

AuditEntry readEntry(const Statement& st) {
  AuditEntry e{st.text(0), st.text(1), st.text(2), st.text(3), st.int64(4), {}, {}};
  if (e.studyId == 0) return e;
  if (st.int64(5) == 0) {
    e.study = "study " + std::to_string(e.studyId) + " (no longer in the site)";
    return e;
  }
  const std::string name = displayPersonName(st.text(6)), id = st.text(7);
  e.patient = id.empty() ? name : joined({name, "(" + id + ")"}, " ");
  e.study = joined({displayDate(st.text(8)), st.text(9), st.text(10)}, ", ");
  return e;
}

// The start of a local calendar day as the store writes times (UTC, ISO 8601 with milliseconds), so
// that a plain text comparison orders it among the stored times.
std::string storedTimeOfDayStart(const QDate& day) {
  return QDateTime(day, QTime(0, 0)).toUTC().toString(Qt::ISODateWithMs).toStdString();
}

// "%text%" for LIKE, with LIKE's own wildcards in the text taken literally (ESCAPE '\').
std::string likePattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

// The system's entries have no user: NULL, never a user id that could one day exist.
void bindUser(Statement& st, int index, int64_t userId) {
  if (userId != kSystemUser) st.bind(index, userId);
  else st.bindNull(index);
}

std::string csvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void recordAudit(Site& site, int64_t userId, const std::string& action, int64_t studyId, const std::string& detail) {
  auto st = site.store().prepare("INSERT INTO audit_log(at, user_id, action, study_id, detail) VALUES(?, ?, ?, ?, ?)");
  st.bind(1, nowUtc());
  bindUser(st, 2, userId);
  st.bind(3, action);
  if (studyId > 0) st.bind(4, studyId);
  else st.bindNull(4);
  st.bind(5, detail).run();
}

bool recordAccess(Site& site, int64_t userId, const std::string& action, int64_t studyId) {
  // Coalesced only when this user's latest entry of all is this very access: any other step in
  // between (a save, another study) makes the next one an entry of its own.
  auto last = site.store().prepare(
      "SELECT action, COALESCE(study_id, 0), at FROM audit_log WHERE user_id IS ? ORDER BY id DESC LIMIT 1");
  bindUser(last, 1, userId);
  if (last.step() && last.text(0) == action && last.int64(1) == studyId) {
    const QDateTime at = QDateTime::fromString(QString::fromStdString(last.text(2)), Qt::ISODateWithMs);
    const qint64 ago = at.secsTo(QDateTime::currentDateTimeUtc());
    if (at.isValid() && ago >= 0 && ago < kReopenCoalesceSeconds) return false;
  }
  recordAudit(site, userId, action, studyId);
  return true;
}

bool recordStudyOpened(Site& site, int64_t userId, int64_t studyId) {
  return recordAccess(site, userId, "study.open", studyId);
}

std::vector<AuditEntry> auditLog(Site& site, const AuditQuery& query) {
  if (query.from && query.to && *query.from > *query.to)
    throw StoreError("the audit filter's 'from' day (" + query.from->toString(Qt::ISODate).toStdString() +
                     ") is after its 'to' day (" + query.to->toString(Qt::ISODate).toStdString() + ")");
  // Each condition is a fixed piece of SQL; every value the user typed or picked is a bound parameter.
  std::string where = "WHERE 1 ";
  std::vector<std::variant<int64_t, std::string>> values;
  if (query.studyId > 0) {
    where += "AND a.study_id = ? ";
    values.emplace_back(query.studyId);
  }
  if (query.userId && *query.userId == kSystemUser) {
    where += "AND a.user_id IS NULL ";
  } else if (query.userId) {
    where += "AND a.user_id = ? ";
    values.emplace_back(*query.userId);
  }
  if (!query.action.empty()) {
    where += "AND a.action = ? ";
    values.emplace_back(query.action);
  }
  if (query.from) {
    where += "AND a.at >= ? ";
    values.emplace_back(storedTimeOfDayStart(*query.from));
  }
  if (query.to) {
    where += "AND a.at < ? ";
    values.emplace_back(storedTimeOfDayStart(query.to->addDays(1)));
  }
  if (!query.text.empty()) {
    // Names are stored as DICOM PN ("Family^Given"): searched with spaces, as a user types them.
    where +=
        "AND (replace(s.patient_name, '^', ' ') LIKE ? ESCAPE '\\' OR s.patient_id LIKE ? ESCAPE '\\' "
        "OR s.accession_number LIKE ? ESCAPE '\\' OR a.detail LIKE ? ESCAPE '\\') ";
    values.insert(values.end(), 4, likePattern(query.text));
  }
  where += "ORDER BY a.id DESC LIMIT ?";
  values.emplace_back(query.limit > 0 ? int64_t(query.limit) : int64_t(-1));  // -1: SQLite's "no limit"
  auto st = site.store().prepare(std::string(kEntryColumns) + where);
  for (size_t i = 0; i < values.size(); ++i)
    std::visit([&st, i](const auto& value) { st.bind(int(i) + 1, value); }, values[i]);
  std::vector<AuditEntry> out;
  while (st.step()) out.push_back(readEntry(st));
  return out;
}

std::vector<AuditEntry> auditLog(Site& site, int64_t studyId, int limit) {
  AuditQuery query;
  query.studyId = studyId;
  query.limit = limit;
  return auditLog(site, query);
}

std::vector<std::string> auditActions(Site& site) {
  auto st = site.store().prepare("SELECT DISTINCT action FROM audit_log ORDER BY action");
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::string auditCsv(const std::vector<AuditEntry>& entries) {
  std::string out = "time (UTC),user,action,patient,study,detail\r\n";
  for (const auto& e : entries) {
    out += csvField(e.at) + "," + csvField(e.user) + "," + csvField(e.action) + "," + csvField(e.patient) + "," +
           csvField(e.study) + "," + csvField(e.detail) + "\r\n";
  }
  return out;
}

AuditTrail::AuditTrail(Site& site, int64_t viewerId) : site_(site), viewerId_(viewerId) {
  const auto viewer = UserDirectory(site).find(viewerId);
  admin_ = viewer && viewer->has(Role::Admin);
}

void AuditTrail::checkMayRead(const AuditQuery& query) const {
  if (query.studyId <= 0 && !maySeeAllStudies())
    requireRole(site_, viewerId_, Role::Admin, "Reading the audit entries of all studies", "audit.read.all");
}

std::vector<AuditEntry> AuditTrail::entries(const AuditQuery& query) {
  checkMayRead(query);
  return auditLog(site_, query);
}

int AuditTrail::exportCsv(AuditQuery query, const QString& file) {
  if (!mayExport()) requireRole(site_, viewerId_, Role::Admin, "Exporting the audit log", "audit.export");
  checkMayRead(query);
  query.limit = 0;
  const auto all = auditLog(site_, query);
  const std::string csv = auditCsv(all);
  // QSaveFile: a failed write leaves no half file, and an existing file is only replaced when complete.
  QSaveFile out(file);
  if (!out.open(QIODevice::WriteOnly) || out.write(csv.data(), qint64(csv.size())) != qint64(csv.size()) ||
      !out.commit())
    throw StoreError(file.toStdString() + ": cannot write the audit export (" + out.errorString().toStdString() + ")");
  recordAudit(site_, viewerId_, "audit.export", query.studyId,
              std::to_string(all.size()) + " entries to " + file.toStdString());
  return int(all.size());
}

}  // namespace fedmrg::app
