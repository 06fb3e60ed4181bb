// fedmrg:internal
#pragma once
// The one check every decode goes through (importer, viewer, drafts; file or memory input): the pixel
// description in the header is sane and within the limits, and the pixel data holds what it announces
// (native length; encapsulated fragments present, non-empty, and a first frame whose codec header agrees),
// all before any decoder allocates. Throws DicomError("<path>: <reason a person understands>").
#include <cstdint>
#include <string>
#include <vector>

#include "engine/imaging/dicom_image.h"

class DcmDataset;

namespace fedmrg::engine {

enum class PixelEncoding { Native, Jpeg, JpegLs, Jpeg2000, Rle };

struct PixelLayout {
  int rows = 0, columns = 0, samplesPerPixel = 1, bitsAllocated = 0, bitsStored = 0, frames = 1;
  std::string photometric;
  PixelEncoding encoding = PixelEncoding::Native;
};

PixelLayout checkPixelData(DcmDataset& ds, const std::string& path, const DecodeLimits& limits);

// The bytes of the first frame of encapsulated pixel data (its fragments joined). Throws DicomError.
std::vector<uint8_t> firstFrameBytes(DcmDataset& ds, const std::string& path);

// "12,000": byte counts people read.
std::string groupedNumber(uint64_t n);

}  // namespace fedmrg::engine
