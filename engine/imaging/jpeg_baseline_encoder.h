#pragma once
// Writes 8-bit JPEG baseline DICOM files with DCMTK's encoder: what `fedmrg-cli bench draft --codec jpeg`
// times, and the fixtures of the scaled JPEG decoder's tests.
#include <string>

namespace fedmrg::engine {

// Reads the DICOM file `input` (any monochrome image this program decodes), maps it to 8 bits through its
// default window (MONOCHROME1 inverted, so the copy is MONOCHROME2), and writes it to `output` as JPEG
// baseline (transfer syntax 1.2.840.10008.1.2.4.50) at `quality` (1..100). Throws DicomError naming the file.
void writeJpegBaselineCopy(const std::string& input, const std::string& output, int quality = 90);

}  // namespace fedmrg::engine
