#pragma once
// The methods the FL benchmark compares (docs/benchmark-fl.md, "Methods"): how sites train and what they
// share, and which of FedMRG's mechanisms the model config switches off for each ablation.
#include <optional>
#include <string>

#include "engine/model/model_config.h"
#include "federation/federated_tensors.h"

namespace fedmrg::cli::benchfl {

struct Method {
  enum class Kind { Local, Centralized, Federated };
  std::string name;   // "fedmrg-dense", as configs name it
  std::string label;  // "FedMRG, dense updates", as the table shows it
  Kind kind = Kind::Federated;
  // What a federated method sends each round: the coordinator's strategy of the same name decides
  // (federation/federated_tensors.h), so both transports carry the same tensors.
  std::optional<federation::Strategy> strategy;
  bool lowRank = false;          // the low-rank int8 codec with error feedback (else dense fp32)
  bool proximal = false;         // FedProx's proximal term
  bool sharePrototypes = false;  // site prototypes travel through the coordinator
  // FedMRG's mechanisms in the model (ablations switch one off).
  bool contrastive = true, diagnosisPrompt = true, twoAdapters = true, mutualBoosting = true;

  // The model config this method trains: `base` with its switched-off mechanisms.
  engine::ModelConfig modelConfig(engine::ModelConfig base) const;
};

std::optional<Method> findMethod(const std::string& name);
std::string methodNames();  // "local, centralized, ..." for error messages

}  // namespace fedmrg::cli::benchfl
