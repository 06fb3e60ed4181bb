#pragma once
// The model folders the FL benchmark trains from: the base model (config.base_model, else the shipped default)
// with the config's overrides, and one variant per method whose ablation switches a mechanism off. Adapters
// start from the base folder's adapter files, so every method and seed starts from the same weights.
#include <string>

#include "app/cli/site/bench_fl_config.h"
#include "app/cli/site/bench_fl_methods.h"

namespace fedmrg::cli::benchfl {

// Writes <runDir>/models/<method>/ (config with overrides and the method's switches, the base's files) and
// returns it. Throws std::runtime_error naming the folder or the bad override.
std::string prepareModelFolder(const std::string& baseDir, const BenchConfig& config, const Method& method,
                               const std::string& runDir);

}  // namespace fedmrg::cli::benchfl
