#pragma once
// The command line's names for the engine's choices of device and decoder precision: the text of --device and
// --precision is parsed here, and only enums go further. Header-only, like the other *_args.h of this folder.
#include <string>

#include "app/cli/cli.h"
#include "engine/core/torch_runtime.h"
#include "engine/infer/decoder_precision.h"

namespace fedmrg::cli::engineargs {

// --device (cpu, cuda or auto), def when absent; a UsageError names the flag and the allowed values.
inline engine::ComputeDevice device(const Args& a, const std::string& def) {
  const std::string text = a.get("device", def);
  engine::ComputeDevice d = engine::ComputeDevice::Cpu;
  if (!engine::parseDevice(text, &d)) throw UsageError("--device: '" + text + "' is not one of cpu, cuda, auto");
  return d;
}

// --precision (f32 or f16), def when absent; a UsageError names the flag and the allowed values.
inline engine::DecoderPrecision precision(const Args& a, const std::string& def) {
  const std::string text = a.get("precision", def);
  engine::DecoderPrecision p = engine::DecoderPrecision::F32;
  if (!engine::parseDecoderPrecision(text, &p)) throw UsageError("--precision: '" + text + "' is not one of f32, f16");
  return p;
}

}  // namespace fedmrg::cli::engineargs
