#pragma once
// Which tensors a strategy federates (docs/federation.md, "Strategies"), read from a model folder.
//   fedmrg      the generic adapter, the generic contrastive head and the generic projector, low-rank coded;
//               the specialized adapter and the site head never leave the site.
//   fedavg      the same tensors, dense fp32, sample-weighted mean.
//   fedprox     as fedavg; the site adds a proximal term (its weight travels in the task).
//   fedavg-lora both adapters (names prefixed "generic." and "specialized."), dense fp32.
#include <optional>
#include <string>
#include <vector>

#include "federation/global_model.h"

namespace fedmrg::federation {

enum class Strategy { FedAvg, FedProx, FedAvgLora, FedMrg };

const char* strategyName(Strategy s);  // "fedavg", "fedprox", "fedavg-lora", "fedmrg"
std::optional<Strategy> parseStrategy(const std::string& name);

// Throws std::runtime_error naming the folder or file when the model cannot be read.
std::vector<FederatedTensorSpec> federatedTensors(const std::string& modelDir, Strategy strategy);

}  // namespace fedmrg::federation
