// fedmrg:internal
#pragma once
// JPEG 2000 pixel data through OpenJPEG: DCMTK 3.6.7 ships no JPEG 2000 codec.
#include <string>

class DcmDataset;

namespace fedmrg::engine {

bool isJpeg2000TransferSyntax(const std::string& transferSyntaxUid);

// Replaces the encapsulated JPEG 2000 pixel data of `ds` (first frame) by native little-endian
// pixel data. Throws DicomError("<path>: ...") when the stream cannot be decoded.
void decodeJpeg2000InPlace(DcmDataset& ds, const std::string& path);

}  // namespace fedmrg::engine
