#include "engine/model/decoder_tensors.h"

namespace fedmrg::engine::decoder_tensors {
namespace {

std::string join(const std::string& a, const char* b) { return a + "." + b; }

// The path of a layer tensor below "<model>.<layers>.<index>".
std::string layerSuffix(LayerTensor t) {
  switch (t) {
    case LayerTensor::InputNorm: return join(kInputNorm, kWeight);
    case LayerTensor::Q: return join(join(kSelfAttn, kQProj), kWeight);
    case LayerTensor::K: return join(join(kSelfAttn, kKProj), kWeight);
    case LayerTensor::V: return join(join(kSelfAttn, kVProj), kWeight);
    case LayerTensor::O: return join(join(kSelfAttn, kOProj), kWeight);
    case LayerTensor::PostAttentionNorm: return join(kPostAttentionNorm, kWeight);
    case LayerTensor::Gate: return join(join(kMlp, kGateProj), kWeight);
    case LayerTensor::Up: return join(join(kMlp, kUpProj), kWeight);
    case LayerTensor::Down: return join(join(kMlp, kDownProj), kWeight);
  }
  return {};
}

std::string layersPrefix() { return join(kModel, kLayers) + "."; }

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string embedTokens() { return join(join(kModel, kEmbedTokens), kWeight); }
std::string finalNorm() { return join(join(kModel, kNorm), kWeight); }
std::string lmHead() { return join(kLmHead, kWeight); }

std::string layer(int index, LayerTensor t) { return layersPrefix() + std::to_string(index) + "." + layerSuffix(t); }

bool parseLayer(const std::string& name, int* index, LayerTensor* t) {
  const std::string pre = layersPrefix();
  if (name.compare(0, pre.size(), pre) != 0) return false;
  size_t pos = pre.size();
  long long idx = 0;
  bool digits = false;
  while (pos < name.size() && name[pos] >= '0' && name[pos] <= '9') {
    idx = idx * 10 + (name[pos++] - '0');
    digits = true;
    if (idx > 1000000000) return false;
  }
  if (!digits || pos >= name.size() || name[pos] != '.') return false;
  const std::string sub = name.substr(pos + 1);
  for (LayerTensor candidate : kLayerTensors)
    if (sub == layerSuffix(candidate)) {
      *index = int(idx);
      *t = candidate;
      return true;
    }
  return false;
}

std::string loraFactor(const std::string& weight, char factor) {
  const std::string suffix = std::string(".") + kWeight;
  if (!endsWith(weight, suffix)) return {};
  return weight.substr(0, weight.size() - suffix.size()) + "." + (factor == 'A' ? kLoraA : kLoraB);
}

bool parseLoraFactor(const std::string& name, std::string* weight, char* factor) {
  for (const char* f : {kLoraA, kLoraB}) {
    const std::string suffix = std::string(".") + f;
    if (!endsWith(name, suffix)) continue;
    *weight = name.substr(0, name.size() - suffix.size()) + "." + kWeight;
    *factor = f == kLoraA ? 'A' : 'B';
    return true;
  }
  return false;
}

}  // namespace fedmrg::engine::decoder_tensors
