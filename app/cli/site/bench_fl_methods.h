#pragma once
// The methods the FL benchmark compares (docs/benchmark-fl.md, "Methods"): how sites train and what they
// share, and which of FedMRG's mechanisms the model config switches off for each ablation.
#include <optional>
#include <string>

#include "engine/model/model_config.h"

namespace fedmrg::cli::benchfl {

struct Method {
  enum class Kind { Local, Centralized, Federated };
  // What a federated method sends each round.
  enum class Shares {
    None,
    AllTrainable,   // FedAvg, FedProx: every tensor the site trains (both adapters, both heads)
    BothAdapters,   // FedAvg-LoRA
    FedMrgGeneric,  // FedMRG: generic adapter, generic head, generic projector
  };
  std::string name;   // "fedmrg-dense", as configs name it
  std::string label;  // "FedMRG, dense updates", as the table shows it
  Kind kind = Kind::Federated;
  Shares shares = Shares::None;
  bool lowRank = false;          // the low-rank int8 codec with error feedback (else dense fp32)
  bool proximal = false;         // FedProx's proximal term
  bool sharePrototypes = false;  // site prototypes travel through the coordinator
  // FedMRG's mechanisms in the model (ablations switch one off).
  bool contrastive = true, diagnosisPrompt = true, twoAdapters = true, mutualBoosting = true;

  // The model config this method trains: `base` with its switched-off mechanisms.
  engine::ModelConfig modelConfig(engine::ModelConfig base) const;
  // Whether a parameter (by its name in the model) travels, given whether the Adapters scope trains it.
  bool shared(const std::string& parameter, bool trainable) const;
};

std::optional<Method> findMethod(const std::string& name);
std::string methodNames();  // "local, centralized, ..." for error messages

}  // namespace fedmrg::cli::benchfl
