#include "engine/infer/model_loader.h"

#include <filesystem>

#include "engine/core/safetensors.h"
#include "engine/infer/llama_checkpoint.h"

namespace fedmrg::engine {

LoadedDecoder loadDecoder(const std::string& dir, const AdapterChoice& choice) {
  LoadedDecoder out;
  if (isLlamaCheckpoint(dir)) {
    LlamaCheckpoint ck = loadLlamaCheckpoint(dir);
    out.config = ck.config;
    out.weights = std::move(ck.weights);
    out.description = "LLaMA-family checkpoint: " + ck.description;
    return out;
  }
  const ModelConfig mc = ModelConfig::load(dir + "/config.json");
  out.config = mc.decoder;
  out.weights = DecoderWeights::fromSafetensors(mc.decoder, SafetensorsFile::open(dir + "/model.safetensors"));
  const struct {
    const char* file;
    bool wanted;
  } adapters[] = {{"generic.safetensors", choice.generic && mc.lora.generic},
                  {"specialized.safetensors", choice.specialized && mc.lora.specialized}};
  for (const auto& a : adapters) {
    const std::string path = dir + "/" + a.file;
    if (!a.wanted || !std::filesystem::exists(path)) continue;
    out.weights.mergeLora(out.config, SafetensorsFile::open(path), mc.lora.alpha);
    out.adapters.push_back(a.file);
  }
  out.description = "fedmrg model folder";
  for (const auto& a : out.adapters) out.description += " + " + a;
  return out;
}

}  // namespace fedmrg::engine
