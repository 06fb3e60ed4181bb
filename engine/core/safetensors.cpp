#include "engine/core/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "engine/core/json.h"

namespace fedmrg::engine {
namespace {

static_assert(sizeof(float) == 4, "float must be IEEE binary32");
constexpr uint64_t kMaxHeader = 100ull * 1024 * 1024;

struct DTypeInfo {
  DType type;
  const char* name;
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::F64, "F64", 8}, {DType::F32, "F32", 4}, {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4}, {DType::I16, "I16", 2}, {DType::I8, "I8", 1},
    {DType::U64, "U64", 8}, {DType::U32, "U32", 4}, {DType::U16, "U16", 2}, {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1},
};

const DTypeInfo& info(DType t) {
  for (const auto& i : kDTypes)
    if (i.type == t) return i;
  throw SafetensorsError("unknown dtype");
}

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

struct Mapping {
  void* addr = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (addr) munmap(addr, size);
  }
};

}  // namespace

size_t dtypeSize(DType t) { return info(t).size; }
const char* dtypeName(DType t) { return info(t).name; }
bool parseDType(const std::string& name, DType* out) {
  for (const auto& i : kDTypes)
    if (name == i.name) {
      *out = i.type;
      return true;
    }
  return false;
}

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalize
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400) == 0);
      bits = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bf16ToFloat(uint16_t h) {
  const uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t floatToBf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if (std::isnan(f)) return uint16_t((bits >> 16) | 0x40);
  bits += 0x7fff + ((bits >> 16) & 1);
  return uint16_t(bits >> 16);
}

uint16_t floatToHalf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  const uint16_t sign = uint16_t((bits >> 16) & 0x8000);
  const uint32_t absBits = bits & 0x7fffffffu;
  if (absBits >= 0x7f800000u) return uint16_t(sign | 0x7c00 | (absBits > 0x7f800000u ? 0x200 : 0));
  if (absBits >= 0x477ff000u) return uint16_t(sign | 0x7c00);  // rounds to infinity
  if (absBits < 0x38800000u) {  // half subnormal: m * 2^-24, rounded to nearest even
    float a;
    std::memcpy(&a, &absBits, 4);
    return uint16_t(sign | uint16_t(std::nearbyint(a * 16777216.0f)));
  }
  uint32_t h = ((absBits - 0x38000000u) >> 13);
  const uint32_t rem = absBits & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) ++h;
  return uint16_t(sign | h);
}

int64_t TensorView::numel() const {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

std::string TensorView::shapeString() const {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::vector<float> TensorView::toFloat32() const {
  const size_t n = size_t(numel());
  std::vector<float> out(n);
  const uint8_t* p = data;
  switch (dtype) {
    case DType::F32:
      if (n) std::memcpy(out.data(), p, n * 4);
      break;
    case DType::F16:
      for (size_t i = 0; i < n; ++i) out[i] = halfToFloat(load<uint16_t>(p + 2 * i));
      break;
    case DType::BF16:
      for (size_t i = 0; i < n; ++i) out[i] = bf16ToFloat(load<uint16_t>(p + 2 * i));
      break;
    case DType::F64:
      for (size_t i = 0; i < n; ++i) out[i] = float(load<double>(p + 8 * i));
      break;
    case DType::I64:
      for (size_t i = 0; i < n; ++i) out[i] = float(load<int64_t>(p + 8 * i));
      break;
    case DType::I32:
      for (size_t i = 0; i < n; ++i) out[i] = float(load<int32_t>(p + 4 * i));
      break;
    case DType::I16:
      for (size_t i = 0; i < n; ++i) out[i] = float(load<int16_t>(p + 2 * i));
      break;
    case DType::I8:
      for (size_t i = 0; i < n; ++i) out[i] = float(int8_t(p[i]));
      break;
    case DType::U64:
      for (size_t i = 0; i < n; ++i) out[i] = float(load<uint64_t>(p + 8 * i));
      break;
    case DType::U32:
      for (size_t i = 0; i < n; ++i) out[i] = float(load<uint32_t>(p + 4 * i));
      break;
    case DType::U16:
      for (size_t i = 0; i < n; ++i) out[i] = float(load<uint16_t>(p + 2 * i));
      break;
    case DType::U8:
    case DType::Bool:
      for (size_t i = 0; i < n; ++i) out[i] = float(p[i]);
      break;
  }
  return out;
}

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SafetensorsError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw SafetensorsError(path + ": cannot stat: " + std::strerror(err));
  }
  auto mapping = std::make_shared<Mapping>();
  mapping->size = size_t(st.st_size);
  if (mapping->size > 0) {
    void* addr = mmap(nullptr, mapping->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      throw SafetensorsError(path + ": cannot map: " + std::strerror(err));
    }
    mapping->addr = addr;
  }
  ::close(fd);
  SafetensorsFile f;
  f.path_ = path;
  f.parse(static_cast<const uint8_t*>(mapping->addr), mapping->size);
  f.storage_ = mapping;
  return f;
}

