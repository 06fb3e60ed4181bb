// fedmrg:internal
#pragma once
// DCMTK's JPEG, JPEG-LS and RLE decoders report damaged data as log warnings and fill what they could not
// decode with zeros, so a partial decode would look like an image. While a CodecWarningScope lives, the
// warnings those decoders log on this thread are counted, so that the caller can refuse the image.
namespace fedmrg::engine {

class CodecWarningScope {
 public:
  CodecWarningScope();
  ~CodecWarningScope();
  CodecWarningScope(const CodecWarningScope&) = delete;
  CodecWarningScope& operator=(const CodecWarningScope&) = delete;
  int warnings() const { return warnings_; }

 private:
  int warnings_ = 0;
  int* previous_;
};

}  // namespace fedmrg::engine
