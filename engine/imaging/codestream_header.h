#pragma once
// Reads the headers of one compressed frame (JPEG, JPEG-LS, JPEG 2000, RLE) from its bytes, without
// decoding, so that a frame that is empty, zeroed, truncated or of another size than the DICOM header
// announces is refused before a codec allocates or guesses. Pure byte parsing: no DCMTK, no OpenJPEG.
#include <cstddef>
#include <cstdint>
#include <string>

namespace fedmrg::engine {

// What the DICOM header says the frame must be.
struct ExpectedFrame {
  int rows = 0, columns = 0, samplesPerPixel = 1, bitsAllocated = 16;
};

// Each returns "" when the frame's header agrees with `expected`, else the reason in words a person
// understands (what is wrong, not a codec's internal message).
std::string checkJpegFrame(const uint8_t* data, size_t size, const ExpectedFrame& expected);  // also JPEG-LS
std::string checkJpeg2000Frame(const uint8_t* data, size_t size, const ExpectedFrame& expected);
std::string checkRleFrame(const uint8_t* data, size_t size, const ExpectedFrame& expected);

// The image size a JPEG 2000 frame declares (its SIZ marker; inside the jp2c box for JP2 files), and
// how many resolution levels its first coding style (COD) holds. False when the header is unreadable.
struct Jpeg2000Size {
  int width = 0, height = 0, components = 0, precision = 0, resolutionLevels = 0;
};
bool readJpeg2000Size(const uint8_t* data, size_t size, Jpeg2000Size& out);

}  // namespace fedmrg::engine