SafetensorsFile SafetensorsFile::fromBytes(std::vector<uint8_t> bytes, const std::string& source) {
  auto owned = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
  SafetensorsFile f;
  f.path_ = source;
  f.parse(owned->data(), owned->size());
  f.storage_ = owned;
  return f;
}

void SafetensorsFile::parse(const uint8_t* bytes, size_t size) {
  auto fail = [&](const std::string& why) { return SafetensorsError(path_ + ": " + why); };
  if (size < 8) throw fail("file too short for the 8-byte header length (" + std::to_string(size) + " bytes)");
  const uint64_t headerLen = load<uint64_t>(bytes);
  if (headerLen < 2 || headerLen > kMaxHeader || headerLen > size - 8)
    throw fail("header length " + std::to_string(headerLen) + " is not sane for a file of " + std::to_string(size) +
               " bytes");
  const std::string_view headerText(reinterpret_cast<const char*>(bytes + 8), size_t(headerLen));
  Json header;
  try {
    header = Json::parse(headerText);
  } catch (const JsonError& e) {
    throw fail(std::string("header is not valid JSON: ") + e.what());
  }
  if (!header.isObject()) throw fail("header is not a JSON object");
  const uint8_t* dataStart = bytes + 8 + headerLen;
  const uint64_t dataSize = size - 8 - headerLen;

  for (const auto& [name, entry] : header.asObject()) {
    if (name == "__metadata__") {
      if (!entry.isObject()) throw fail("__metadata__ must be an object of strings");
      for (const auto& [k, v] : entry.asObject()) {
        if (!v.isString()) throw fail("__metadata__ value of '" + k + "' is not a string");
        metadata_[k] = v.asString();
      }
      continue;
    }
    auto tfail = [&](const std::string& why) { return fail("tensor '" + name + "': " + why); };
    if (index_.count(name)) throw tfail("appears twice in the header");
    if (!entry.isObject()) throw tfail("header entry is not an object");
    TensorView t;
    t.name = name;
    const Json* dtype = entry.find("dtype");
    if (!dtype || !dtype->isString()) throw tfail("missing string field 'dtype'");
    if (!parseDType(dtype->asString(), &t.dtype)) throw tfail("unknown dtype '" + dtype->asString() + "'");
    const Json* shape = entry.find("shape");
    if (!shape || !shape->isArray()) throw tfail("missing array field 'shape'");
    uint64_t numel = 1;
    for (size_t i = 0; i < shape->size(); ++i) {
      const Json& s = shape->at(i);
      if (!s.isNumber() || s.asNumber() < 0 || s.asNumber() != std::floor(s.asNumber()) || s.asNumber() > 9e15)
        throw tfail("shape[" + std::to_string(i) + "] is not a non-negative integer");
      t.shape.push_back(int64_t(s.asNumber()));
      if (t.shape.back() != 0 && numel > std::numeric_limits<uint64_t>::max() / uint64_t(t.shape.back()))
        throw tfail("shape overflows");
      numel *= uint64_t(t.shape.back());
    }
    const Json* offsets = entry.find("data_offsets");
    if (!offsets || !offsets->isArray() || offsets->size() != 2 || !offsets->at(size_t(0)).isNumber() ||
        !offsets->at(size_t(1)).isNumber())
      throw tfail("'data_offsets' must be [begin, end]");
    const double b = offsets->at(size_t(0)).asNumber(), e = offsets->at(size_t(1)).asNumber();
    if (b < 0 || e < b || b != std::floor(b) || e != std::floor(e))
      throw tfail("data_offsets [" + std::to_string(int64_t(b)) + ", " + std::to_string(int64_t(e)) + "] are invalid");
    if (e > double(dataSize))
      throw tfail("data_offsets end " + std::to_string(uint64_t(e)) + " is past the data block of " +
                  std::to_string(dataSize) + " bytes (file truncated?)");
    const uint64_t begin = uint64_t(b), end = uint64_t(e);
    const uint64_t elemSize = dtypeSize(t.dtype);
    if (numel > std::numeric_limits<uint64_t>::max() / elemSize || numel * elemSize != end - begin)
      throw tfail("shape " + t.shapeString() + " x " + dtypeName(t.dtype) + " needs " +
                  std::to_string(numel * elemSize) + " bytes but data_offsets give " + std::to_string(end - begin));
    t.data = dataStart + begin;
    t.nbytes = size_t(end - begin);
    index_[name] = tensors_.size();
    tensors_.push_back(std::move(t));
  }
  // Ranges must not overlap.
  std::vector<const TensorView*> sorted;
  for (const auto& t : tensors_) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](const TensorView* x, const TensorView* y) {
    return x->data != y->data ? x->data < y->data : x->nbytes < y->nbytes;
  });
  for (size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i - 1]->data + sorted[i - 1]->nbytes > sorted[i]->data && sorted[i]->nbytes > 0)
      throw fail("tensor '" + sorted[i]->name + "': data range overlaps tensor '" + sorted[i - 1]->name + "'");
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<const TensorView*> sorted;
  for (const auto& t : tensors_) sorted.push_back(&t);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const TensorView* x, const TensorView* y) { return x->data < y->data; });
  std::vector<std::string> out;
  for (const auto* t : sorted) out.push_back(t->name);
  return out;
}

