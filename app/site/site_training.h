#pragma once
// One background training run's work, off the GUI thread and without the store: the claimed studies'
// images are decrypted and decoded in memory, their signed texts tokenized as `fedmrg-cli train` does,
// the adapters trained from the run's start model (resuming from the run's checkpoint), and the result
// written as a new model folder of the site: <site>/adapters/<run id>/ (never over the shipped model).
#include <QString>
#include <functional>
#include <string>
#include <vector>

#include "app/site/training_queue.h"
#include "engine/train/trainer.h"

namespace fedmrg::engine {
class BpeTokenizer;
}

namespace fedmrg::app {

class ImageVault;

struct SiteTrainingJob {
  std::string runId;
  std::string startModel;  // the model folder the run starts from (its checkpoint continues it)
  QString checkpointDir;   // trainingCheckpointDir()
  QString versionDir;      // adapterVersionDir(): written as <versionDir>.partial, then renamed
  std::vector<TrainingStudy> studies;
  engine::TrainOptions options;  // scope, checkpointDir and padId are set by runSiteTraining
};

struct SiteTrainingOutcome {
  enum class End { Completed, Stopped, Failed };
  End end = End::Failed;
  std::string error;  // Failed: why
  int examples = 0, startStep = 0, steps = 0;
  double seconds = 0;
  std::vector<UnusableStudy> unusable;  // studies left out, with the reason (no report text in it)
};

// The signed report as the model reads and writes it: "FINDINGS: ...\nIMPRESSION: ...".
std::string trainingReportText(const std::string& findings, const std::string& impression);
// One claimed study as a training example. Throws std::runtime_error naming the image file and the reason.
engine::TrainExample trainingExample(const TrainingStudy& study, const ImageVault& vault,
                                     const engine::ModelConfig& config, const engine::BpeTokenizer& tokenizer);

// Writes `trainer` as a model folder at `dir`, complete before it takes its final name (a kill leaves a .partial
// folder, removed by the next attempt, never a half-written version), with `startModel`'s chest gate statistics.
// Throws std::runtime_error naming the folder.
void writeTrainedModelFolder(engine::Trainer& trainer, const engine::BpeTokenizer& tokenizer,
                             const std::string& startModel, const QString& dir);

// Runs the job. `progress` is called after each optimizer step; returning false stops the run (its
// checkpoint is kept). Never throws: a failure is End::Failed with the reason.
SiteTrainingOutcome runSiteTraining(const SiteTrainingJob& job, const ImageVault& vault,
                                    const std::function<bool(const engine::TrainProgress&)>& progress);

// <site>/training/<run id>: the run's checkpoint, removed once the run has ended.
QString trainingCheckpointDir(const QString& siteDir, const std::string& runId);
// <site>/adapters/<run id>: the committed run's model folder.
QString adapterVersionDir(const QString& siteDir, const std::string& runId);

}  // namespace fedmrg::app
