#include "app/cli/site/bench_fl_methods.h"

#include <vector>

namespace fedmrg::cli::benchfl {
namespace {

std::vector<Method> table() {
  using K = Method::Kind;
  using S = federation::Strategy;
  Method local{"local", "Local-only", K::Local, std::nullopt};
  Method central{"centralized", "Centralized (pooled data)", K::Centralized, std::nullopt};
  Method fedavg{"fedavg", "FedAvg (all trainable, dense fp32)", K::Federated, S::FedAvg};
  Method fedprox = fedavg;
  fedprox.name = "fedprox";
  fedprox.label = "FedProx (all trainable, dense fp32)";
  fedprox.strategy = S::FedProx;
  fedprox.proximal = true;
  Method lora{"fedavg-lora", "FedAvg-LoRA (both adapters, dense fp32)", K::Federated, S::FedAvgLora};
  Method fedmrg{"fedmrg", "FedMRG", K::Federated, S::FedMrg, true, false, true};
  std::vector<Method> out{local, central, fedavg, fedprox, lora, fedmrg};
  auto ablation = [&](const char* name, const char* label, auto change) {
    Method m = fedmrg;
    m.name = name;
    m.label = label;
    change(m);
    out.push_back(m);
  };
  ablation("fedmrg-dense", "FedMRG, dense updates", [](Method& m) { m.lowRank = false; });
  ablation("fedmrg-no-contrastive", "FedMRG, no client-aware contrastive terms", [](Method& m) {
    m.contrastive = false;
    m.sharePrototypes = false;
  });
  ablation("fedmrg-no-prompt", "FedMRG, no diagnosis-driven prompt", [](Method& m) { m.diagnosisPrompt = false; });
  ablation("fedmrg-one-adapter", "FedMRG, one adapter", [](Method& m) { m.twoAdapters = false; });
  ablation("fedmrg-no-mutual-boosting", "FedMRG, no mutual boosting", [](Method& m) { m.mutualBoosting = false; });
  return out;
}

}  // namespace

engine::ModelConfig Method::modelConfig(engine::ModelConfig c) const {
  if (!contrastive) c.losses.imageReport.enabled = c.losses.sitePrototype.enabled = false;
  if (!diagnosisPrompt) c.prompt.diagnosisPrompt = false;
  if (!twoAdapters) c.lora.specialized = false;
  if (!mutualBoosting) c.losses.mutualBoosting.enabled = false;
  return c;
}

std::optional<Method> findMethod(const std::string& name) {
  for (const Method& m : table())
    if (m.name == name) return m;
  return std::nullopt;
}

std::string methodNames() {
  std::string s;
  for (const Method& m : table()) s += (s.empty() ? "" : ", ") + m.name;
  return s;
}

}  // namespace fedmrg::cli::benchfl
