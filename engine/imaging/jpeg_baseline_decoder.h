// fedmrg:internal
#pragma once
// 8-bit JPEG (baseline, and 8-bit extended) pixel data decoded straight to a reduced size with
// libjpeg-turbo's DCT scaling: DCMTK 3.6.7 always decodes the full image, which for a draft's 128-pixel
// model input is most of the time spent on a 2k x 2k film. The viewer and every other case keep DCMTK.
#include <optional>
#include <string>

#include "engine/imaging/pixel_data_check.h"

class DcmDataset;

namespace fedmrg::engine {

// When `ds` holds 8-bit monochrome JPEG pixel data (transfer syntax 1.2.840.10008.1.2.4.50 or .51) and
// minSide > 0 lets the image shrink by 2, 4 or 8 with both sides still >= minSide, replaces the first
// frame's encapsulated data by native 8-bit pixel data at that size (Rows/Columns set to it) and returns
// the reduction (the size is divided by 2^reduction). std::nullopt when it does not apply (another
// format, colour, no room to shrink, or a JPEG process libjpeg-turbo does not decode): the caller decodes
// with DCMTK as before. `layout` is what checkPixelData found. A warning from the decoder (corrupt data,
// premature end) is a failure, as is an image of another size than the header's: throws DicomError.
std::optional<int> decodeJpegScaledInPlace(DcmDataset& ds, const std::string& path,
                                           const std::string& transferSyntaxUid, const PixelLayout& layout,
                                           int minSide);

}  // namespace fedmrg::engine
