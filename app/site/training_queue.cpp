#include "app/site/training_queue.h"

#include <QDateTime>
#include <QRandomGenerator>

#include "app/site/audit_trail.h"
#include "app/site/model_versions.h"
#include "app/site/site.h"

namespace fedmrg::app {
namespace {

constexpr const char* kRunColumns =
    "SELECT id, state, start_model, steps, examples, started_at, COALESCE(finished_at, ''), "
    "COALESCE(adapter_dir, ''), detail FROM training_runs ";

TrainingRun readRun(const Statement& st) {
  TrainingRun r;
  r.id = st.text(0);
  r.state = st.text(1);
  r.startModel = st.text(2);
  r.steps = int(st.int64(3));
  r.examples = int(st.int64(4));
  r.startedAt = st.text(5);
  r.finishedAt = st.text(6);
  r.adapterDir = QString::fromStdString(st.text(7));
  r.detail = st.text(8);
  return r;
}

}  // namespace

std::string TrainingQueue::heldBackCondition() {
  // The same rule as ModelVersions::isHeldBack, in SQL; the period is an integer from the settings table.
  const int every = ModelVersions(site_, kSystemUser).gateSettings().heldBackEvery;
  return every > 0 ? "(report_id % " + std::to_string(every) + " = 0)" : std::string("0");
}

int TrainingQueue::pendingCount() {
  return int(site_.store().queryInt("SELECT count(*) FROM training_queue WHERE state = 'queued' AND NOT " +
                                    heldBackCondition()));
}

std::string TrainingQueue::oldestPendingAt() {
  return site_.store()
      .queryText("SELECT min(queued_at) FROM training_queue WHERE state = 'queued' AND NOT " + heldBackCondition())
      .value_or("");
}

int TrainingQueue::count(const std::string& state) {
  auto st = site_.store().prepare("SELECT count(*) FROM training_queue WHERE state = ?");
  st.bind(1, state);
  st.step();
  return int(st.int64(0));
}

std::optional<TrainingRun> TrainingQueue::runningRun() {
  auto st = site_.store().prepare(std::string(kRunColumns) + "WHERE state = 'running' ORDER BY started_at LIMIT 1");
  if (!st.step()) return std::nullopt;
  return readRun(st);
}

std::optional<TrainingRun> TrainingQueue::run(const std::string& id) {
  auto st = site_.store().prepare(std::string(kRunColumns) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return readRun(st);
}

std::optional<TrainingRun> TrainingQueue::latestCommitted() {
  auto st = site_.store().prepare(std::string(kRunColumns) +
                                  "WHERE state = 'committed' ORDER BY finished_at DESC, rowid DESC LIMIT 1");
  if (!st.step()) return std::nullopt;
  return readRun(st);
}

std::optional<TrainingRun> TrainingQueue::claim(const std::string& startModel, int steps, int maxStudies) {
  SiteStore& store = site_.store();
  SiteStore::Transaction tx(store);
  if (const auto running = runningRun())
    throw StoreError("training run " + running->id + " is still running; resume or release it first");
  auto hold = store.prepare("UPDATE training_queue SET state = 'held_back', consumed_at = ?, "
                            "detail = 'held back for the quality gate' WHERE state = 'queued' AND " +
                            heldBackCondition());
  hold.bind(1, nowUtc()).run();
  if (const int held = store.changes(); held > 0)
    site_.audit(kSystemUser, "training.queue.held_back", 0,
                std::to_string(held) + " signed reports held back for the quality gate, never trained on");
  if (pendingCount() == 0) {
    tx.commit();
    return std::nullopt;
  }
  const std::string id = newRunId();
  auto ins = store.prepare(
      "INSERT INTO training_runs(id, state, start_model, steps, started_at) VALUES(?, 'running', ?, ?, ?)");
  ins.bind(1, id).bind(2, startModel).bind(3, steps).bind(4, nowUtc()).run();
  auto take = store.prepare(
      "UPDATE training_queue SET state = 'training', run_id = ? WHERE id IN "
      "(SELECT id FROM training_queue WHERE state = 'queued' ORDER BY id LIMIT ?)");
  take.bind(1, id).bind(2, maxStudies).run();
  const int taken = store.changes();
  site_.audit(kSystemUser, "training.run.start", 0, "run " + id + ": " + std::to_string(taken) + " signed reports");
  tx.commit();
  return run(id);
}

namespace {

// The entries `where` selects, with their signed texts and a frontal image when the study has one (the model
// drafts from the frontal image).
std::vector<TrainingStudy> readStudies(SiteStore& store, const std::string& where, const std::string& bound) {
  auto st = store.prepare(
      "SELECT q.id, q.report_id, q.study_id, r.findings, r.impression, r.labels, "
      "(SELECT i.file_path FROM images i JOIN series s ON i.series_id = s.id WHERE s.study_id = q.study_id "
      " ORDER BY CASE WHEN i.view_position IN ('PA', 'AP') THEN 0 ELSE 1 END, i.id LIMIT 1) "
      "FROM training_queue q JOIN reports r ON r.id = q.report_id WHERE " +
      where + " ORDER BY q.id");
  if (!bound.empty()) st.bind(1, bound);
  std::vector<TrainingStudy> out;
  while (st.step()) {
    TrainingStudy s;
    s.entryId = st.int64(0);
    s.reportId = st.int64(1);
    s.studyId = st.int64(2);
    s.findings = st.text(3);
    s.impression = st.text(4);
    s.labels = st.text(5);
    s.imageFile = QString::fromStdString(st.text(6));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<TrainingStudy> TrainingQueue::studies(const std::string& runId) {
  return readStudies(site_.store(), "q.run_id = ? AND q.state = 'training'", runId);
}

std::vector<TrainingStudy> TrainingQueue::signedStudies() {
  return readStudies(site_.store(), "q.state <> 'unusable'", {});
}

void TrainingQueue::markUnusable(const std::string& runId, const std::vector<UnusableStudy>& unusable) {
  for (const UnusableStudy& u : unusable) {
    auto st = site_.store().prepare(
        "UPDATE training_queue SET state = 'unusable', detail = ?, consumed_at = ? WHERE id = ? AND run_id = ? "
        "AND state = 'training'");
    st.bind(1, u.reason).bind(2, nowUtc()).bind(3, u.entryId).bind(4, runId).run();
  }
}

void TrainingQueue::commit(const std::string& runId, const QString& adapterDir, int examples,
                           const std::vector<UnusableStudy>& unusable) {
  SiteStore& store = site_.store();
  SiteStore::Transaction tx(store);
  const auto r = run(runId);
  if (!r || r->state != "running")
    throw StoreError("training run " + runId + " cannot be committed: it is " + (r ? r->state : "unknown"));
  markUnusable(runId, unusable);
  const std::string now = nowUtc();
  auto used = store.prepare(
      "UPDATE training_queue SET state = 'used', consumed_at = ? WHERE run_id = ? AND state = 'training'");
  used.bind(1, now).bind(2, runId).run();
  const int consumed = store.changes();
  auto done = store.prepare(
      "UPDATE training_runs SET state = 'committed', finished_at = ?, adapter_dir = ?, examples = ? WHERE id = ?");
  done.bind(1, now).bind(2, adapterDir.toStdString()).bind(3, examples).bind(4, runId).run();
  site_.audit(
      kSystemUser, "training.run.commit", 0,
      "run " + runId + ": " + std::to_string(consumed) + " signed reports trained into " + adapterDir.toStdString());
  tx.commit();
}

void TrainingQueue::release(const std::string& runId, const std::string& state, const std::string& detail,
                            const std::vector<UnusableStudy>& unusable) {
  if (state != "cancelled" && state != "abandoned" && state != "failed")
    throw StoreError("a training run is released as cancelled, abandoned or failed, not '" + state + "'");
  SiteStore& store = site_.store();
  SiteStore::Transaction tx(store);
  const auto r = run(runId);
  if (!r || r->state != "running")
    throw StoreError("training run " + runId + " cannot be released: it is " + (r ? r->state : "unknown"));
  markUnusable(runId, unusable);
  auto back = store.prepare(
      "UPDATE training_queue SET state = 'queued', run_id = NULL WHERE run_id = ? AND state = 'training'");
  back.bind(1, runId).run();
  const int returned = store.changes();
  auto done = store.prepare("UPDATE training_runs SET state = ?, finished_at = ?, detail = ? WHERE id = ?");
  done.bind(1, state).bind(2, nowUtc()).bind(3, detail).bind(4, runId).run();
  site_.audit(kSystemUser, "training.run." + state, 0,
              "run " + runId + ": " + std::to_string(returned) + " signed reports back in the queue" +
                  (detail.empty() ? "" : "; " + detail));
  tx.commit();
}

std::string TrainingQueue::newRunId() {
  const QString time = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
  const QString suffix =
      QString::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, QLatin1Char('0'));
  return (time + QLatin1Char('-') + suffix).toStdString();
}

}  // namespace fedmrg::app
