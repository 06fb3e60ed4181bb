#include "federation/federated_tensors.h"

#include <set>
#include <stdexcept>

#include "engine/model/model_folder.h"
#include "engine/train/trainer.h"

namespace fedmrg::federation {

const char* strategyName(Strategy s) {
  switch (s) {
    case Strategy::FedAvg: return "fedavg";
    case Strategy::FedProx: return "fedprox";
    case Strategy::FedAvgLora: return "fedavg-lora";
    case Strategy::FedMrg: return "fedmrg";
  }
  return "?";
}

std::optional<Strategy> parseStrategy(const std::string& name) {
  for (Strategy s : {Strategy::FedAvg, Strategy::FedProx, Strategy::FedAvgLora, Strategy::FedMrg})
    if (name == strategyName(s)) return s;
  return std::nullopt;
}

bool federatesParameter(Strategy strategy, const std::string& p, bool trainable) {
  switch (strategy) {
    case Strategy::FedAvg:
    case Strategy::FedProx: return trainable;
    case Strategy::FedAvgLora: return p.find("_lora_") != std::string::npos;
    case Strategy::FedMrg:
      return p.find(".generic_lora_") != std::string::npos || p.rfind("heads.generic.", 0) == 0 ||
             p.rfind("projector.generic.", 0) == 0;
  }
  return false;
}

std::vector<FederatedTensorSpec> federatedTensors(const engine::Trainer& model, Strategy strategy) {
  std::set<std::string> trainable;
  for (const auto& [name, h] : model.namedTensors(true)) trainable.insert(name);
  std::vector<FederatedTensorSpec> out;
  for (const auto& [name, h] : model.namedTensors(false))
    if (federatesParameter(strategy, name, trainable.count(name) > 0)) out.push_back({name, h.shape});
  return out;
}

std::vector<FederatedTensorSpec> federatedTensors(const std::string& modelDir, Strategy strategy) {
  const engine::ModelFolder folder(modelDir);
  if (const std::string why = folder.problem(); !why.empty()) throw std::runtime_error(why);
  try {
    return federatedTensors(engine::Trainer::fromFolder(modelDir), strategy);
  } catch (const engine::TrainError& e) {
    throw std::runtime_error(modelDir + ": " + e.what());
  }
}

}  // namespace fedmrg::federation
