#pragma once
// Options shared by `fedmrg-cli generate` and `fedmrg-cli predict`: which adapters and threads the generator
// uses, and the decoding settings. Header-only: fedmrg-cli compiles only cmd_*.cpp files of this folder.
#include <vector>

#include "app/cli/cli.h"
#include "app/cli/engine_args.h"
#include "engine/infer/report_generator.h"

namespace fedmrg::cli::generateargs {

inline std::vector<OptionSpec> withGenerateOptions(std::vector<OptionSpec> specific) {
  const std::vector<OptionSpec> common{
      {"model", true, "model folder"},
      {"beam", true, "beam size (default: the model config's generation.beam_size)"},
      {"max-new", true, "maximum new tokens (default: generation.max_new_tokens)"},
      {"min-new", true, "minimum new tokens before the end token (default 0)"},
      {"repetition-penalty", true, "CTRL repetition penalty (default: generation.repetition_penalty)"},
      {"no-repeat-ngram", true, "forbid repeated n-grams of this size, 0 = off (default: generation.no_repeat_ngram_size)"},
      {"length-penalty", true, "beam length penalty exponent (default: generation.length_penalty)"},
      {"no-generic", false, "leave out the generic adapter"},
      {"no-specialized", false, "leave out the specialized adapter"},
      {"threads", true, "decoder threads (default: every core)"},
      {"encoder-threads", true, "LibTorch threads of the image encoder (default 1)"},
      {"device", true, "device of the image encoder: cpu, cuda or auto (default cpu; decoding stays on the CPU)"},
      {"precision", true, "decoder weight storage: f32 (default, exact) or f16 (half the bytes per token)"}};
  specific.insert(specific.begin(), common.begin(), common.end());
  return specific;
}

inline engine::ReportGenerator::Options generatorOptions(const Args& a) {
  engine::ReportGenerator::Options go;
  go.generic = !a.has("no-generic");
  go.specialized = !a.has("no-specialized");
  go.threads = int(a.getInt("threads", 0));
  go.torchThreads = int(a.getInt("encoder-threads", 1));
  go.device = engineargs::device(a, "cpu");
  go.decoderPrecision = engineargs::precision(a, "f32");
  return go;
}

inline engine::GenerationOptions generationOptions(const Args& a, const engine::ReportGenerator& gen) {
  engine::GenerationOptions o = gen.defaultOptions();
  o.beamSize = int(a.getInt("beam", o.beamSize));
  o.maxNewTokens = int(a.getInt("max-new", o.maxNewTokens));
  o.minNewTokens = int(a.getInt("min-new", o.minNewTokens));
  o.repetitionPenalty = float(a.getDouble("repetition-penalty", o.repetitionPenalty));
  o.noRepeatNgramSize = int(a.getInt("no-repeat-ngram", o.noRepeatNgramSize));
  o.lengthPenalty = float(a.getDouble("length-penalty", o.lengthPenalty));
  if (o.beamSize < 1 || o.maxNewTokens < 1) throw UsageError("--beam and --max-new must be >= 1");
  return o;
}

}  // namespace fedmrg::cli::generateargs
