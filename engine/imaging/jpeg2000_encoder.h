#pragma once
// Writes JPEG 2000 DICOM files through OpenJPEG (DCMTK 3.6.7 has no JPEG 2000 encoder): what
// `fedmrg-cli bench draft` times when it is given no file, and the fixtures of the decoder's tests.
#include <string>

namespace fedmrg::engine {

// Whether this build has OpenJPEG (otherwise the functions below throw DicomError).
bool haveJpeg2000Encoder();

// Re-encodes the native monochrome pixel data of the DICOM file `input` (first frame) as a JPEG 2000
// codestream with `resolutionLevels` levels (lossless when `lossless`, else about 10:1), and writes
// the result to `output` with the JPEG 2000 transfer syntax. Throws DicomError naming the file.
void writeJpeg2000Copy(const std::string& input, const std::string& output, bool lossless = true,
                       int resolutionLevels = 6);

}  // namespace fedmrg::engine
