#include "app/site/federated_training.h"

#include <QDir>
#include <stdexcept>

#include "app/site/draft_activity.h"
#include "app/site/image_vault.h"
#include "app/site/low_priority.h"
#include "app/site/model_versions.h"
#include "app/site/site.h"
#include "app/site/site_training.h"
#include "engine/model/model_folder.h"
#include "engine/text/bpe_tokenizer.h"

namespace fedmrg::app {
namespace {

// The coordinator's strategy names the federated tensors by their parameter names (federated_tensors.h): the
// generic adapter and projector under FedMRG, every trainable tensor under FedAvg.
engine::HostTensors federatedValues(const engine::Trainer& model) { return model.namedTensors(false); }

federation::Matrix asMatrix(const federation::FederatedTensorSpec& spec, std::vector<float> values) {
  federation::Matrix m;
  m.rows = spec.rows();
  m.cols = spec.cols();
  m.values = std::move(values);
  return m;
}

}  // namespace

FederatedBase::FederatedBase(const QString& baseDir) : dir_(baseDir) {
  try {
    values_ = federatedValues(engine::Trainer::fromFolder(baseDir.toStdString()));
  } catch (const std::exception& e) {
    throw std::runtime_error(baseDir.toStdString() + ": the base model cannot be loaded: " + e.what());
  }
}

void FederatedBase::applyGlobal(engine::Trainer& model,
                                const std::map<std::string, federation::Matrix>& global) const {
  engine::HostTensors named;
  for (const auto& [name, change] : global) {
    const auto base = values_.find(name);
    if (base == values_.end())
      throw std::runtime_error("federated tensor " + name + ": the site's base model " + dir_.toStdString() +
                               " has no such tensor");
    if (base->second.values.size() != change.values.size())
      throw std::runtime_error("federated tensor " + name + ": its shape differs from the site's base model " +
                               dir_.toStdString() + " (the coordinator runs another model)");
    engine::HostTensor t = base->second;
    for (size_t i = 0; i < t.values.size(); ++i) t.values[i] += change.values[i];
    named[name] = std::move(t);
  }
  if (!named.empty()) model.setNamedTensors(named);
}

std::map<std::string, federation::Matrix> FederatedBase::change(
    const engine::Trainer& model, const std::vector<federation::FederatedTensorSpec>& specs) const {
  engine::HostTensors now = federatedValues(model);
  std::map<std::string, federation::Matrix> out;
  for (const auto& spec : specs) {
    const auto value = now.find(spec.name);
    const auto base = values_.find(spec.name);
    if (value == now.end() || base == values_.end())
      throw std::runtime_error("federated tensor " + spec.name + ": the site's model has no such tensor");
    std::vector<float> d = std::move(value->second.values);
    for (size_t i = 0; i < d.size(); ++i) d[i] -= base->second.values[i];
    out[spec.name] = asMatrix(spec, std::move(d));
  }
  return out;
}

namespace {

// The studies a round trains on (see federatedTrainingReports).
std::vector<TrainingStudy> roundStudies(Site& site) {
  const GateSettings gate = ModelVersions(site, 0).gateSettings();
  std::vector<TrainingStudy> out;
  for (TrainingStudy& s : TrainingQueue(site).signedStudies())
    if (!ModelVersions::isHeldBack(s.reportId, gate) && !s.imageFile.isEmpty()) out.push_back(std::move(s));
  return out;
}

}  // namespace

int federatedTrainingReports(Site& site) { return int(roundStudies(site).size()); }

federation::TrainFunction siteTrainFunction(Site& site, std::function<std::shared_ptr<const FederatedBase>()> base,
                                            std::shared_ptr<DraftActivity> drafts, FederatedTrainingOptions options,
                                            std::function<void(int, int)> progress) {
  return [&site, base, drafts, options, progress](const federation::TrainRequest& r) {
    lowerThisThread(options.niceness);
    limitBlasThreads(options.threads);
    const QString modelDir = ModelVersions(site, 0).activeModelDir();
    if (modelDir.isEmpty()) throw std::runtime_error("the site has no model version to train");
    engine::Trainer model = engine::Trainer::fromFolder(modelDir.toStdString());
    // The round starts from the global version, with the site's own specialized adapter.
    const std::shared_ptr<const FederatedBase> from = base();
    from->applyGlobal(model, *r.global);
    const engine::BpeTokenizer tokenizer = engine::ModelFolder(modelDir.toStdString()).loadTokenizer();
    std::vector<engine::TrainExample> examples;
    for (const TrainingStudy& s : roundStudies(site)) {
      try {
        examples.push_back(trainingExample(s, *site.vault(), model.config(), tokenizer));
      } catch (const std::exception&) {
        // An image that does not decode: left out of this round (the background trainer records why).
      }
    }
    if (examples.empty()) throw std::runtime_error("no signed report with a usable image to train on");
    engine::TrainOptions o;
    o.scope = engine::TrainOptions::Scope::Adapters;
    o.steps = options.steps;
    o.batchSize = std::min(options.batchSize, int(examples.size()));
    o.learningRate = options.learningRate;
    o.warmupSteps = std::max(1, options.steps / 10);
    o.seed = options.seed + r.round;
    o.threads = options.threads;
    o.resume = false;
    o.padId = tokenizer.padId();
    o.numSites = 1;
    o.proximalMu = r.proximalMu;
    model.train(examples, o, [&](const engine::TrainProgress& p) {
      // Between steps: a draft in progress has the machine to itself until it is done.
      if (drafts) drafts->waitWhileActive(*r.cancelled);
      if (progress) progress(p.step, p.steps);
      return !r.cancelled->load();
    });
    federation::TrainResult result;
    result.tensors = from->change(model, *r.tensors);
    result.sampleCount = examples.size();
    return result;
  };
}

QString writeGlobalVersionFolder(Site& site, const FederatedBase& base,
                                 const std::map<std::string, federation::Matrix>& global, uint64_t version) {
  const QString active = ModelVersions(site, 0).activeModelDir();
  if (active.isEmpty()) throw std::runtime_error("the site has no model version to apply global version " +
                                                 std::to_string(version) + " to");
  engine::Trainer model = engine::Trainer::fromFolder(active.toStdString());
  base.applyGlobal(model, global);
  const QString parent = QDir(site.dir()).filePath(QStringLiteral("federation/versions"));
  QDir().mkpath(parent);
  const QString dir = QDir(parent).filePath(QStringLiteral("v%1").arg(version));
  writeTrainedModelFolder(model, engine::ModelFolder(active.toStdString()).loadTokenizer(), active.toStdString(), dir);
  return dir;
}

}  // namespace fedmrg::app
