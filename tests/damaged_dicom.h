// Real DICOM files written with DCMTK (and OpenJPEG through the engine), then damaged the ways real
// archives and fuzzers damage them: short pixel data, edited headers, zeroed, cut or garbled codec streams.
// Shared by the decoder's, the importer's, the CLI's and the fuzz tests.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::testing {

struct NativeSpec {
  int rows = 64, columns = 64, bitsAllocated = 16, bitsStored = 12, samplesPerPixel = 1, frames = 1;
  std::string photometric = "MONOCHROME2";
  long shortBy = 0;       // pixel data this many bytes shorter than the header needs
  bool constant = false;  // every pixel the same value
  std::string sopUid;     // default: a fresh UID
  std::string studyUid = "1.2.826.0.1.3680043.10.99.7";
};

// A radiograph-like ramp with a bright square, never one value.
inline uint32_t damagedTestPixel(int x, int y, int maxValue) {
  if (x < 8 && y < 8) return uint32_t(maxValue);
  return uint32_t((x * 37 + y * 11) % (maxValue + 1));
}

// Writes a native (explicit little endian) file as `s` describes it; the header says what `s` says even
// where the pixel data then disagrees.
inline void writeNativeDicom(const std::string& path, const NativeSpec& s) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  char uid[100];
  ds->putAndInsertString(DCM_SOPClassUID, UID_DigitalXRayImageStorageForPresentation);
  ds->putAndInsertString(DCM_SOPInstanceUID, s.sopUid.empty() ? dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT)
                                                              : s.sopUid.c_str());
  ds->putAndInsertString(DCM_StudyInstanceUID, s.studyUid.c_str());
  ds->putAndInsertString(DCM_SeriesInstanceUID, (s.studyUid + ".1").c_str());
  ds->putAndInsertString(DCM_PatientName, "Damaged^Test");
  ds->putAndInsertString(DCM_PatientID, "DMG001");
  ds->putAndInsertString(DCM_Modality, "DX");
  ds->putAndInsertString(DCM_BodyPartExamined, "CHEST");
  ds->putAndInsertString(DCM_PhotometricInterpretation, s.photometric.c_str());
  ds->putAndInsertUint16(DCM_SamplesPerPixel, Uint16(s.samplesPerPixel));
  if (s.samplesPerPixel > 1) ds->putAndInsertUint16(DCM_PlanarConfiguration, 0);
  ds->putAndInsertUint16(DCM_Rows, Uint16(s.rows));
  ds->putAndInsertUint16(DCM_Columns, Uint16(s.columns));
  ds->putAndInsertUint16(DCM_BitsAllocated, Uint16(s.bitsAllocated));
  ds->putAndInsertUint16(DCM_BitsStored, Uint16(s.bitsStored));
  ds->putAndInsertUint16(DCM_HighBit, Uint16(s.bitsStored - 1));
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  if (s.frames != 1) ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(s.frames).c_str());
  // The bytes the header announces, capped so that a header announcing a huge image stays a small file.
  const uint64_t announced = uint64_t(s.rows) * uint64_t(s.columns) * uint64_t(s.samplesPerPixel) *
                             uint64_t(s.bitsAllocated / 8) * uint64_t(s.frames);
  const uint64_t bytes =
      std::min<uint64_t>(announced > uint64_t(s.shortBy) ? announced - uint64_t(s.shortBy) : 0, uint64_t(1) << 22);
  const int maxValue = (1 << std::min(s.bitsStored, 16)) - 1;
  if (s.bitsAllocated == 8) {
    std::vector<Uint8> px(size_t(bytes + (bytes & 1)));
    for (size_t i = 0; i < bytes; ++i)
      px[i] = s.constant ? 100
                         : Uint8(damagedTestPixel(int(i / s.samplesPerPixel % s.columns),
                                                  int(i / s.samplesPerPixel / s.columns), 255));
    ds->putAndInsertUint8Array(DCM_PixelData, px.data(), (unsigned long)px.size());
  } else {
    std::vector<Uint16> px(size_t((bytes + 1) / 2));
    for (size_t i = 0; i < px.size(); ++i)
      px[i] = s.constant ? 1000 : Uint16(damagedTestPixel(int(i % s.columns), int(i / s.columns % s.rows), maxValue));
    ds->putAndInsertUint16Array(DCM_PixelData, px.data(), (unsigned long)px.size());
  }
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) throw std::runtime_error(path + ": cannot write");
}

