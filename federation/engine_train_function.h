#pragma once
// A site's local training with the engine, as FederatedSite's TrainFunction (docs/federation.md, "Site
// client"): the task's global change is put onto the starting model's federated tensors, the site's adapters
// train for a round (engine::Trainer, scope Adapters), and the new values go back in the federation's
// convention. The trainer lives across rounds, so what never leaves the site (the specialized adapter, the
// site head, the prototype table) keeps training; each round's seed follows the one rule of round_seeds.h,
// so a site process trains exactly as the FL benchmark's in-process round does.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/train/trainer.h"
#include "federation/federated_site.h"

namespace fedmrg::federation {

struct EngineSiteTraining {
  std::string modelDir;          // the model every site of the consortium starts from
  engine::TrainOptions options;  // steps per round, batch, lr, threads; seed: the run's (see siteTrainingSeed)
  int siteRow = 0;               // this site's row of the prototype table (options.numSites rows)
  // The site's training examples, read once, at the first round (after the model, so a bad model fails first).
  std::function<std::vector<engine::TrainExample>()> examples;
};

struct EngineSite {
  TrainFunction train;
  // For FederatedSiteOptions::onApplied: puts a new global version into the trainer and, when saveDir is not
  // empty, saves the site's model of that version to saveDir/version-<v> (its own tensors + the global ones).
  std::function<void(uint64_t version, const std::map<std::string, Matrix>& global)> applied;
};

EngineSite engineSite(EngineSiteTraining setup, std::string saveDir = {});
TrainFunction engineTrainFunction(EngineSiteTraining setup);

}  // namespace fedmrg::federation
