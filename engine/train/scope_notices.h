#pragma once
// What a model config asks for that cannot take effect in a training scope (a loss that needs the adapters while
// only the base trains, a loss on frozen parameters, ...), said when training is set up instead of skipped silently.
#include <string>
#include <vector>

#include "engine/model/model_config.h"
#include "engine/train/trainer.h"

namespace fedmrg::engine {

// One sentence per setting that this scope leaves without effect, naming the config field and the scope.
// Empty when everything the config enables will train.
std::vector<std::string> scopeNotices(const ModelConfig& config, TrainOptions::Scope scope);

// "base" or "adapters", as the notices and the command line name the scopes.
const char* scopeName(TrainOptions::Scope scope);

}  // namespace fedmrg::engine