// Re-encodes a native file: "jpeg-baseline" (8-bit), "jpeg-lossless", "rle". Returns the output path.
inline void compressDicom(const std::string& in, const std::string& out, const std::string& kind) {
  static std::once_flag once;
  std::call_once(once, [] {
    DJEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
  DcmFileFormat file;
  if (file.loadFile(in.c_str()).bad()) throw std::runtime_error(in + ": cannot read");
  DcmDataset* ds = file.getDataset();
  E_TransferSyntax xfer;
  OFCondition c;
  if (kind == "jpeg-baseline") {
    xfer = EXS_JPEGProcess1;
    DJ_RPLossy params(90);
    c = ds->chooseRepresentation(xfer, &params);
  } else if (kind == "jpeg-lossless") {
    xfer = EXS_JPEGProcess14SV1;
    DJ_RPLossless params(1, 0);
    c = ds->chooseRepresentation(xfer, &params);
  } else {
    xfer = EXS_RLELossless;
    DcmRLERepresentationParameter params;
    c = ds->chooseRepresentation(xfer, &params);
  }
  if (c.bad() || !ds->canWriteXfer(xfer) || file.saveFile(out.c_str(), xfer).bad())
    throw std::runtime_error(out + ": cannot encode " + kind);
}

// Rewrites the file with its first compressed fragment passed through `edit` (which may resize it).
inline void editFirstFragment(const std::string& path, const std::function<void(std::vector<uint8_t>&)>& edit) {
  DcmFileFormat file;
  // Everything into memory first: the file is rewritten in place, and DCMTK loads large values lazily.
  if (file.loadFile(path.c_str()).bad() || file.loadAllDataIntoMemory().bad())
    throw std::runtime_error(path + ": cannot read");
  DcmDataset* ds = file.getDataset();
  const E_TransferSyntax xfer = ds->getOriginalXfer();
  DcmElement* el = nullptr;
  DcmPixelSequence* seq = nullptr;
  DcmPixelItem* item = nullptr;
  Uint8* data = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, el).bad() ||
      static_cast<DcmPixelData*>(el)->getEncapsulatedRepresentation(xfer, nullptr, seq).bad() || !seq ||
      seq->getItem(item, 1).bad() || item->getUint8Array(data).bad())
    throw std::runtime_error(path + ": no compressed fragment");
  std::vector<uint8_t> bytes(data, data + item->getLength());
  edit(bytes);
  if (bytes.size() % 2) bytes.push_back(0);
  item->putUint8Array(bytes.data(), (unsigned long)bytes.size());
  if (file.saveFile(path.c_str(), xfer).bad()) throw std::runtime_error(path + ": cannot rewrite");
}

// Rewrites one header value (e.g. Rows) of the file, keeping its transfer syntax and pixel data.
inline void editHeader(const std::string& path, const DcmTagKey& tag, const std::string& value) {
  DcmFileFormat file;
  // Everything into memory first: the file is rewritten in place, and DCMTK loads large values lazily.
  if (file.loadFile(path.c_str()).bad() || file.loadAllDataIntoMemory().bad())
    throw std::runtime_error(path + ": cannot read");
  DcmDataset* ds = file.getDataset();
  const E_TransferSyntax xfer = ds->getOriginalXfer();
  OFCondition c;
  if (tag == DCM_Rows || tag == DCM_Columns || tag == DCM_BitsAllocated || tag == DCM_BitsStored ||
      tag == DCM_SamplesPerPixel)
    c = ds->putAndInsertUint16(tag, Uint16(std::stoi(value)));
  else c = ds->putAndInsertString(tag, value.c_str());
  if (c.bad() || file.saveFile(path.c_str(), xfer).bad()) throw std::runtime_error(path + ": cannot edit");
}

}  // namespace fedmrg::testing
