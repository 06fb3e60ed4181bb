#pragma once
// How the fast decoder stores its matrices, and the names the command line gives that choice.
#include <string>

namespace fedmrg::engine {

// Storage of the matrices: F32 is exact (the equivalence tests with the LibTorch path use it); F16 halves the
// bytes read per token (faster when memory-bound) at about 1e-3 relative error in the logits. Norms, embeddings
// and all arithmetic stay float32.
enum class DecoderPrecision { F32, F16 };
const char* decoderPrecisionName(DecoderPrecision p);  // "f32", "f16"
// "f32" or "f16"; false for anything else (the command line names the allowed values).
bool parseDecoderPrecision(const std::string& text, DecoderPrecision* out);

}  // namespace fedmrg::engine
