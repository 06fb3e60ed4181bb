#include "federation/federated_tensors.h"

#include "engine/core/safetensors.h"
#include "engine/model/model_folder.h"

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

std::vector<FederatedTensorSpec> federatedTensors(const std::string& modelDir, Strategy strategy) {
  const engine::ModelFolder folder(modelDir);
  if (const std::string why = folder.problem(); !why.empty()) throw std::runtime_error(why);
  std::vector<FederatedTensorSpec> out;
  auto addFile = [&](const std::string& path, const std::string& prefix) {
    const auto file = engine::SafetensorsFile::open(path);
    for (const auto& n : file.names()) out.push_back({prefix + n, file.at(n).shape});
  };
  if (strategy == Strategy::FedAvgLora) {
    addFile(folder.adapterPath(engine::AdapterKind::Generic), "generic.");
    addFile(folder.adapterPath(engine::AdapterKind::Specialized), "specialized.");
    return out;
  }
  addFile(folder.adapterPath(engine::AdapterKind::Generic), "");
  const auto base = engine::SafetensorsFile::open(folder.weightsPath());
  for (const auto& n : base.names())
    if (n.rfind("heads.generic.", 0) == 0 || n.rfind("projector.generic.", 0) == 0)
      out.push_back({n, base.at(n).shape});
  return out;
}

}  // namespace fedmrg::federation
