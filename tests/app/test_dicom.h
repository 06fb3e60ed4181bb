#pragma once
// Writes small, real DICOM files with DCMTK for the app and ui tests.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::testing {

struct TestDicom {
  std::string studyUid = "1.2.826.0.1.3680043.10.99.1";
  std::string seriesUid;  // default: studyUid + ".1"
  std::string sopUid;     // default: a fresh UID
  std::string patientName = "Test^Patient";
  std::string patientId = "P0001";
  std::string studyDate = "20260105";
  std::string description = "CHEST PA";
  std::string modality = "CR";
  std::string bodyPart = "CHEST";
  std::string photometric = "MONOCHROME2";
  int width = 256, height = 256;
  // Window in the file; width 0 writes none.
  double windowCenter = 2048, windowWidth = 4096;
  // Written only when set.
  std::string patientSex, patientBirthDate, accessionNumber;
  std::string studyTime;  // written only when set
  // Pixel Spacing ("row\\column" in mm); empty writes none. Imager Pixel Spacing: written when set.
  std::string pixelSpacing = "0.143\\0.143";
  std::string imagerPixelSpacing;
  // Stores 4095 - value: with photometric "MONOCHROME1" (and windowCenter mirrored likewise) the
  // same film as the MONOCHROME2 file without it.
  bool mirrorValues = false;
};

// Stored value at (x, y): a diagonal ramp over 0..4095 with a bright disc in the upper left quarter.
inline uint16_t testPixel(const TestDicom& d, int x, int y) {
  const int cx = d.width / 4, cy = d.height / 4, r = std::max(2, d.width / 8);
  if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) return 4000;
  return uint16_t((4095L * (x + y)) / std::max(1, d.width + d.height - 2));
}

// Writes the file; returns its SOP Instance UID. Throws std::runtime_error on failure.
inline std::string writeTestDicom(const std::string& path, TestDicom d) {
  char uid[100];
  if (d.sopUid.empty()) d.sopUid = dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
  if (d.seriesUid.empty()) d.seriesUid = d.studyUid + ".1";
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_ComputedRadiographyImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, d.sopUid.c_str());
  ds->putAndInsertString(DCM_StudyInstanceUID, d.studyUid.c_str());
  ds->putAndInsertString(DCM_SeriesInstanceUID, d.seriesUid.c_str());
  ds->putAndInsertString(DCM_PatientName, d.patientName.c_str());
  ds->putAndInsertString(DCM_PatientID, d.patientId.c_str());
  ds->putAndInsertString(DCM_StudyDate, d.studyDate.c_str());
  if (!d.patientSex.empty()) ds->putAndInsertString(DCM_PatientSex, d.patientSex.c_str());
  if (!d.patientBirthDate.empty()) ds->putAndInsertString(DCM_PatientBirthDate, d.patientBirthDate.c_str());
  if (!d.accessionNumber.empty()) ds->putAndInsertString(DCM_AccessionNumber, d.accessionNumber.c_str());
  if (!d.studyTime.empty()) ds->putAndInsertString(DCM_StudyTime, d.studyTime.c_str());
  ds->putAndInsertString(DCM_StudyDescription, d.description.c_str());
  ds->putAndInsertString(DCM_Modality, d.modality.c_str());
  ds->putAndInsertString(DCM_BodyPartExamined, d.bodyPart.c_str());
  ds->putAndInsertString(DCM_ViewPosition, "PA");
  ds->putAndInsertString(DCM_PhotometricInterpretation, d.photometric.c_str());
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertUint16(DCM_Rows, Uint16(d.height));
  ds->putAndInsertUint16(DCM_Columns, Uint16(d.width));
  ds->putAndInsertUint16(DCM_BitsAllocated, 16);
  ds->putAndInsertUint16(DCM_BitsStored, 12);
  ds->putAndInsertUint16(DCM_HighBit, 11);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  if (!d.pixelSpacing.empty()) ds->putAndInsertString(DCM_PixelSpacing, d.pixelSpacing.c_str());
  if (!d.imagerPixelSpacing.empty()) ds->putAndInsertString(DCM_ImagerPixelSpacing, d.imagerPixelSpacing.c_str());
  if (d.windowWidth > 0) {
    ds->putAndInsertString(DCM_WindowCenter, std::to_string(d.windowCenter).c_str());
    ds->putAndInsertString(DCM_WindowWidth, std::to_string(d.windowWidth).c_str());
  }
  std::vector<Uint16> px(size_t(d.width) * size_t(d.height));
  for (int y = 0; y < d.height; ++y)
    for (int x = 0; x < d.width; ++x) px[size_t(y) * size_t(d.width) + size_t(x)] =
          d.mirrorValues ? uint16_t(4095 - testPixel(d, x, y)) : testPixel(d, x, y);
  ds->putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
  const OFCondition st = file.saveFile(path.c_str(), EXS_LittleEndianExplicit);
  if (st.bad()) throw std::runtime_error(path + ": " + st.text());
  return d.sopUid;
}

// Writes a file whose pixel data is encapsulated in a transfer syntax no decoder here handles
// (MPEG-2), with a bogus fragment: the reader must refuse it with a reason.
inline void writeUnsupportedTransferSyntax(const std::string& path) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.777.1");
  ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.99.777");
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.99.777.2");
  ds->putAndInsertString(DCM_Modality, "OT");
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertUint16(DCM_Rows, 16);
  ds->putAndInsertUint16(DCM_Columns, 16);
  ds->putAndInsertUint16(DCM_BitsAllocated, 8);
  ds->putAndInsertUint16(DCM_BitsStored, 8);
  ds->putAndInsertUint16(DCM_HighBit, 7);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  auto* pixels = new DcmPixelData(DCM_PixelData);
  auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty basic offset table
  auto* fragment = new DcmPixelItem(DCM_PixelItemTag);
  const Uint8 junk[16] = {0, 0, 1, 0xB3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  fragment->putUint8Array(junk, 16);
  sequence->insert(fragment);
  pixels->putOriginalRepresentation(EXS_MPEG2MainProfileAtMainLevel, nullptr, sequence);
  ds->insert(pixels, true);
  const OFCondition st = file.saveFile(path.c_str(), EXS_MPEG2MainProfileAtMainLevel);
  if (st.bad()) throw std::runtime_error(path + ": " + st.text());
}

}  // namespace fedmrg::testing
