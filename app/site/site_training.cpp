#include "app/site/site_training.h"

#include <QDir>
#include <QFile>
#include <chrono>

#include "app/site/finding_labels.h"
#include "app/site/image_vault.h"
#include "engine/imaging/dicom_image.h"
#include "engine/model/model_folder.h"
#include "engine/text/bpe_tokenizer.h"
#include "engine/train/synth_examples.h"

namespace fedmrg::app {

std::string trainingReportText(const std::string& findings, const std::string& impression) {
  std::string text;
  if (!findings.empty()) text += "FINDINGS: " + findings;
  if (!impression.empty()) text += (text.empty() ? "" : "\n") + std::string("IMPRESSION: ") + impression;
  return text;
}

engine::TrainExample trainingExample(const TrainingStudy& study, const ImageVault& vault,
                                     const engine::ModelConfig& config, const engine::BpeTokenizer& tokenizer) {
  if (study.imageFile.isEmpty()) throw std::runtime_error("the study has no image");
  engine::TrainExample e;
  // The signed chips, not the labeler's reading of the text: where they disagreed, the signer confirmed them.
  const FindingStates chips = decodeLabels(study.labels);
  for (size_t i = 0; i < chips.size(); ++i) e.states[i] = static_cast<engine::ObservationState>(chips[i]);
  e.promptIds = engine::promptTokenIds(e.states, config, tokenizer);
  e.reportIds = engine::reportTokenIds(trainingReportText(study.findings, study.impression), e.promptIds.size(), config,
                                       tokenizer);
  // Decoded as a draft decodes it, so that training sees what drafting sees.
  const engine::DicomImage image = vault.readImage(study.imageFile, engine::draftDecodeOptions(config.imageSize));
  const std::vector<float> plane = engine::modelInput(image, config.imageSize);
  for (int ch = 0; ch < config.vision.channels; ++ch) e.image.insert(e.image.end(), plane.begin(), plane.end());
  return e;
}

namespace {

void removeFolder(const QString& dir) {
  if (QDir(dir).exists()) QDir(dir).removeRecursively();
}

}  // namespace

void writeTrainedModelFolder(engine::Trainer& trainer, const engine::BpeTokenizer& tokenizer,
                             const std::string& startModel, const QString& dir) {
  const QString partial = dir + QStringLiteral(".partial");
  removeFolder(partial);
  makePrivateDir(partial);
  trainer.save(partial.toStdString(), &tokenizer);
  // The image check's statistics stay valid: the encoder is frozen when adapters train.
  const engine::ModelFolder start(startModel), out(partial.toStdString());
  if (start.hasChestGate() &&
      !QFile::copy(QString::fromStdString(start.chestGatePath()), QString::fromStdString(out.chestGatePath())))
    throw std::runtime_error(out.chestGatePath() + ": cannot copy the chest gate statistics");
  removeFolder(dir);  // an earlier attempt, killed before its commit
  if (!QDir().rename(partial, dir))
    throw std::runtime_error(dir.toStdString() + ": cannot move the trained adapters into place");
}

SiteTrainingOutcome runSiteTraining(const SiteTrainingJob& job, const ImageVault& vault,
                                    const std::function<bool(const engine::TrainProgress&)>& progress) {
  SiteTrainingOutcome out;
  try {
    engine::Trainer trainer = engine::Trainer::fromFolder(job.startModel);
    const engine::BpeTokenizer tokenizer = engine::ModelFolder(job.startModel).loadTokenizer();
    std::vector<engine::TrainExample> examples;
    for (const TrainingStudy& s : job.studies) {
      try {
        examples.push_back(trainingExample(s, vault, trainer.config(), tokenizer));
      } catch (const std::exception& e) {
        out.unusable.push_back({s.entryId, e.what()});
      }
    }
    out.examples = int(examples.size());
    if (examples.empty()) {
      out.error = "no usable study among the " + std::to_string(job.studies.size()) + " signed reports";
      return out;
    }
    engine::TrainOptions o = job.options;
    o.scope = engine::TrainOptions::Scope::Adapters;
    o.checkpointDir = job.checkpointDir.toStdString();
    o.resume = true;
    o.padId = tokenizer.padId();
    o.numSites = 1;
    makePrivateDir(job.checkpointDir);
    bool stopped = false;
    const engine::TrainResult r = trainer.train(examples, o, [&](const engine::TrainProgress& p) {
      if (progress && !progress(p)) stopped = true;
      return !stopped;
    });
    out.startStep = r.startStep;
    out.steps = r.steps > 0 ? r.steps : r.startStep;  // resumed at its last step: nothing left to train
    out.seconds = r.seconds;
    if (stopped || r.cancelled) {
      out.end = SiteTrainingOutcome::End::Stopped;
      return out;
    }
    writeTrainedModelFolder(trainer, tokenizer, job.startModel, job.versionDir);
    out.end = SiteTrainingOutcome::End::Completed;
  } catch (const std::exception& e) {
    out.end = SiteTrainingOutcome::End::Failed;
    out.error = e.what();
  }
  return out;
}

QString trainingCheckpointDir(const QString& siteDir, const std::string& runId) {
  return QDir(siteDir).filePath(QStringLiteral("training/") + QString::fromStdString(runId));
}

QString adapterVersionDir(const QString& siteDir, const std::string& runId) {
  return QDir(siteDir).filePath(QStringLiteral("adapters/") + QString::fromStdString(runId));
}

}  // namespace fedmrg::app
