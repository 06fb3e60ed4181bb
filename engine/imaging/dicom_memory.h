#pragma once
// Reads a DICOM object held in memory (e.g. decrypted from the site's encrypted image store), so no
// readable copy of it ever touches the disk. The same decoder and checks as reading a file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/imaging/dicom_image.h"

namespace fedmrg::engine {

// Decodes the Part 10 file (or old headerless DICOM) in `data`. `name` identifies the object in
// error messages ("<name>: <reason>"), e.g. a stored image's identifier. Throws DicomError.
// `options` as for readDicomImage (a draft decodes JPEG 2000 at the model's resolution).
DicomImage readDicomImageFromMemory(const uint8_t* data, size_t size, const std::string& name,
                                    const DecodeOptions& options = {});
// Only the metadata of the object in `data`. Throws DicomError.
DicomMetadata readDicomMetadataFromMemory(const uint8_t* data, size_t size, const std::string& name);

}  // namespace fedmrg::engine
