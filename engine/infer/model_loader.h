#pragma once
// Reads the decoder of a model folder for inference: a fedmrg model folder (config.json "format": "fedmrg-model",
// model.safetensors, optional generic.safetensors / specialized.safetensors merged into the weights) or a
// LLaMA-family checkpoint folder.
#include <string>
#include <vector>

#include "engine/infer/fast_decoder.h"

namespace fedmrg::engine {

struct AdapterChoice {
  bool generic = true;      // merge generic.safetensors when present
  bool specialized = true;  // merge specialized.safetensors when present
};

struct LoadedDecoder {
  DecoderConfig config;
  DecoderWeights weights;
  std::vector<std::string> adapters;  // the adapter files merged, in order
  std::string description;
};

LoadedDecoder loadDecoder(const std::string& dir, const AdapterChoice& adapters = {});

}  // namespace fedmrg::engine
