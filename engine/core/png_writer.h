#pragma once
// Writes 8-bit gray or RGB PNG files (montages, previews) without an image library.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::engine {

class PngError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Encodes width x height pixels with `channels` = 1 (gray) or 3 (RGB), row-major, top row first.
// Uses zlib when the engine was built with it, else stored (uncompressed) deflate blocks.
std::vector<uint8_t> encodePng(const uint8_t* pixels, int width, int height, int channels);

// Encodes and writes; throws PngError naming the path on failure.
void writePng(const std::string& path, const uint8_t* pixels, int width, int height, int channels);

// CRC-32 (PNG/zlib polynomial) and Adler-32, exposed for tests.
uint32_t crc32Png(const uint8_t* data, size_t size, uint32_t crc = 0);
uint32_t adler32Png(const uint8_t* data, size_t size);

}  // namespace fedmrg::engine
