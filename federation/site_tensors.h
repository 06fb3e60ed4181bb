#pragma once
// A site's federated tensors between the engine's trainer and the federation's convention (TrainRequest):
// the federation carries the accumulated global change since the model every site started from, so a site
// keeps those starting values and converts both ways with the same arithmetic on every transport (the FL
// benchmark's in-process rounds and the site processes must end on bit-identical tensors).
#include <map>
#include <string>
#include <vector>

#include "engine/train/trainer.h"
#include "federation/global_model.h"

namespace fedmrg::federation {

// rows x cols as the codec reads a tensor: the first dimension by the product of the others.
Matrix toMatrix(const engine::HostTensor& tensor);

// The federated tensors' values in the model every site starts from.
struct SiteStart {
  std::vector<FederatedTensorSpec> specs;
  std::map<std::string, Matrix> values;
};

// Reads them from the trainer before it trains. Throws std::runtime_error naming a tensor the model lacks or
// whose shape differs (a site whose model is not the consortium's).
SiteStart siteStart(const engine::Trainer& model, const std::vector<FederatedTensorSpec>& specs);
// start + global: the values to put into the trainer (setNamedTensors) for a global version.
engine::HostTensors startPlusGlobal(const SiteStart& start, const std::map<std::string, Matrix>& global);
// now - start per federated tensor: the trained values in the federation's convention (TrainResult).
std::map<std::string, Matrix> changeSinceStart(const SiteStart& start, const engine::HostTensors& now);
// The site's upload: (now - start) - global per tensor, the same subtraction FederatedSite makes.
std::map<std::string, Matrix> changeSinceGlobal(const std::map<std::string, Matrix>& sinceStart,
                                                const std::map<std::string, Matrix>& global);

}  // namespace fedmrg::federation
