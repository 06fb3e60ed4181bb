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

  int pendingCount();  // 'queued'
  int count(const std::string& state);
  // The run left 'running' by a process that ended without finishing it.
  std::optional<TrainingRun> runningRun();
  std::optional<TrainingRun> run(const std::string& id);
  // The newest committed run.
  std::optional<TrainingRun> latestCommitted();

  // Claims up to `maxStudies` of the oldest pending entries for a new run. None when nothing is pending.
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
  void markUnusable(const std::string& runId, const std::vector<UnusableStudy>& unusable);
  Site& site_;
};

}  // namespace fedmrg::app
