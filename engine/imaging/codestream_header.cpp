#include "engine/imaging/codestream_header.h"

#include <string>

namespace fedmrg::engine {
namespace {

uint32_t be16(const uint8_t* p) { return uint32_t(p[0]) << 8 | p[1]; }
uint32_t be32(const uint8_t* p) { return be16(p) << 16 | be16(p + 2); }

// The frame without the zero bytes that pad a fragment to an even length.
size_t withoutPadding(const uint8_t* data, size_t size) {
  while (size > 0 && data[size - 1] == 0) --size;
  return size;
}

std::string sizeText(int columns, int rows) { return std::to_string(columns) + " × " + std::to_string(rows); }

std::string sizeMismatch(const char* codec, int columns, int rows, int components, int precision,
                         const ExpectedFrame& e) {
  if (columns != e.columns || rows != e.rows)
    return std::string("the ") + codec + " data holds a " + sizeText(columns, rows) +
           " image but the header announces " + sizeText(e.columns, e.rows);
  if (components != e.samplesPerPixel)
    return std::string("the ") + codec + " data holds " + std::to_string(components) +
           " colour components but the header announces " + std::to_string(e.samplesPerPixel);
  // The codec's samples must fit the header's pixel cells; JPEG and this program's JPEG 2000 path stop at 16 bits.
  if (precision > e.bitsAllocated || e.bitsAllocated > 16)
    return std::string("the ") + codec + " data holds " + std::to_string(precision) +
           "-bit samples but the header announces " + std::to_string(e.bitsAllocated) + "-bit pixels";
  return {};
}

// A JPEG 2000 codestream (SOC, SIZ first as ISO 15444-1 A.4 requires).
bool readCodestreamSize(const uint8_t* p, size_t n, Jpeg2000Size& out) {
  if (n < 4 + 38 || be16(p) != 0xFF4F || be16(p + 2) != 0xFF51) return false;
  const uint8_t* siz = p + 4;  // Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, ..., Csiz
  const uint32_t lsiz = be16(siz);
  if (lsiz < 41 || 4 + lsiz > n) return false;
  const uint32_t x = be32(siz + 4), y = be32(siz + 8), xo = be32(siz + 12), yo = be32(siz + 16);
  if (x <= xo || y <= yo || x - xo > 0x7FFFFFFF || y - yo > 0x7FFFFFFF) return false;
  out.width = int(x - xo);
  out.height = int(y - yo);
  out.components = int(be16(siz + 36));
  if (out.components < 1 || 4 + 38 + 3 * size_t(out.components) > 4 + size_t(lsiz)) return false;
  out.precision = (siz[38] & 0x7F) + 1;  // Ssiz of the first component
  // The main header's COD marker follows: SPcod's decomposition count + 1 resolution levels.
  size_t i = 4 + lsiz;
  while (i + 4 <= n && p[i] == 0xFF) {
    const uint32_t marker = be16(p + i), len = be16(p + i + 2);
    if (marker == 0xFF90 || len < 2) break;  // SOT: the main header is over
    if (marker == 0xFF52 && i + 2 + len <= n && len >= 12) {
      out.resolutionLevels = int(p[i + 9]) + 1;
      break;
    }
    i += 2 + len;
  }
  return true;
}

// The codestream inside a JP2 file: the payload of its contiguous codestream box (jp2c).
bool findJp2Codestream(const uint8_t* p, size_t n, size_t& start, size_t& length) {
  size_t i = 0;
  while (i + 8 <= n) {
    uint64_t len = be32(p + i);
    size_t header = 8;
    if (len == 1) {
      if (i + 16 > n) return false;
      len = uint64_t(be32(p + i + 8)) << 32 | be32(p + i + 12);
      header = 16;
    } else if (len == 0) {
      len = n - i;
    }
    if (len < header || len > n - i) return false;
    if (be32(p + i + 4) == 0x6A703263) {  // 'jp2c'
      start = i + header;
      length = size_t(len) - header;
      return true;
    }
    i += size_t(len);
  }
  return false;
}

}  // namespace

bool readJpeg2000Size(const uint8_t* data, size_t size, Jpeg2000Size& out) {
  size_t start = 0, length = size;
  if (size >= 4 && be16(data) != 0xFF4F && !findJp2Codestream(data, size, start, length)) return false;
  return readCodestreamSize(data + start, length, out);
}

std::string checkJpeg2000Frame(const uint8_t* data, size_t size, const ExpectedFrame& e) {
  size_t start = 0, length = size;
  if (size < 4 || (be16(data) != 0xFF4F && !findJp2Codestream(data, size, start, length)))
    return "the JPEG 2000 data does not start with a JPEG 2000 header (it is zeroed or damaged)";
  Jpeg2000Size s;
  if (!readCodestreamSize(data + start, length, s)) return "the JPEG 2000 image header is damaged";
  if (std::string why = sizeMismatch("JPEG 2000", s.width, s.height, s.components, s.precision, e); !why.empty())
    return why;
  // A complete codestream ends with EOC (FF D9); without it the stream was cut short.
  const size_t end = withoutPadding(data + start, length);
  if (end < 2 || be16(data + start + end - 2) != 0xFFD9)
    return "the JPEG 2000 data is truncated (no end-of-codestream marker)";
  return {};
}

std::string checkJpegFrame(const uint8_t* p, size_t n, const ExpectedFrame& e) {
  if (n < 4 || be16(p) != 0xFFD8)
    return "the JPEG data does not start with a JPEG start-of-image marker (it is zeroed or damaged)";
  size_t i = 2;
  bool frameSeen = false;
  while (i + 4 <= n && !frameSeen) {
    if (p[i] != 0xFF) return "the JPEG header is damaged (a marker is missing)";
    while (i + 1 < n && p[i + 1] == 0xFF) ++i;  // fill bytes
    if (i + 4 > n) break;
    const uint8_t m = p[i + 1];
    const uint32_t len = be16(p + i + 2);
    if (m == 0xDA) return "the JPEG data has no frame header before its image data";
    const bool sof = (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == 0xF7;  // F7: JPEG-LS
    if (len < 2 || i + 2 + len > n) return "the JPEG header is damaged (a segment runs past the end of the data)";
    if (sof) {
      if (len < 8) return "the JPEG frame header is damaged";
      const int precision = p[i + 4], rows = int(be16(p + i + 5)), columns = int(be16(p + i + 7)),
                components = p[i + 9];
      if (std::string why = sizeMismatch("JPEG", columns, rows, components, precision, e); !why.empty()) return why;
      frameSeen = true;
    }
    i += 2 + len;
  }
  if (!frameSeen) return "the JPEG data has no frame header";
  const size_t end = withoutPadding(p, n);
  if (end < 2 || be16(p + end - 2) != 0xFFD9) return "the JPEG data is truncated (no end-of-image marker)";
  return {};
}

std::string checkRleFrame(const uint8_t* p, size_t n, const ExpectedFrame& e) {
  // PS3.5 G.5: a 64-byte header of 16 little-endian 32-bit values, the segment count then the offsets.
  if (n < 64) return "the RLE data is shorter than its 64-byte header";
  auto le32 = [p](size_t k) {
    return uint32_t(p[k]) | uint32_t(p[k + 1]) << 8 | uint32_t(p[k + 2]) << 16 | uint32_t(p[k + 3]) << 24;
  };
  const uint32_t segments = le32(0);
  const uint32_t needed = uint32_t(e.samplesPerPixel) * uint32_t((e.bitsAllocated + 7) / 8);
  if (segments != needed)
    return "the RLE header announces " + std::to_string(segments) + " segments where the image needs " +
           std::to_string(needed);
  uint32_t previous = 63;
  for (uint32_t s = 0; s < segments; ++s) {
    const uint32_t offset = le32(4 + 4 * s);
    if (offset <= previous || offset >= n) return "the RLE header is damaged (a segment lies outside the data)";
    previous = offset;
  }
  // Each segment must decode to one byte plane of Rows x Columns (PS3.5 G.3.1): RLE carries no size of its own,
  // so a header edited to fewer rows would otherwise decode the first rows only.
  const uint64_t plane = uint64_t(e.rows) * uint64_t(e.columns);
  for (uint32_t s = 0; s < segments; ++s) {
    const size_t begin = le32(4 + 4 * s), end = s + 1 < segments ? le32(8 + 4 * s) : n;
    uint64_t decoded = 0;
    for (size_t i = begin; i < end;) {
      const int control = int8_t(p[i]);
      if (control >= 0) {                              // control + 1 literal bytes follow
        if (i + 1 + size_t(control) + 1 > end) break;  // a trailing pad byte, not a run
        decoded += uint64_t(control) + 1;
        i += size_t(control) + 2;
      } else if (control != -128) {  // the next byte 1 - control times
        if (i + 2 > end) break;
        decoded += uint64_t(1 - control);
        i += 2;
      } else {
        ++i;
      }
    }
    if (decoded != plane)
      return "the RLE data holds " + std::to_string(decoded) + " pixels per plane but the header's " +
             sizeText(e.columns, e.rows) + " image needs " + std::to_string(plane);
  }
  return {};
}

}  // namespace fedmrg::engine
