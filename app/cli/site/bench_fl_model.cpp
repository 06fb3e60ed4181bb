#include "app/cli/site/bench_fl_model.h"

#include <filesystem>
#include <stdexcept>

#include "engine/model/model_folder.h"

namespace fedmrg::cli::benchfl {
namespace fs = std::filesystem;

namespace {

// Overrides are merged field by field into the base's config.json.
void merge(engine::Json& into, const engine::Json& from) {
  for (const auto& [k, v] : from.asObject()) {
    if (v.isObject() && into.find(k) && into[k].isObject()) merge(into[k], v);
    else into[k] = v;
  }
}

}  // namespace

std::string prepareModelFolder(const std::string& baseDir, const BenchConfig& c, const Method& method,
                               const std::string& runDir) {
  const engine::ModelFolder base(baseDir);
  if (const std::string why = base.problem(); !why.empty()) throw std::runtime_error(why);
  engine::Json j = engine::Json::parseFile(base.configPath());
  merge(j, c.modelOverrides);
  engine::ModelConfig config;
  try {
    config = engine::ModelConfig::fromJson(j);
  } catch (const std::exception& e) {
    throw std::runtime_error("the config's \"model\" overrides: " + std::string(e.what()));
  }
  config = method.modelConfig(config);
  const fs::path dir = fs::path(runDir) / "models" / method.name;
  fs::create_directories(dir);
  const engine::ModelFolder out(dir.string());
  for (const auto& [from, to] :
       {std::pair{base.weightsPath(), out.weightsPath()},
        {base.tokenizerPath(), out.tokenizerPath()},
        {base.adapterPath(engine::AdapterKind::Generic), out.adapterPath(engine::AdapterKind::Generic)},
        {base.adapterPath(engine::AdapterKind::Specialized), out.adapterPath(engine::AdapterKind::Specialized)}}) {
    // Adapter files of another shape than the overridden LoRA config would not load: fresh adapters then.
    const bool adapter = from != base.weightsPath() && from != base.tokenizerPath();
    if (adapter && c.modelOverrides.find("lora")) continue;
    if (!fs::exists(from)) continue;
    // A hard link where the file system allows it: eleven methods need not hold eleven copies of the base weights.
    fs::remove(to);
    std::error_code linked;
    fs::create_hard_link(from, to, linked);
    if (linked) fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  }
  if (!config.lora.specialized) fs::remove(out.adapterPath(engine::AdapterKind::Specialized));
  out.saveConfig(config);
  return dir.string();
}

}  // namespace fedmrg::cli::benchfl
