// fedmrg:internal
#pragma once
// Reads the decoder of a model folder for inference: a fedmrg model folder (base weights, with the generic and
// specialized adapters merged into them when present) or a LLaMA-family checkpoint folder; ModelFolder tells which.
#include <string>
#include <vector>

#include "engine/infer/fast_decoder.h"

namespace fedmrg::engine {

struct AdapterChoice {
  bool generic = true;      // merge the generic adapter when the folder has it
  bool specialized = true;  // merge the specialized adapter when the folder has it
  std::string site;         // a federated model's site whose own specialized adapter to merge (ModelFolder::hasSite)
};

struct LoadedDecoder {
  DecoderConfig config;
  DecoderWeights weights;
  std::vector<std::string> adapters;  // the names of the adapter files merged, in order
  std::string description;
};

LoadedDecoder loadDecoder(const std::string& dir, const AdapterChoice& adapters = {});

}  // namespace fedmrg::engine
