#include "engine/imaging/jpeg_baseline_encoder.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrploss.h>

#include <mutex>

#include "engine/imaging/dicom_image.h"

namespace fedmrg::engine {

void writeJpegBaselineCopy(const std::string& input, const std::string& output, int quality) {
  static std::once_flag once;
  std::call_once(once, [] { DJEncoderRegistration::registerCodecs(); });
  // Baseline JPEG holds 8-bit samples: the film as a radiologist first sees it (its default window).
  const DicomImage image = readDicomImage(input);
  const std::vector<uint8_t> px = renderWindowed(image, image.defaultWindow);
  DcmFileFormat file;
  if (file.loadFile(input.c_str()).bad()) throw DicomError(input + ": cannot read DICOM");
  DcmDataset& ds = *file.getDataset();
  ds.findAndDeleteElement(DCM_PixelData);
  for (const DcmTagKey& tag : {DCM_WindowCenter, DCM_WindowWidth, DCM_RescaleIntercept, DCM_RescaleSlope,
                               DCM_RescaleType, DCM_ModalityLUTSequence, DCM_VOILUTSequence})
    ds.findAndDeleteElement(tag);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_Rows, Uint16(image.height));
  ds.putAndInsertUint16(DCM_Columns, Uint16(image.width));
  ds.putAndInsertUint16(DCM_BitsAllocated, 8);
  ds.putAndInsertUint16(DCM_BitsStored, 8);
  ds.putAndInsertUint16(DCM_HighBit, 7);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds.findAndDeleteElement(DCM_NumberOfFrames);
  ds.putAndInsertUint8Array(DCM_PixelData, px.data(), (unsigned long)px.size());
  DJ_RPLossy params(quality);
  if (ds.chooseRepresentation(EXS_JPEGProcess1, &params).bad() || !ds.canWriteXfer(EXS_JPEGProcess1))
    throw DicomError(output + ": DCMTK cannot encode the image as JPEG baseline");
  if (file.saveFile(output.c_str(), EXS_JPEGProcess1).bad()) throw DicomError(output + ": cannot write DICOM");
}

}  // namespace fedmrg::engine