const TensorView* SafetensorsFile::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

const TensorView& SafetensorsFile::at(const std::string& name) const {
  const TensorView* t = find(name);
  if (!t) throw SafetensorsError(path_ + ": missing tensor '" + name + "'");
  return *t;
}

const TensorView& SafetensorsFile::expect(const std::string& name, const std::vector<int64_t>& shape) const {
  const TensorView& t = at(name);
  if (t.shape != shape) {
    TensorView want;
    want.shape = shape;
    throw SafetensorsError(path_ + ": tensor '" + name + "' has shape " + t.shapeString() + ", expected " +
                           want.shapeString());
  }
  return t;
}

void SafetensorsWriter::add(const std::string& name, DType dtype, const std::vector<int64_t>& shape, const void* data,
                            size_t nbytes) {
  if (name.empty() || name == "__metadata__") throw SafetensorsError("invalid tensor name '" + name + "'");
  for (const auto& e : entries_)
    if (e.name == name) throw SafetensorsError("tensor '" + name + "' added twice");
  int64_t numel = 1;
  for (int64_t s : shape) {
    if (s < 0) throw SafetensorsError("tensor '" + name + "': negative dimension");
    numel *= s;
  }
  if (size_t(numel) * dtypeSize(dtype) != nbytes)
    throw SafetensorsError("tensor '" + name + "': " + std::to_string(nbytes) + " bytes do not match its shape");
  Entry e{name, dtype, shape, std::vector<uint8_t>(nbytes)};
  if (nbytes) std::memcpy(e.bytes.data(), data, nbytes);
  entries_.push_back(std::move(e));
}

void SafetensorsWriter::addFloat32(const std::string& name, const std::vector<int64_t>& shape, const float* data) {
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  add(name, DType::F32, shape, data, size_t(std::max<int64_t>(numel, 0)) * 4);
}

std::vector<uint8_t> SafetensorsWriter::serialize() const {
  Json header = Json::object();
  if (!metadata_.empty()) {
    Json meta = Json::object();
    for (const auto& [k, v] : metadata_) meta[k] = v;
    header["__metadata__"] = std::move(meta);
  }
  uint64_t offset = 0;
  for (const auto& e : entries_) {
    Json t = Json::object();
    t["dtype"] = dtypeName(e.dtype);
    Json shape = Json::array();
    for (int64_t s : e.shape) shape.push_back(Json(s));
    t["shape"] = std::move(shape);
    t["data_offsets"] = Json(Json::Array{Json(offset), Json(offset + e.bytes.size())});
    offset += e.bytes.size();
    header[e.name] = std::move(t);
  }
  std::string text = header.dump(-1);
  while ((8 + text.size()) % 8 != 0) text.push_back(' ');
  std::vector<uint8_t> out(8 + text.size() + offset);
  const uint64_t n = text.size();
  std::memcpy(out.data(), &n, 8);
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* p = out.data() + 8 + text.size();
  for (const auto& e : entries_) {
    if (!e.bytes.empty()) std::memcpy(p, e.bytes.data(), e.bytes.size());
    p += e.bytes.size();
  }
  return out;
}

void SafetensorsWriter::write(const std::string& path) const {
  const std::vector<uint8_t> bytes = serialize();
  const std::string tmp = path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw SafetensorsError(path + ": cannot write");
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out) throw SafetensorsError(path + ": error while writing");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw SafetensorsError(path + ": cannot rename the written file: " + std::strerror(errno));
}

}  // namespace fedmrg::engine
