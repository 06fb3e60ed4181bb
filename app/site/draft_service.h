#pragma once
// Draft generation for the report editor: through engine::ReportGenerator when a model folder is
// installed; otherwise it says "no report model installed" and never invents text.
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "app/site/chest_check.h"
#include "app/site/model_identity.h"

namespace fedmrg::app {

// The model's draft of one study's report, split into the editor's sections (not the engine's
// token-level draft: that stays inside the service).
struct DraftedReport {
  std::string findings, impression;
  std::string labels;  // encoded as in finding_labels.h
  ModelIdentity model = {};  // the model that wrote it: the kept version is credited to it
  // The chest radiograph check made before drafting: "yes" or "uncertain" (a "no" drafts nothing), and its
  // line for the user (decision, image distance against the thresholds, reason).
  std::string chestCheck = {}, chestCheckLine = {};
  bool chestUncertain() const { return chestCheck == "uncertain"; }
  // The check's reason and image distance (none without statistics), kept with the draft's report version.
  std::string chestCheckReason = {};
  std::optional<double> chestCheckScore = {};
  ChestCheck chestCheckRecord() const { return {chestCheck, chestCheckReason, chestCheckScore}; }
  // What the model was trained on, from its folder ("unknown training data" when the folder does not say).
  std::string trainingData = {};
};

// Thrown by DraftService::generate when the image is not a chest radiograph: no draft; what() says why.
class NotChestRadiographError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DraftService {
 public:
  virtual ~DraftService() = default;
  // False with a reason for the user ("no report model installed ...").
  virtual bool available(QString* reason) const = 0;
  // Runs off the GUI thread. `progress` gets values in [0, 1]; returns false when cancelled.
  // Throws std::runtime_error with a clear message on failure, NotChestRadiographError when the chest gate
  // refuses the image.
  virtual bool generate(const QString& dicomFile, DraftedReport& out, const std::function<void(double)>& progress,
                        const std::atomic<bool>& cancel) = 0;
};

struct ReportSections {
  std::string findings, impression;
};
// Splits generated text at "FINDINGS:" and "IMPRESSION:" (any case); text before FINDINGS (such as
// COMPARISON) stays with the findings; without markers everything is findings.
ReportSections splitReportText(const std::string& text);

// The engine-backed service for the model folder `modelDir` (config + weights + tokenizer). The
// folder is checked on every call, so a model installed later is found without a restart. With the
// site's `vault`, its encrypted image files are decrypted and decoded in memory; without one, only
// plain files are read. With `activity`, each draft is marked there (the background trainer pauses
// while one runs).
class DraftActivity;
class ImageVault;
std::unique_ptr<DraftService> makeDraftService(const QString& modelDir,
                                               std::shared_ptr<const ImageVault> vault = nullptr,
                                               std::shared_ptr<DraftActivity> activity = nullptr);

// The same with the folder asked for on every draft: when `modelDir()` names another folder than the loaded one
// (an administrator switched or rolled back the model version), the next draft loads it.
std::unique_ptr<DraftService> makeDraftService(std::function<QString()> modelDir,
                                               std::shared_ptr<const ImageVault> vault = nullptr,
                                               std::shared_ptr<DraftActivity> activity = nullptr);

// The model folder inside a site, <site>/model: where a site keeps its model when the user names
// no other folder (the workstation's --model option or FEDMRG_MODEL_DIR, read by its main).
QString siteModelDir(const QString& siteDir);

}  // namespace fedmrg::app
