#pragma once
// The site's side of a federation round's model work (docs/workstation.md, "Federation in the workstation"):
// the training a round asks for (the active version's model with the federated tensors at the global values,
// trained on the site's signed final reports but the held-back ones, at low priority, pausing while a draft runs)
// and the model folder of a new global version. Federated values travel as changes from the base model the
// coordinator started from (TrainRequest::global), so the site keeps that base's values to add and subtract.
#include <QString>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "engine/train/trainer.h"
#include "federation/federated_site.h"

namespace fedmrg::app {

class DraftActivity;
class Site;

struct FederatedTrainingOptions {
  int steps = 20;  // optimizer steps per round
  int batchSize = 4;
  double learningRate = 5e-4;
  uint64_t seed = 0;
  int niceness = 19;  // of the training thread
  int threads = 1;    // LibTorch and OpenBLAS threads
};

// The federated tensors of a base model folder, by the names the coordinator's task uses.
class FederatedBase {
 public:
  // Throws std::runtime_error naming the folder when it cannot be loaded.
  explicit FederatedBase(const QString& baseDir);
  const QString& dir() const { return dir_; }
  // `model`'s federated tensors set to base + global (tensors not in `global` are left as they are).
  void applyGlobal(engine::Trainer& model, const std::map<std::string, federation::Matrix>& global) const;
  // `model`'s federated tensors minus the base, as the site's loop expects them; throws naming a missing tensor.
  std::map<std::string, federation::Matrix> change(const engine::Trainer& model,
                                                   const std::vector<federation::FederatedTensorSpec>& specs) const;

 private:
  QString dir_;
  engine::HostTensors values_;
};

// Signed final reports a round may train on: not held back for the gate, with an image.
int federatedTrainingReports(Site& site);

// The round's training; `base` gives the base model's tensors (loaded on first use, on the loop's thread).
// `progress(step, steps)` after each step (from the training thread). Never on the GUI
// thread: FederatedSite calls it on its own.
federation::TrainFunction siteTrainFunction(Site& site, std::function<std::shared_ptr<const FederatedBase>()> base,
                                            std::shared_ptr<DraftActivity> drafts, FederatedTrainingOptions options,
                                            std::function<void(int step, int steps)> progress = {});

// Writes <site>/federation/versions/v<version>/: the active version's model folder with the federated tensors at
// base + global (the chest gate's statistics kept). Returns the folder; throws std::runtime_error naming it.
QString writeGlobalVersionFolder(Site& site, const FederatedBase& base,
                                 const std::map<std::string, federation::Matrix>& global, uint64_t version);

}  // namespace fedmrg::app
