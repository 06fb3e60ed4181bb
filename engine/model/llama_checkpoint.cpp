#include "engine/model/llama_checkpoint.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include "engine/core/json.h"
#include "engine/core/safetensors.h"
#include "engine/model/model_folder.h"

namespace fedmrg::engine {
namespace {

int intField(const Json& j, const char* key, const std::string& source, int def, bool required) {
  const Json* v = j.find(key);
  if (!v || v->isNull()) {
    if (required) throw DecoderError(source + ": missing field '" + key + "'");
    return def;
  }
  if (!v->isNumber() || v->asNumber() != double(int64_t(v->asNumber())) || v->asNumber() <= 0 ||
      v->asNumber() > 1e9)
    throw DecoderError(source + ": field '" + key + "' must be a positive integer");
  return int(v->asNumber());
}

double numberField(const Json& j, const char* key, const std::string& source, double def) {
  const Json* v = j.find(key);
  if (!v || v->isNull()) return def;
  if (!v->isNumber() || !(v->asNumber() > 0)) throw DecoderError(source + ": field '" + key + "' must be positive");
  return v->asNumber();
}

bool boolField(const Json& j, const char* key, const std::string& source, bool def) {
  const Json* v = j.find(key);
  if (!v || v->isNull()) return def;
  if (!v->isBool()) throw DecoderError(source + ": field '" + key + "' must be true or false");
  return v->asBool();
}

}  // namespace

DecoderConfig llamaConfigFromJson(const Json& j, const std::string& source, int maxSeqLen) {
  if (!j.isObject()) throw DecoderError(source + ": not a JSON object");
  DecoderConfig c;
  c.dim = intField(j, "hidden_size", source, 0, true);
  c.hiddenDim = intField(j, "intermediate_size", source, 0, true);
  c.nHeads = intField(j, "num_attention_heads", source, 0, true);
  c.nKvHeads = intField(j, "num_key_value_heads", source, c.nHeads, false);
  c.nLayers = intField(j, "num_hidden_layers", source, 0, true);
  c.vocabSize = intField(j, "vocab_size", source, 0, true);
  c.normEps = numberField(j, "rms_norm_eps", source, 1e-6);
  c.ropeTheta = numberField(j, "rope_theta", source, 10000.0);
  c.tieEmbeddings = boolField(j, "tie_word_embeddings", source, false);
  c.maxSeqLen = intField(j, "max_position_embeddings", source, 2048, false);
  if (maxSeqLen > 0) c.maxSeqLen = std::min(c.maxSeqLen, maxSeqLen);
  if (c.dim % c.nHeads != 0) throw DecoderError(source + ": num_attention_heads must divide hidden_size");
  if (c.nHeads % c.nKvHeads != 0)
    throw DecoderError(source + ": num_key_value_heads must divide num_attention_heads");
  if (const Json* hd = j.find("head_dim"); hd && !hd->isNull() && (!hd->isNumber() || hd->asInt() != c.headDim()))
    throw DecoderError(source + ": head_dim other than hidden_size / num_attention_heads is not supported");
  if (const Json* rs = j.find("rope_scaling"); rs && !rs->isNull())
    throw DecoderError(source + ": rope_scaling is not supported by the fast decoder");
  if (boolField(j, "attention_bias", source, false) || boolField(j, "mlp_bias", source, false))
    throw DecoderError(source + ": attention_bias / mlp_bias are not supported (LLaMA has no biases)");
  const std::string act = j.value("hidden_act", "silu");
  if (act != "silu") throw DecoderError(source + ": hidden_act '" + act + "' is not supported (silu only)");
  return c;
}

LlamaCheckpoint loadLlamaCheckpoint(const std::string& dir, int maxSeqLen) {
  const ModelFolder folder(dir);
  const std::string configPath = folder.configPath();
  Json cj;
  try {
    cj = Json::parseFile(configPath);
  } catch (const JsonError& e) {
    throw DecoderError(std::string("cannot read checkpoint config: ") + e.what());
  }
  LlamaCheckpoint ck;
  ck.config = llamaConfigFromJson(cj, configPath, maxSeqLen);

  std::vector<std::string> shardPaths;
  const std::string single = folder.weightsPath(), index = folder.shardIndexPath();
  if (std::filesystem::exists(single)) {
    shardPaths.push_back(single);
  } else if (std::filesystem::exists(index)) {
    Json ij;
    try {
      ij = Json::parseFile(index);
    } catch (const JsonError& e) {
      throw DecoderError(std::string("cannot read shard index: ") + e.what());
    }
    const Json* map = ij.find("weight_map");
    if (!map || !map->isObject()) throw DecoderError(index + ": missing object field 'weight_map'");
    std::set<std::string> files;
    for (const auto& [name, file] : map->asObject()) {
      if (!file.isString() || file.asString().find('/') != std::string::npos)
        throw DecoderError(index + ": weight_map entry '" + name + "' must name a file in the folder");
      files.insert(file.asString());
    }
    for (const auto& f : files) shardPaths.push_back((std::filesystem::path(dir) / f).string());
  } else {
    throw DecoderError(dir + ": no " + std::filesystem::path(single).filename().string() + " or " +
                       std::filesystem::path(index).filename().string());
  }
  std::vector<SafetensorsFile> shards;
  for (const auto& p : shardPaths) shards.push_back(SafetensorsFile::open(p));
  std::vector<const SafetensorsFile*> ptrs;
  for (const auto& s : shards) ptrs.push_back(&s);
  ck.weights = DecoderWeights::fromSafetensors(ck.config, ptrs);
  const DecoderConfig& c = ck.config;
  ck.description = cj.value("model_type", "llama") + ", " + std::to_string(c.nLayers) + " layers, d=" +
                   std::to_string(c.dim) + ", " + std::to_string(c.nHeads) + "/" + std::to_string(c.nKvHeads) +
                   " heads, vocabulary " + std::to_string(c.vocabSize);
  return ck;
}

}  // namespace fedmrg::engine
