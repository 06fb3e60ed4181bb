#include "app/site/pacs_outbox.h"

#include <QTemporaryDir>

#include <algorithm>

#include "app/site/pacs_node.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/sr_export.h"

namespace fedmrg::app {
namespace {

std::string utc(const QDateTime& t) { return t.toUTC().toString(Qt::ISODateWithMs).toStdString(); }

constexpr const char* kColumns =
    "id, study_id, report_version_id, attempts, queued_at, next_attempt_at, last_error, COALESCE(sent_at, ''), "
    "sop_instance_uid, node_id";

OutboxEntry entryFrom(const Statement& st) {
  OutboxEntry e;
  e.id = st.int64(0);
  e.studyId = st.int64(1);
  e.reportVersionId = st.int64(2);
  e.attempts = int(st.int64(3));
  e.queuedAt = st.text(4);
  e.nextAttemptAt = st.text(5);
  e.lastError = st.text(6);
  e.sentAt = st.text(7);
  e.sopInstanceUid = st.text(8);
  return e;
}

}  // namespace

int PacsOutbox::backoffSeconds(int attempts) {
  const int shift = std::clamp(attempts - 1, 0, 7);
  return std::min(3600, 30 << shift);
}

int64_t PacsOutbox::finalVersionId(int64_t studyId) {
  ReportService reports(site_, userId_);
  const auto latest = reports.latest(studyId);
  const auto sign = reports.signOff(studyId);
  if (!latest || !sign || sign->status != ReportStatus::Final) return 0;
  // Addenda are versions of their own; the SR carries the final report with all of them.
  int64_t versionId = latest->id;
  for (const auto& a : reports.addenda(studyId)) versionId = std::max(versionId, a.id);
  return versionId;
}

bool PacsOutbox::enqueueIfNew(int64_t studyId) {
  const int64_t versionId = finalVersionId(studyId);
  if (versionId == 0) return false;
  auto st = site_.store().prepare("SELECT count(*) FROM pacs_outbox WHERE study_id = ? AND report_version_id >= ?");
  st.bind(1, studyId).bind(2, versionId);
  if (st.step() && st.int64(0) > 0) return false;
  enqueue(studyId);
  return true;
}

int64_t PacsOutbox::enqueue(int64_t studyId) {
  const int64_t versionId = finalVersionId(studyId);
  if (versionId == 0)
    throw StoreError("study " + std::to_string(studyId) + " has no signed final report to send to the PACS");
  const auto node = PacsNodeStore(site_, userId_).defaultNode();
  if (!node) throw StoreError("no PACS node is set up to send reports to (Settings, PACS)");
  auto& store = site_.store();
  SiteStore::Transaction tx(store);
  const std::string now = nowUtc();
  auto st = store.prepare(
      "INSERT INTO pacs_outbox(study_id, report_version_id, node_id, queued_at, next_attempt_at) VALUES(?,?,?,?,?)");
  st.bind(1, studyId).bind(2, versionId).bind(3, node->id).bind(4, now).bind(5, now).run();
  const int64_t id = store.lastInsertId();
  site_.audit(userId_, "report.pacs.queue", studyId, node->name);
  tx.commit();
  return id;
}

void PacsOutbox::send(const OutboxEntry& e, const PacsTimeouts& timeouts) {
  PacsNodeStore nodes(site_, userId_);
  auto st = site_.store().prepare("SELECT node_id FROM pacs_outbox WHERE id = ?");
  st.bind(1, e.id);
  std::optional<PacsNode> node;
  if (st.step() && !st.isNull(0)) node = nodes.node(st.int64(0));
  if (!node) node = nodes.defaultNode();
  if (!node) throw PacsError("no PACS node is set up to send reports to (Settings, PACS)");
  QTemporaryDir dir;
  if (!dir.isValid()) throw PacsError("cannot make a temporary folder for the SR document");
  const QString file = dir.filePath(QStringLiteral("report-sr.dcm"));
  const SrExportResult sr = exportFinalReportAsSr(site_, e.studyId, file, userId_);
  PacsClient(nodes.localAe(), *node, timeouts).store(file.toStdString());
  auto done = site_.store().prepare(
      "UPDATE pacs_outbox SET sent_at = ?, attempts = attempts + 1, last_error = '', sop_instance_uid = ? WHERE id = ?");
  done.bind(1, nowUtc()).bind(2, sr.sopInstanceUid).bind(3, e.id).run();
  site_.audit(userId_, "report.pacs.sent", e.studyId, node->name);
}

OutboxSummary PacsOutbox::sendDue(bool all, const PacsTimeouts& timeouts) {
  std::vector<OutboxEntry> due;
  {
    auto st = site_.store().prepare(std::string("SELECT ") + kColumns +
                                    " FROM pacs_outbox WHERE sent_at IS NULL AND (? OR next_attempt_at <= ?) ORDER BY id");
    st.bind(1, all ? 1 : 0).bind(2, nowUtc());
    while (st.step()) due.push_back(entryFrom(st));
  }
  OutboxSummary summary;
  for (const auto& e : due) {
    try {
      send(e, timeouts);
      ++summary.sent;
    } catch (const std::exception& ex) {  // PacsError, or a StoreError of the SR export
      ++summary.failed;
      summary.lastError = ex.what();
      const int attempts = e.attempts + 1;
      auto st = site_.store().prepare(
          "UPDATE pacs_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?");
      st.bind(1, attempts)
          .bind(2, utc(QDateTime::currentDateTimeUtc().addSecs(backoffSeconds(attempts))))
          .bind(3, summary.lastError)
          .bind(4, e.id)
          .run();
    }
  }
  return summary;
}

int PacsOutbox::pendingCount() {
  return int(site_.store().queryInt("SELECT count(*) FROM pacs_outbox WHERE sent_at IS NULL"));
}

std::vector<OutboxEntry> PacsOutbox::entries(int64_t studyId) {
  auto st = site_.store().prepare(std::string("SELECT ") + kColumns +
                                  " FROM pacs_outbox WHERE ? = 0 OR study_id = ? ORDER BY id DESC");
  st.bind(1, studyId).bind(2, studyId);
  std::vector<OutboxEntry> out;
  while (st.step()) out.push_back(entryFrom(st));
  return out;
}

std::optional<QDateTime> PacsOutbox::nextDue() {
  const auto next = site_.store().queryText("SELECT min(next_attempt_at) FROM pacs_outbox WHERE sent_at IS NULL");
  if (!next || next->empty()) return std::nullopt;
  return QDateTime::fromString(QString::fromStdString(*next), Qt::ISODateWithMs);
}

}  // namespace fedmrg::app
