#include "engine/infer/decoder_precision.h"

#include <initializer_list>

namespace fedmrg::engine {

const char* decoderPrecisionName(DecoderPrecision p) { return p == DecoderPrecision::F16 ? "f16" : "f32"; }

bool parseDecoderPrecision(const std::string& text, DecoderPrecision* out) {
  for (DecoderPrecision p : {DecoderPrecision::F32, DecoderPrecision::F16})
    if (text == decoderPrecisionName(p)) {
      *out = p;
      return true;
    }
  return false;
}

}  // namespace fedmrg::engine
