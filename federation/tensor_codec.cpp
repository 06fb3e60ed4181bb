#include "federation/tensor_codec.h"

#include <zstd.h>

#include <cmath>
#include <cstring>

#include "engine/core/safetensors.h"

namespace fedmrg::federation {

namespace {

constexpr char kMagic[4] = {'F', 'M', 'R', 'C'};
constexpr uint8_t kFormat = 1;
constexpr size_t kHeaderBytes = 4 + 4 + 8;
enum BodyKind : uint8_t { kF32 = 1, kF16 = 2, kInt8Factor = 3 };
// decodeFrame compares a body kind with the header's WireDType by value.
static_assert(kF32 == uint8_t(WireDType::Float32) && kF16 == uint8_t(WireDType::Float16) &&
              kInt8Factor == uint8_t(WireDType::Int8));
enum Compression : uint8_t { kNone = 0, kZstd = 1 };

template <typename T>
void append(std::string& out, T value) {
  char b[sizeof(T)];
  std::memcpy(b, &value, sizeof(T));
  out.append(b, sizeof(T));
}

int64_t elementsOf(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string frame(uint8_t kind, const std::string& body, const CodecSettings& settings) {
  std::string out(kMagic, 4);
  std::string payload = body;
  uint8_t compression = kNone;
  if (settings.zstd) {
    std::string packed(ZSTD_compressBound(body.size()), '\0');
    const size_t n = ZSTD_compress(packed.data(), packed.size(), body.data(), body.size(), settings.zstdLevel);
    if (ZSTD_isError(n)) throw CodecError(std::string("zstd could not compress a frame: ") + ZSTD_getErrorName(n));
    // Incompressible bytes (fp32 noise) go as they are: the frame never grows past its body.
    if (n < body.size()) {
      packed.resize(n);
      payload = std::move(packed);
      compression = kZstd;
    }
  }
  out += char(kFormat);
  out += char(kind);
  out += char(compression);
  out += char(0);
  append<uint64_t>(out, body.size());
  out += payload;
  return out;
}

std::string valuesBody(const std::vector<float>& values, WireDType type) {
  std::string body;
  if (type == WireDType::Float16) {
    body.reserve(values.size() * 2);
    for (float v : values) append<uint16_t>(body, engine::floatToHalf(v));
  } else {
    body.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  }
  return body;
}

}  // namespace

bool goesLowRank(int64_t rows, int64_t cols, const CodecSettings& settings) {
  const int64_t k = settings.rank;
  if (k <= 0 || rows < k || cols < k || rows * cols < settings.lowRankFromElements) return false;
  const double dense = double(rows) * double(cols) * 4;
  // The smaller factor: a right basis sends rows x k, a left basis k x cols; both sides alternate,
  // so the larger of the two decides.
  const double perValue = settings.int8Factors ? 1.0 : 4.0;
  const double factor = double(std::max(rows, cols)) * k * perValue + k * 4;
  return factor <= settings.lowRankAtMostShare * dense;
}

WireTensor encodeDense(const std::string& name, const std::vector<int64_t>& shape, const std::vector<float>& values,
                       const CodecSettings& settings) {
  if (elementsOf(shape) != int64_t(values.size()))
    throw CodecError("tensor '" + name + "': " + std::to_string(values.size()) + " values do not fill its shape");
  WireTensor t;
  t.name = name;
  t.shape = shape;
  t.encoding = WireEncoding::Dense;
  t.dtype = settings.denseType == WireDType::Float16 ? WireDType::Float16 : WireDType::Float32;
  t.framed = true;
  t.bytes = frame(t.dtype == WireDType::Float16 ? kF16 : kF32, valuesBody(values, t.dtype), settings);
  return t;
}

WireTensor encodeFactor(const std::string& name, const Matrix& factor, BasisSide side, const CodecSettings& settings,
                        uint64_t roundingSeed, Matrix* sentFactor) {
  WireTensor t;
  t.name = name;
  t.shape = {factor.rows, factor.cols};
  t.encoding = side == BasisSide::Right ? WireEncoding::LowRankP : WireEncoding::LowRankQ;
  t.framed = true;
  if (!settings.int8Factors) {
    t.dtype = WireDType::Float32;
    t.bytes = frame(kF32, valuesBody(factor.values, WireDType::Float32), settings);
    if (sentFactor) *sentFactor = factor;
    return t;
  }
  const Int8Factor q = quantizeStochastic(factor, side == BasisSide::Left, roundingSeed);
  std::string body;
  append<uint8_t>(body, q.scalePerRow ? 1 : 0);
  body.append(reinterpret_cast<const char*>(q.scales.data()), q.scales.size() * sizeof(float));
  body.append(reinterpret_cast<const char*>(q.values.data()), q.values.size());
  t.dtype = WireDType::Int8;
  t.bytes = frame(kInt8Factor, body, settings);
  if (sentFactor) *sentFactor = dequantize(q);
  return t;
}

WireTensor encodeLowRank(const std::string& name, const Matrix& change, const SharedBasis& basis,
                         const CodecSettings& settings, uint64_t roundingSeed, Matrix* sent) {
  const Matrix factor = projectOnBasis(change, basis);
  Matrix sentFactor;
  WireTensor t = encodeFactor(name, factor, basis.side, settings, roundingSeed, &sentFactor);
  if (sent) *sent = expandFactor(sentFactor, basis);
  return t;
}

uint64_t maxFrameBytes(const std::vector<int64_t>& shape) {
  // The largest body is fp32 values; int8 factors add at most one scale per row or column and a byte.
  const uint64_t n = uint64_t(elementsOf(shape));
  uint64_t extra = 1;
  for (int64_t d : shape) extra += uint64_t(d) * 4;
  return kHeaderBytes + n * 4 + extra;
}

Matrix decodeFrame(const WireTensor& t) {
  const std::string& f = t.bytes;
  auto fail = [&](const std::string& why) { return CodecError("tensor '" + t.name + "': " + why); };
  if (!t.framed) throw fail("is not a codec frame");
  if (f.size() < kHeaderBytes || std::memcmp(f.data(), kMagic, 4) != 0) throw fail("the frame has no codec header");
  if (uint8_t(f[4]) != kFormat) throw fail("unknown codec frame format " + std::to_string(uint8_t(f[4])));
  const uint8_t kind = uint8_t(f[5]), compression = uint8_t(f[6]);
  uint64_t rawBytes = 0;
  std::memcpy(&rawBytes, f.data() + 8, 8);
  if (t.shape.empty() || t.shape.size() > 8) throw fail("has no usable shape");
  for (int64_t d : t.shape)
    if (d <= 0) throw fail("has a dimension that is not positive");
  const int64_t n = elementsOf(t.shape);
  const int64_t rows = t.shape.size() >= 2 ? t.shape[0] : 1;
  const int64_t cols = n / rows;
  if (rawBytes > maxFrameBytes(t.shape)) throw fail("announces a body larger than its shape allows");
  // The frame's body kind must be what the message header declared: a header saying int8 low-rank over an
  // fp32 body of the right length would otherwise pass every check made on the header's dtype.
  const char* const kinds[] = {"", "fp32", "fp16", "int8"};
  const uint8_t declared = uint8_t(t.dtype);
  if (kind >= kF32 && kind <= kInt8Factor && declared >= 1 && declared <= 3 && kind != declared)
    throw fail(std::string("the header says ") + kinds[declared] + " but the frame's body is " + kinds[kind]);
  if (kind == kInt8Factor && t.encoding == WireEncoding::Dense)
    throw fail("the header says dense but the frame's body is an int8 low-rank factor");

  std::string body;
  if (compression == kZstd) {
    body.resize(size_t(rawBytes));
    const size_t got = ZSTD_decompress(body.data(), body.size(), f.data() + kHeaderBytes, f.size() - kHeaderBytes);
    if (ZSTD_isError(got)) throw fail(std::string("the compressed body is damaged (") + ZSTD_getErrorName(got) + ")");
    if (got != rawBytes) throw fail("the compressed body is shorter than announced");
  } else if (compression == kNone) {
    body = f.substr(kHeaderBytes);
    if (body.size() != rawBytes) throw fail("the body is " + std::to_string(body.size()) + " bytes, not " +
                                            std::to_string(rawBytes));
  } else {
    throw fail("unknown compression " + std::to_string(compression));
  }

  Matrix m(rows, cols);
  switch (kind) {
    case kF32:
      if (body.size() != size_t(n) * 4) throw fail("the fp32 body does not match the shape");
      std::memcpy(m.values.data(), body.data(), body.size());
      break;
    case kF16:
      if (body.size() != size_t(n) * 2) throw fail("the fp16 body does not match the shape");
      for (int64_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, body.data() + 2 * i, 2);
        m.values[size_t(i)] = engine::halfToFloat(h);
      }
      break;
    case kInt8Factor: {
      if (t.shape.size() != 2) throw fail("an int8 factor must be a matrix");
      if (body.empty()) throw fail("the int8 factor has no body");
      Int8Factor q;
      q.rows = rows;
      q.cols = cols;
      const uint8_t axis = uint8_t(body[0]);
      if (axis > 1) throw fail("unknown scale axis");
      q.scalePerRow = axis == 1;
      const size_t scales = size_t(q.scalePerRow ? rows : cols);
      if (body.size() != 1 + scales * 4 + size_t(n)) throw fail("the int8 body does not match the shape");
      q.scales.resize(scales);
      std::memcpy(q.scales.data(), body.data() + 1, scales * 4);
      q.values.resize(size_t(n));
      std::memcpy(q.values.data(), body.data() + 1 + scales * 4, size_t(n));
      for (float s : q.scales)
        if (!std::isfinite(s) || s < 0) throw fail("has a scale that is negative or not finite");
      m = dequantize(q);
      break;
    }
    default:
      throw fail("unknown body kind " + std::to_string(kind));
  }
  for (float v : m.values)
    if (!std::isfinite(v)) throw fail("holds a value that is NaN or infinite");
  return m;
}

}  // namespace fedmrg::federation
