#include "federation/engine_train_function.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "engine/model/model_folder.h"
#include "engine/text/bpe_tokenizer.h"
#include "federation/federated_tensors.h"
#include "federation/round_seeds.h"
#include "federation/site_tensors.h"

namespace fedmrg::federation {
namespace {

struct SiteState {
  EngineSiteTraining setup;
  std::string saveDir;
  std::mutex mutex;  // the site's thread calls both functions; the lock only guards against misuse
  std::optional<engine::Trainer> trainer;
  std::optional<engine::BpeTokenizer> tokenizer;
  std::optional<SiteStart> start;
  std::vector<engine::TrainExample> examples;
  bool examplesRead = false;

  engine::Trainer& model() {
    if (!trainer) {
      const engine::ModelFolder folder(setup.modelDir);
      if (const std::string why = folder.problem(); !why.empty()) throw std::runtime_error(why);
      trainer.emplace(engine::Trainer::fromFolder(setup.modelDir));
      tokenizer.emplace(folder.loadTokenizer());
    }
    return *trainer;
  }

  // The starting values of the task's tensors, read before the first training changes them.
  const SiteStart& startOf(const std::vector<FederatedTensorSpec>& specs) {
    model();
    if (!start) start = siteStart(*trainer, specs);
    if (start->specs.size() != specs.size())
      throw std::runtime_error("the coordinator's federated tensors changed between rounds");
    return *start;
  }

  void putGlobal(const std::map<std::string, Matrix>& global, uint64_t version) {
    // Version 0 is the starting model itself: nothing to put (and start + 0 could flip a zero's sign).
    if (version == 0 || !start) return;
    trainer->setNamedTensors(startPlusGlobal(*start, global));
  }

  TrainResult train(const TrainRequest& r) {
    std::lock_guard lock(mutex);
    if (!r.tensors || !r.global) throw std::runtime_error("the training request has no tensors");
    if (!parseStrategy(r.strategy)) throw std::runtime_error("unknown strategy '" + r.strategy + "' in the task");
    engine::Trainer& t = model();
    const SiteStart& s = startOf(*r.tensors);
    putGlobal(*r.global, r.baseVersion);
    if (!examplesRead) {
      examples = setup.examples ? setup.examples() : std::vector<engine::TrainExample>{};
      examplesRead = true;
    }
    if (examples.empty()) throw std::runtime_error("this site has no training examples");
    engine::TrainOptions o = setup.options;
    o.scope = engine::TrainOptions::Scope::Adapters;
    o.seed = siteTrainingSeed(setup.options.seed, r.round, setup.siteRow);
    o.proximalMu = r.proximalMu;
    o.padId = tokenizer->padId();
    o.checkpointDir.clear();
    const engine::TrainResult done =
        t.train(examples, o, [&](const engine::TrainProgress&) { return !(r.cancelled && r.cancelled->load()); });
    TrainResult out;
    out.tensors = changeSinceStart(s, t.namedTensors(false));
    out.sampleCount = done.cancelled ? 0 : uint64_t(examples.size());
    return out;
  }

  void applied(uint64_t version, const std::map<std::string, Matrix>& global) {
    std::lock_guard lock(mutex);
    if (!start) {
      // A site that joins after the first round (or restarts) reads its starting values before any training.
      std::vector<FederatedTensorSpec> specs;
      const engine::HostTensors all = model().namedTensors(false);
      for (const auto& [name, m] : global) {
        const auto it = all.find(name);
        if (it == all.end()) throw std::runtime_error("federated tensor '" + name + "': the site's model lacks it");
        specs.push_back({name, it->second.shape});
      }
      start = siteStart(*trainer, specs);
    }
    putGlobal(global, version);
    if (saveDir.empty()) return;
    // Under a temporary name, then renamed: a reader that sees version-<v> sees the whole folder.
    const std::filesystem::path dir = std::filesystem::path(saveDir) / ("version-" + std::to_string(version));
    const std::filesystem::path tmp = dir.string() + ".tmp";
    std::filesystem::remove_all(tmp);
    trainer->save(tmp.string(), &*tokenizer);
    std::filesystem::remove_all(dir);
    std::filesystem::rename(tmp, dir);
  }
};

}  // namespace

EngineSite engineSite(EngineSiteTraining setup, std::string saveDir) {
  auto state = std::make_shared<SiteState>();
  state->setup = std::move(setup);
  state->saveDir = std::move(saveDir);
  EngineSite s;
  s.train = [state](const TrainRequest& r) { return state->train(r); };
  s.applied = [state](uint64_t v, const std::map<std::string, Matrix>& g) { state->applied(v, g); };
  return s;
}

TrainFunction engineTrainFunction(EngineSiteTraining setup) { return engineSite(std::move(setup)).train; }

}  // namespace fedmrg::federation
