#include "app/site/report_service.h"

#include "app/site/role_rules.h"
#include "app/site/site.h"
#include "app/site/training_queue.h"

namespace fedmrg::app {
namespace {

constexpr const char* kVersionColumns =
    "SELECT r.id, r.version, r.kind, r.status, r.findings, r.impression, r.labels, r.origin, "
    "COALESCE(u.display_name, ''), r.created_at, r.model_name, r.model_version, r.chest_check, "
    "r.chest_check_reason, r.chest_check_score "
    "FROM reports r LEFT JOIN users u ON r.author_id = u.id ";

// The store's words back to enums; the schema's CHECK constraints allow no other words.
ReportStatus storedStatus(const std::string& key) {
  const auto status = parseStatus(key);
  if (!status) throw StoreError("unknown report status '" + key + "' in the store");
  return *status;
}

ReportVersion readVersion(const Statement& st) {
  const auto kind = parseKind(st.text(2));
  if (!kind) throw StoreError("unknown report kind '" + st.text(2) + "' in the store");
  ReportVersion v;
  v.id = st.int64(0);
  v.version = int(st.int64(1));
  v.kind = *kind;
  v.status = storedStatus(st.text(3));
  v.findings = st.text(4);
  v.impression = st.text(5);
  v.labels = st.text(6);
  v.origin = st.text(7);
  v.requestedBy = st.text(8);
  v.createdAt = st.text(9);
  v.model = {st.text(10), st.text(11)};
  v.chestCheck = {st.text(12), st.text(13), st.isNull(14) ? std::nullopt : std::optional(st.real(14))};
  // The user row (author_id) is who asked for the version; a model draft's text is the model's.
  v.author = v.origin == "model" ? v.model.label() : v.requestedBy;
  return v;
}

bool isBlank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

ReportVersion ReportService::insertVersion(int64_t studyId, ReportKind kind, ReportStatus status,
                                           const std::string& findings, const std::string& impression,
                                           const std::string& labels, const std::string& origin,
                                           const ModelIdentity& model, const ChestCheck& chestCheck) {
  SiteStore& store = site_.store();
  auto next = store.prepare("SELECT COALESCE(max(version), 0) + 1 FROM reports WHERE study_id = ?");
  next.bind(1, studyId);
  next.step();
  const int64_t version = next.int64(0);
  auto st = store.prepare(
      "INSERT INTO reports(study_id, version, kind, status, findings, impression, labels, origin, author_id, "
      "created_at, model_name, model_version, chest_check, chest_check_reason, chest_check_score) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, studyId).bind(2, version).bind(3, kindKey(kind)).bind(4, statusKey(status)).bind(5, findings).bind(6, impression);
  st.bind(7, labels).bind(8, origin);
  if (userId_ > 0) st.bind(9, userId_); else st.bindNull(9);
  st.bind(10, nowUtc()).bind(11, model.name).bind(12, model.version).bind(13, chestCheck.decision);
  st.bind(14, chestCheck.reason);
  if (chestCheck.score) st.bind(15, *chestCheck.score);
  else st.bindNull(15);
  st.run();
  const int64_t id = store.lastInsertId();
  auto upd = store.prepare("UPDATE studies SET status = ? WHERE id = ?");
  upd.bind(1, statusKey(status)).bind(2, studyId).run();
  auto row = store.prepare(std::string(kVersionColumns) + "WHERE r.id = ?");
  row.bind(1, id);
  row.step();
  return readVersion(row);
}

ReportVersion ReportService::save(int64_t studyId, const std::string& findings, const std::string& impression,
                                  const std::string& labels, const std::string& origin, PreliminarySignOff preliminary) {
  return saveVersion(studyId, findings, impression, labels, origin, {}, {}, preliminary);
}

bool ReportService::saveWithdrawsPreliminary(int64_t studyId, const std::string& findings,
                                             const std::string& impression, const std::string& labels) {
  const auto last = latest(studyId);
  return last && last->status == ReportStatus::Preliminary &&
         !(last->findings == findings && last->impression == impression && last->labels == labels);
}

ReportVersion ReportService::saveVersion(int64_t studyId, const std::string& findings, const std::string& impression,
                                         const std::string& labels, const std::string& origin,
                                         const ModelIdentity& model, const ChestCheck& chestCheck,
                                         PreliminarySignOff preliminary) {
  SiteStore::Transaction tx(site_.store());
  const auto last = latest(studyId);
  if (last && last->status == ReportStatus::Final)
    throw StoreError("the report is final; add an addendum instead of editing it");
  if (last && last->findings == findings && last->impression == impression && last->labels == labels)
    throw StoreError("nothing changed since version " + std::to_string(last->version));
  const bool withdraws = last && last->status == ReportStatus::Preliminary;
  if (withdraws && preliminary != PreliminarySignOff::WithdrawalConfirmed)
    throw StoreError("the report is signed preliminary: saving returns it to draft; confirm it first");
  // A person's edit of a model draft is "mixed": training and audits can tell the provenance apart,
  // and the edit keeps naming the model whose draft it started from.
  const std::string kept = origin == "human" && last && last->origin != "human" ? "mixed" : origin;
  const ModelIdentity drafter = kept == "mixed" ? last->model : model;
  const ChestCheck check = kept == "mixed" ? last->chestCheck : chestCheck;
  const auto v = insertVersion(studyId, ReportKind::Report, ReportStatus::Draft, findings, impression, labels, kept,
                               drafter, check);
  std::string detail = "version " + std::to_string(v.version) + " (" + kept + ")";
  if (kept == "model") detail += " drafted by " + v.model.label();
  if (withdraws) detail += "; preliminary sign-off of version " + std::to_string(last->version) + " withdrawn";
  site_.audit(userId_, "report.save", studyId, detail);
  clearAutosave(studyId);
  tx.commit();
  return v;
}

std::string ReportService::signingRoleRefusal() {
  return roleRefusal(userId_ > 0 ? UserDirectory(site_).find(userId_) : std::nullopt, Role::Radiologist, "Signing");
}

std::string ReportService::signRefusal(int64_t studyId, ReportStatus status) {
  if (std::string refusal = signingRoleRefusal(); !refusal.empty()) return refusal;
  if (status != ReportStatus::Preliminary && status != ReportStatus::Final)
    return std::string("a report is signed as preliminary or final, not '") + statusKey(status) + "'";
  const auto last = latest(studyId);
  if (!last) return "there is no report to sign; save one first";
  if (last->status == ReportStatus::Final) return "the report is final already";
  // An empty report says nothing a clinician can act on, and would teach the model to write nothing.
  if (isBlank(last->findings) && isBlank(last->impression))
    return "the report is empty: write the findings or the impression before signing";
  return {};
}

std::vector<LabelDisagreement> ReportService::labelDisagreements(int64_t studyId) {
  const auto last = latest(studyId);
  if (!last) return {};
  return chipsAgainstText(last->findings, last->impression, last->labels);
}

ReportVersion ReportService::sign(int64_t studyId, ReportStatus status, ChipsAgainstText chips) {
  // Before the transaction: the refusal's audit entry must outlive the rollback.
  requireRole(site_, userId_, Role::Radiologist, "Signing", "report.sign." + std::string(statusKey(status)), studyId);
  SiteStore::Transaction tx(site_.store());
  if (const std::string refusal = signRefusal(studyId, status); !refusal.empty()) throw StoreError(refusal);
  const std::string key = statusKey(status);
  const auto last = latest(studyId);
  const auto disagreements = labelDisagreements(studyId);
  if (!disagreements.empty() && chips != ChipsAgainstText::ConfirmedByUser)
    throw StoreError("the chips disagree with the text (" + describe(disagreements) +
                     "); correct them, or confirm the chips to sign");
  const auto v = insertVersion(studyId, ReportKind::Report, status, last->findings, last->impression, last->labels,
                               last->origin, last->model, last->chestCheck);
  auto so = site_.store().prepare("INSERT INTO signoffs(report_id, user_id, status, signed_at) VALUES(?, ?, ?, ?)");
  so.bind(1, v.id);
  if (userId_ > 0) so.bind(2, userId_); else so.bindNull(2);
  so.bind(3, key).bind(4, nowUtc()).run();
  std::string detail = "version " + std::to_string(v.version);
  if (!disagreements.empty()) detail += "; chips confirmed against the text: " + describe(disagreements);
  site_.audit(userId_, "report.sign." + key, studyId, detail);
  if (status == ReportStatus::Final) {
    // The queue names the signed version, whose labels are the chips as signed: where they disagreed
    // with the text, the chips the user confirmed above (never the labeler's reading of the text).
    auto q = site_.store().prepare("INSERT INTO training_queue(report_id, study_id, queued_at) VALUES(?, ?, ?)");
    q.bind(1, v.id).bind(2, studyId).bind(3, nowUtc()).run();
    site_.audit(userId_, "training.queue", studyId, "version " + std::to_string(v.version));
  }
  tx.commit();
  return v;
}

DraftReplacement ReportService::draftReplacement(int64_t studyId, const std::string& findings,
                                                 const std::string& impression, const std::string& labels) {
  DraftReplacement r;
  const auto last = latest(studyId);
  const bool empty = isBlank(findings) && isBlank(impression) && decodeLabels(labels) == blankFindings();
  const bool kept = last && last->findings == findings && last->impression == impression && last->labels == labels;
  r.unsavedText = !empty && !kept;
  r.signedText = last && last->status == ReportStatus::Preliminary;
  return r;
}

ReportVersion ReportService::applyDraft(int64_t studyId, const std::string& findings, const std::string& impression,
                                        const std::string& labels, const DraftedReport& draft, bool confirmed) {
  const auto replaces = draftReplacement(studyId, findings, impression, labels);
  if (replaces.needsConfirmation() && !confirmed)
    throw StoreError(replaces.signedText ? "the draft would replace the signed preliminary report; confirm it first"
                                         : "the draft would replace unsaved text; confirm it first");
  const auto last = latest(studyId);
  if (last && last->status == ReportStatus::Final)
    throw StoreError("the report is final; add an addendum instead of editing it");
  // Confirmed above (or not needed): the draft may withdraw a preliminary sign-off.
  const auto preliminary = PreliminarySignOff::WithdrawalConfirmed;
  // Kept before the draft is saved: if the draft then fails, the user's text is still a version.
  if (replaces.unsavedText) save(studyId, findings, impression, labels, "human", preliminary);
  return saveVersion(studyId, draft.findings, draft.impression, draft.labels, "model", draft.model,
                     draft.chestCheckRecord(), preliminary);
}

ReportVersion ReportService::addAddendum(int64_t studyId, const std::string& text) {
  requireRole(site_, userId_, Role::Radiologist, "Adding an addendum", "report.addendum", studyId);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw StoreError("the addendum is empty");
  SiteStore::Transaction tx(site_.store());
  const auto last = latest(studyId);
  if (!last || last->status != ReportStatus::Final) throw StoreError("addenda are added to final reports only");
  const auto v = insertVersion(studyId, ReportKind::Addendum, ReportStatus::Final, text, "", "", "human");
  site_.audit(userId_, "report.addendum", studyId, "version " + std::to_string(v.version));
  tx.commit();
  return v;
}

std::optional<ReportVersion> ReportService::latest(int64_t studyId) {
  auto st = site_.store().prepare(std::string(kVersionColumns) +
                                  "WHERE r.study_id = ? AND r.kind = 'report' ORDER BY r.version DESC LIMIT 1");
  st.bind(1, studyId);
  if (!st.step()) return std::nullopt;
  return readVersion(st);
}

std::vector<ReportVersion> ReportService::versions(int64_t studyId) {
  std::vector<ReportVersion> out;
  auto st = site_.store().prepare(std::string(kVersionColumns) + "WHERE r.study_id = ? ORDER BY r.version");
  st.bind(1, studyId);
  while (st.step()) out.push_back(readVersion(st));
  return out;
}

std::vector<ReportVersion> ReportService::addenda(int64_t studyId) {
  std::vector<ReportVersion> out;
  auto st = site_.store().prepare(std::string(kVersionColumns) +
                                  "WHERE r.study_id = ? AND r.kind = 'addendum' ORDER BY r.version");
  st.bind(1, studyId);
  while (st.step()) out.push_back(readVersion(st));
  return out;
}

std::optional<SignOff> ReportService::signOff(int64_t studyId) {
  const auto last = latest(studyId);
  if (!last || last->status == ReportStatus::Draft) return std::nullopt;
  auto st = site_.store().prepare(
      "SELECT COALESCE(u.display_name, ''), s.signed_at FROM signoffs s LEFT JOIN users u ON s.user_id = u.id "
      "WHERE s.report_id = ? ORDER BY s.id DESC LIMIT 1");
  st.bind(1, last->id);
  if (!st.step()) return std::nullopt;
  return SignOff{last->status, st.text(0), st.text(1), last->version};
}

ReportStatus ReportService::studyStatus(int64_t studyId) {
  auto st = site_.store().prepare("SELECT status FROM studies WHERE id = ?");
  st.bind(1, studyId);
  if (!st.step()) throw StoreError("no study with id " + std::to_string(studyId));
  return storedStatus(st.text(0));
}

void ReportService::autosave(int64_t studyId, const std::string& findings, const std::string& impression,
                             const std::string& labels) {
  auto st = site_.store().prepare(
      "INSERT OR REPLACE INTO autosave(study_id, user_id, findings, impression, labels, saved_at) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  st.bind(1, studyId).bind(2, userId_).bind(3, findings).bind(4, impression).bind(5, labels).bind(6, nowUtc()).run();
}

std::optional<AutosavedText> ReportService::autosaved(int64_t studyId) {
  auto st = site_.store().prepare(
      "SELECT findings, impression, labels, saved_at FROM autosave WHERE study_id = ? AND user_id = ?");
  st.bind(1, studyId).bind(2, userId_);
  if (!st.step()) return std::nullopt;
  return AutosavedText{st.text(0), st.text(1), st.text(2), st.text(3)};
}

namespace {
// Autosaved text is worth restoring or mentioning only while the report can still be edited and
// when it is newer than the latest kept version.
bool outdatedBy(const std::optional<ReportVersion>& last, const std::string& savedAt) {
  return last && (last->status == ReportStatus::Final || savedAt <= last->createdAt);
}
}  // namespace

std::optional<AutosavedText> ReportService::autosaveToRestore(int64_t studyId) {
  auto saved = autosaved(studyId);
  if (!saved || outdatedBy(latest(studyId), saved->savedAt)) return std::nullopt;
  return saved;
}

std::vector<AutosaveNotice> ReportService::othersAutosaves(int64_t studyId) {
  const auto last = latest(studyId);
  auto st = site_.store().prepare(
      "SELECT COALESCE(u.display_name, ''), a.saved_at FROM autosave a LEFT JOIN users u ON a.user_id = u.id "
      "WHERE a.study_id = ? AND (a.user_id IS NULL OR a.user_id <> ?) ORDER BY a.saved_at DESC");
  st.bind(1, studyId).bind(2, userId_);
  std::vector<AutosaveNotice> out;
  while (st.step())
    if (!outdatedBy(last, st.text(1))) out.push_back({st.text(0), st.text(1)});
  return out;
}

void ReportService::clearAutosave(int64_t studyId) {
  auto st = site_.store().prepare("DELETE FROM autosave WHERE study_id = ? AND user_id = ?");
  st.bind(1, studyId).bind(2, userId_).run();
}

int ReportService::trainingQueueCount() {
  return TrainingQueue(site_).pendingCount();  // held-back reports never wait for training
}

}  // namespace fedmrg::app
