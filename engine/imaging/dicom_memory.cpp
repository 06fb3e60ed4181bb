#include "engine/imaging/dicom_memory.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>

#include "engine/imaging/dicom_decode.h"

namespace fedmrg::engine {
namespace {

// Loads the buffer through DCMTK's buffer stream. A buffer stream has no lazy-load factory, so every
// value is copied into the object while reading: `data` need not outlive this call.
void loadBuffer(const uint8_t* data, size_t size, const std::string& name, DcmFileFormat& file) {
  registerDicomCodecs();
  if (!data || size == 0) throw DicomError(name + ": cannot read DICOM: not a DICOM file (no data)");
  DcmInputBufferStream stream;
  stream.setBuffer(data, offile_off_t(size));
  stream.setEos();  // the whole object is in the buffer
  file.transferInit();
  const OFCondition st = file.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
  file.transferEnd();
  if (st.bad()) throw DicomError(name + ": cannot read DICOM: " + loadFailureReason(st));
}

}  // namespace

DicomImage readDicomImageFromMemory(const uint8_t* data, size_t size, const std::string& name,
                                    const DecodeOptions& options) {
  DcmFileFormat file;
  loadBuffer(data, size, name, file);
  return decodeLoadedDicom(file, name, options);
}

DicomMetadata readDicomMetadataFromMemory(const uint8_t* data, size_t size, const std::string& name) {
  DcmFileFormat file;
  loadBuffer(data, size, name, file);
  return metadataOfLoadedDicom(file);
}

}  // namespace fedmrg::engine
