#pragma once
// Reader and writer of the safetensors format (model weights and adapters), without torch types.
//
// Layout: 8-byte little-endian header length N, N bytes of JSON header
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ..., "__metadata__": {"k": "v"}}
// then the data block; offsets are relative to the start of the data block, data is little-endian.
// The reader validates everything (header length, JSON, dtype, shape x dtype size == byte range, ranges inside the
// file and not overlapping); every error is a SafetensorsError naming the file and, when it applies, the tensor.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::engine {

class SafetensorsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, Bool };

size_t dtypeSize(DType t);
const char* dtypeName(DType t);          // "F32", ...
bool parseDType(const std::string& name, DType* out);

float halfToFloat(uint16_t h);
float bf16ToFloat(uint16_t h);
uint16_t floatToHalf(float f);           // round to nearest even
uint16_t floatToBf16(float f);           // round to nearest even

// A tensor inside an open file: a view, valid while the SafetensorsFile (or a copy of it) lives.
struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const uint8_t* data = nullptr;  // not necessarily aligned
  size_t nbytes = 0;

  int64_t numel() const;
  // A float32 copy of the data (F32, F16, BF16, F64 and the integer types are converted).
  std::vector<float> toFloat32() const;
  std::string shapeString() const;  // "[2, 3]"
};

class SafetensorsFile {
 public:
  SafetensorsFile() = default;
  // Memory-maps the file and validates its header.
  static SafetensorsFile open(const std::string& path);
  // Parses an in-memory image (source names it in errors).
  static SafetensorsFile fromBytes(std::vector<uint8_t> bytes, const std::string& source);

  const std::string& path() const { return path_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  std::vector<std::string> names() const;  // in order of their data offsets
  bool contains(const std::string& name) const { return index_.count(name) > 0; }
  const TensorView* find(const std::string& name) const;
  const TensorView& at(const std::string& name) const;  // SafetensorsError naming file and tensor
  // at() plus a shape check; the error gives the expected and the found shape.
  const TensorView& expect(const std::string& name, const std::vector<int64_t>& shape) const;
  size_t size() const { return tensors_.size(); }

 private:
  void parse(const uint8_t* bytes, size_t size);
  std::string path_;
  std::shared_ptr<const void> storage_;  // the mapping or the owned bytes
  std::vector<TensorView> tensors_;
  std::map<std::string, size_t> index_;
  std::map<std::string, std::string> metadata_;
};

// Collects tensors (copied) and metadata, then writes one file with 8-byte aligned data.
class SafetensorsWriter {
 public:
  void setMetadata(const std::string& key, const std::string& value) { metadata_[key] = value; }
  void add(const std::string& name, DType dtype, const std::vector<int64_t>& shape, const void* data, size_t nbytes);
  void addFloat32(const std::string& name, const std::vector<int64_t>& shape, const float* data);
  std::vector<uint8_t> serialize() const;
  void write(const std::string& path) const;  // SafetensorsError when it cannot write

 private:
  struct Entry {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes;
  };
  std::vector<Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace fedmrg::engine
