#pragma once
// The durable training queue: every signed final report version enters it once (ReportService::sign,
// UNIQUE report_id), and background training runs consume its entries exactly once.
//
// Semantics (schema 11, app/sql/011_training_runs.sql):
// - claim(): one transaction creates a 'running' run and moves the oldest 'queued' entries to 'training'
//   under its id. At most one run is 'running' at a time.
// - commit(): one transaction marks the run 'committed' with its adapter folder and its entries 'used'.
//   It is the only way an entry becomes 'used', and it refuses a run that is not 'running': an entry is
//   trained into committed adapters once.
// - release(): a cancelled, failed or abandoned run gives its entries back ('queued', run id cleared);
//   its partial training is never committed, so they are trained once, later, by another run.
// - Held back (schema 15): an entry whose report the quality gate keeps for scoring (ModelVersions::isHeldBack
//   with the site's gate settings at the time of the claim) is never trained on: claim() consumes every such
//   'queued' entry as 'held_back' in its transaction, before it takes the run's entries, and pendingCount()
//   leaves them out. So each entry is consumed exactly once: 'used' by one committed run, 'unusable', or
//   'held_back'. (Decided at the claim rather than at signing, so that entries queued before this version, or
//   before the held-back period changed, are held back by the rule the gate applies when it scores.)
// - A process killed during a run leaves it 'running' with its entries: the next start resumes the
//   same run on the same entries from its checkpoint (BackgroundTrainer), or abandons it (release) when
//   the checkpoint is gone.
#include <QString>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fedmrg::app {

class Site;

struct TrainingRun {
  std::string id, state, startModel;
  int steps = 0, examples = 0;
  std::string startedAt, finishedAt;
  QString adapterDir;  // relative to the site folder; set once committed
  std::string detail;
};

// One claimed entry with what training needs: the signed text, its chips and the study's image file.
struct TrainingStudy {
  int64_t entryId = 0, reportId = 0, studyId = 0;
  std::string findings, impression, labels;  // labels encoded as in finding_labels.h
  QString imageFile;                         // as the images table stores it; empty when the study has none
};

// An entry a run could not use, and why (no image, an image that does not decode).
struct UnusableStudy {
  int64_t entryId = 0;
  std::string reason;
};

class TrainingQueue {
 public:
  explicit TrainingQueue(Site& site) : site_(site) {}

  int pendingCount();  // 'queued', less those held back for the quality gate
  // When the oldest pending entry was queued (UTC, ISO); empty when none is pending.
  std::string oldestPendingAt();
  int count(const std::string& state);
  // The run left 'running' by a process that ended without finishing it.
  std::optional<TrainingRun> runningRun();
  std::optional<TrainingRun> run(const std::string& id);
  // The newest committed run.
  std::optional<TrainingRun> latestCommitted();

  // Consumes the held-back entries ('held_back'), then claims up to `maxStudies` of the oldest pending entries
  // for a new run. None when nothing is pending.
  // Throws StoreError when a run is 'running' already.
  std::optional<TrainingRun> claim(const std::string& startModel, int steps, int maxStudies);
  // The run's entries with their texts and images, oldest first.
  std::vector<TrainingStudy> studies(const std::string& runId);
  // Every signed final report version whatever its queue state (but those found unusable), oldest first: what a
  // federation round trains on, each round anew (the rounds' change is averaged, not accumulated locally).
  std::vector<TrainingStudy> signedStudies();
  // Marks the run committed (adapterDir relative to the site folder, examples trained on), its usable
  // entries 'used' and `unusable` ones 'unusable'. Throws StoreError when the run is not 'running'.
  void commit(const std::string& runId, const QString& adapterDir, int examples,
              const std::vector<UnusableStudy>& unusable = {});
  // Ends a running run as `state` ("cancelled", "abandoned" or "failed"): its entries go back to 'queued',
  // but those in `unusable`, which become 'unusable'. Throws StoreError when the run is not 'running'.
  void release(const std::string& runId, const std::string& state, const std::string& detail,
               const std::vector<UnusableStudy>& unusable = {});

  // A new run id: UTC time and a random suffix ("20261201-053000-3fa2b7c1"), also the run's folder names.
  static std::string newRunId();

 private:
  // The SQL condition (on training_queue's report_id) of an entry held back by the site's gate settings.
  std::string heldBackCondition();
  void markUnusable(const std::string& runId, const std::vector<UnusableStudy>& unusable);
  Site& site_;
};

}  // namespace fedmrg::app
