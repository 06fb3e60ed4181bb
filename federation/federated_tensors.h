#pragma once
// Which tensors a strategy federates (docs/federation.md, "Strategies"), named as the model names its
// parameters ("model.layers.0.self_attn.q_proj.generic_lora_A", "heads.generic.0.weight"). The coordinator,
// the site processes and the FL benchmark's in-process rounds all take their sets from here, so that both
// transports carry the same tensors under the same names.
//   fedmrg      the generic adapter, the generic contrastive head and the generic projector, low-rank coded;
//               the specialized adapter and the site head never leave the site.
//   fedavg      every tensor a site trains (both adapters and both projection heads), dense fp32.
//   fedprox     as fedavg; the site adds a proximal term (its weight travels in the task).
//   fedavg-lora both adapters, dense fp32.
#include <optional>
#include <string>
#include <vector>

#include "federation/global_model.h"

namespace fedmrg::engine {
class Trainer;
}

namespace fedmrg::federation {

enum class Strategy { FedAvg, FedProx, FedAvgLora, FedMrg };

const char* strategyName(Strategy s);  // "fedavg", "fedprox", "fedavg-lora", "fedmrg"
std::optional<Strategy> parseStrategy(const std::string& name);

// Whether a strategy federates a parameter, given whether a site's training (the Adapters scope) changes it.
bool federatesParameter(Strategy strategy, const std::string& parameter, bool trainable);
// The federated tensors of a model, in parameter-name order.
std::vector<FederatedTensorSpec> federatedTensors(const engine::Trainer& model, Strategy strategy);
// The same for a model folder. Throws std::runtime_error naming the folder or file when it cannot be read.
std::vector<FederatedTensorSpec> federatedTensors(const std::string& modelDir, Strategy strategy);

}  // namespace fedmrg::federation
