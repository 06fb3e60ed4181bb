#include "engine/infer/model_loader.h"

#include <filesystem>

#include "engine/core/safetensors.h"
#include "engine/model/llama_checkpoint.h"
#include "engine/model/model_folder.h"

namespace fedmrg::engine {

LoadedDecoder loadDecoder(const std::string& dir, const AdapterChoice& choice) {
  LoadedDecoder out;
  const ModelFolder folder(dir);
  if (folder.isLlamaCheckpoint()) {
    LlamaCheckpoint ck = loadLlamaCheckpoint(dir);
    out.config = ck.config;
    out.weights = std::move(ck.weights);
    out.description = "LLaMA-family checkpoint: " + ck.description;
    return out;
  }
  const ModelConfig mc = folder.loadConfig();
  out.config = mc.decoder;
  out.weights = DecoderWeights::fromSafetensors(mc.decoder, SafetensorsFile::open(folder.weightsPath()));
  const struct {
    AdapterKind kind;
    bool wanted;
  } adapters[] = {{AdapterKind::Generic, choice.generic && mc.lora.generic},
                  {AdapterKind::Specialized, choice.specialized && mc.lora.specialized}};
  for (const auto& a : adapters) {
    if (!a.wanted || !folder.hasAdapter(a.kind)) continue;
    const std::string path = folder.adapterPath(a.kind, choice.site);
    out.weights.mergeLora(out.config, SafetensorsFile::open(path), mc.lora.alpha);
    // Relative to the folder, so that a site's own adapter shows as sites/<id>/specialized.safetensors.
    out.adapters.push_back(std::filesystem::path(path).lexically_relative(dir).string());
  }
  out.description = "fedmrg model folder";
  for (const auto& a : out.adapters) out.description += " + " + a;
  return out;
}

}  // namespace fedmrg::engine
