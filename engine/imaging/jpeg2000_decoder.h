// fedmrg:internal
#pragma once
// JPEG 2000 pixel data through OpenJPEG: DCMTK 3.6.7 ships no JPEG 2000 codec.
#include <string>

#include "engine/imaging/pixel_data_check.h"

class DcmDataset;

namespace fedmrg::engine {

bool isJpeg2000TransferSyntax(const std::string& transferSyntaxUid);

// Replaces the encapsulated JPEG 2000 pixel data of `ds` (first frame) by native little-endian pixel
// data, at the lowest resolution level whose sides are still >= minSide (0: full resolution), and sets
// Rows/Columns to the decoded size. `layout` is what checkPixelData found. Returns the reduction (the
// size is divided by 2^reduction). Any OpenJPEG warning or error is a failure: throws DicomError.
int decodeJpeg2000InPlace(DcmDataset& ds, const std::string& path, const PixelLayout& layout, int minSide, int threads);

}  // namespace fedmrg::engine
