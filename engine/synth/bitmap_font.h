#pragma once
// A built-in 5x7 bitmap font, so that side markers and montage labels need no font library.
#include <cstdint>
#include <string_view>

namespace fedmrg::engine {

constexpr int kGlyphWidth = 5;
constexpr int kGlyphHeight = 7;

// The 7 rows of a glyph (bit 4 is the leftmost column). Lower case maps to upper case;
// unknown characters map to '?'.
const uint8_t* glyph5x7(char c);

// Width in pixels of `text` drawn at `scale` (one blank column between glyphs).
inline int textWidth(std::string_view text, int scale) {
  return text.empty() ? 0 : int(text.size()) * (kGlyphWidth + 1) * scale - scale;
}

// Calls plot(x, y) for every lit pixel of `text` with its top-left corner at (x0, y0).
template <class Plot>
void forEachTextPixel(std::string_view text, int x0, int y0, int scale, Plot&& plot) {
  int cx = x0;
  for (char c : text) {
    const uint8_t* rows = glyph5x7(c);
    for (int r = 0; r < kGlyphHeight; ++r)
      for (int col = 0; col < kGlyphWidth; ++col)
        if (rows[r] & (0x10 >> col))
          for (int dy = 0; dy < scale; ++dy)
            for (int dx = 0; dx < scale; ++dx) plot(cx + col * scale + dx, y0 + r * scale + dy);
    cx += (kGlyphWidth + 1) * scale;
  }
}

// Draws text into an 8-bit image with `channels` interleaved channels, clipped to the image.
void drawText(uint8_t* pixels, int width, int height, int channels, std::string_view text, int x0, int y0,
              int scale, const uint8_t* color);

}  // namespace fedmrg::engine
