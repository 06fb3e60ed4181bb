// fedmrg:internal
#pragma once
// The one decode path behind every DICOM read: a file (dicom_image.h) and a byte buffer
// (dicom_memory.h) are both loaded into a DcmFileFormat and then go through decodeLoadedDicom, so
// every pixel-data check applies to both. DCMTK types stay inside the engine.
#include <string>

#include "engine/imaging/dicom_image.h"

class DcmFileFormat;
class OFCondition;

namespace fedmrg::engine {

// Decodes a loaded DICOM object; `name` (a path, or what identifies a buffer) starts every
// DicomError's message. The pixel-data checks (pixel_data_check.h) run here, before any decoder
// allocates, for files and buffers alike. Throws DicomError.
DicomImage decodeLoadedDicom(DcmFileFormat& file, const std::string& name, const DecodeOptions& options = {});
// Why DCMTK could not read a DICOM object, in words a person can act on.
std::string loadFailureReason(const OFCondition& status);
// The metadata of a loaded DICOM object (no pixel decoding).
DicomMetadata metadataOfLoadedDicom(DcmFileFormat& file);

}  // namespace fedmrg::engine
