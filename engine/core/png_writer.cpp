#include "engine/core/png_writer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#ifdef FEDMRG_HAVE_ZLIB
#include <zlib.h>
#endif

namespace fedmrg::engine {
namespace {

std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[n] = c;
  }
  return t;
}

void putBe32(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(uint8_t(v >> 24));
  out.push_back(uint8_t(v >> 16));
  out.push_back(uint8_t(v >> 8));
  out.push_back(uint8_t(v));
}

void putChunk(std::vector<uint8_t>& out, const char* type, const std::vector<uint8_t>& data) {
  putBe32(out, uint32_t(data.size()));
  const size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  putBe32(out, crc32Png(out.data() + start, out.size() - start));
}

// PNG "Up" filter for every row except the first ("Sub"): cheap and helps deflate on photos.
std::vector<uint8_t> filteredRows(const uint8_t* px, int width, int height, int channels) {
  const size_t stride = size_t(width) * channels;
  std::vector<uint8_t> raw;
  raw.reserve((stride + 1) * height);
  for (int y = 0; y < height; ++y) {
    const uint8_t* row = px + stride * y;
    if (y == 0) {
      raw.push_back(1);
      for (size_t i = 0; i < stride; ++i) raw.push_back(uint8_t(row[i] - (i >= size_t(channels) ? row[i - channels] : 0)));
    } else {
      raw.push_back(2);
      const uint8_t* prev = row - stride;
      for (size_t i = 0; i < stride; ++i) raw.push_back(uint8_t(row[i] - prev[i]));
    }
  }
  return raw;
}

std::vector<uint8_t> zlibStream(const std::vector<uint8_t>& raw) {
#ifdef FEDMRG_HAVE_ZLIB
  uLongf size = compressBound(uLong(raw.size()));
  std::vector<uint8_t> out(size);
  if (compress2(out.data(), &size, raw.data(), uLong(raw.size()), 9) != Z_OK) throw PngError("png: zlib failed");
  out.resize(size);
  return out;
#else
  std::vector<uint8_t> out = {0x78, 0x01};
  size_t pos = 0;
  do {
    const size_t n = std::min<size_t>(65535, raw.size() - pos);
    const bool last = pos + n == raw.size();
    out.push_back(last ? 1 : 0);
    out.push_back(uint8_t(n));
    out.push_back(uint8_t(n >> 8));
    out.push_back(uint8_t(~n));
    out.push_back(uint8_t((~n) >> 8));
    out.insert(out.end(), raw.begin() + long(pos), raw.begin() + long(pos + n));
    pos += n;
  } while (pos < raw.size());
  putBe32(out, adler32Png(raw.data(), raw.size()));
  return out;
#endif
}

}  // namespace

uint32_t crc32Png(const uint8_t* data, size_t size, uint32_t crc) {
  static const std::array<uint32_t, 256> table = makeCrcTable();
  uint32_t c = crc ^ 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t adler32Png(const uint8_t* data, size_t size) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < size; ++i) {
    a = (a + data[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

std::vector<uint8_t> encodePng(const uint8_t* pixels, int width, int height, int channels) {
  if (width <= 0 || height <= 0) throw PngError("png: empty image");
  if (channels != 1 && channels != 3) throw PngError("png: channels must be 1 or 3");
  std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<uint8_t> ihdr;
  putBe32(ihdr, uint32_t(width));
  putBe32(ihdr, uint32_t(height));
  ihdr.push_back(8);                           // bit depth
  ihdr.push_back(channels == 1 ? 0 : 2);       // gray or truecolour
  ihdr.push_back(0);
  ihdr.push_back(0);
  ihdr.push_back(0);
  putChunk(out, "IHDR", ihdr);
  putChunk(out, "IDAT", zlibStream(filteredRows(pixels, width, height, channels)));
  putChunk(out, "IEND", {});
  return out;
}

void writePng(const std::string& path, const uint8_t* pixels, int width, int height, int channels) {
  const std::vector<uint8_t> bytes = encodePng(pixels, width, height, channels);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw PngError(path + ": cannot open for writing");
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !ok) throw PngError(path + ": write failed");
}

}  // namespace fedmrg::engine
