#include "engine/synth/dicom_writer.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcostrmf.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmdata/dcrlerp.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "engine/synth/synth_random.h"

namespace fedmrg::engine {
namespace {

void registerEncoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Lossless only: no new SOP Instance UID, no conversion to Secondary Capture.
    DJEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
}

void put(DcmDataset& ds, const DcmTagKey& tag, const std::string& value) {
  const OFCondition c = ds.putAndInsertString(tag, value.c_str());
  if (c.bad()) throw std::runtime_error(std::string("cannot set DICOM attribute: ") + c.text());
}

std::string twoDigits(int v) {
  v = ((v % 100) + 100) % 100;
  return std::string(1, char('0' + v / 10)) + char('0' + v % 10);
}

}  // namespace

std::string synthUid(uint64_t seed, uint64_t salt) {
  // 2.25 UIDs hold a 128-bit integer in decimal; use 124 bits so it never exceeds 64 characters.
  uint32_t limbs[4];
  const uint64_t a = mixSeed(seed, salt, 0x0111D), b = mixSeed(seed, salt, 0x0222D);
  limbs[0] = uint32_t(a >> 36);  // most significant, 28 bits
  limbs[1] = uint32_t(a);
  limbs[2] = uint32_t(b >> 32);
  limbs[3] = uint32_t(b);
  if (limbs[0] == 0) limbs[0] = 1;
  std::string digits;
  while (limbs[0] || limbs[1] || limbs[2] || limbs[3]) {
    uint64_t rem = 0;
    for (uint32_t& l : limbs) {
      const uint64_t cur = (rem << 32) | l;
      l = uint32_t(cur / 10);
      rem = cur % 10;
    }
    digits.push_back(char('0' + rem));
  }
  std::reverse(digits.begin(), digits.end());
  return "2.25." + digits;
}

std::string synthDate(int days) {
  int y = 2023, m = 1, d = 1;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  while (days > 0) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const int len = mdays[m - 1] + (m == 2 && leap ? 1 : 0);
    const int step = std::min(days, len - d + 1);
    d += step;
    days -= step;
    if (d > len) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  return std::to_string(y) + twoDigits(m) + twoDigits(d);
}

SynthDicomInfo synthDicomInfo(uint64_t studySeed, const SiteProfile& site, bool female, int ageYears, bool apView,
                              int serial) {
  SynthRng rng(mixSeed(studySeed, 0xD1C0));
  SynthDicomInfo info;
  info.studyUid = synthUid(studySeed, 1);
  info.seriesUid = synthUid(studySeed, 2);
  info.sopUid = synthUid(studySeed, 3);
  char id[32];
  std::snprintf(id, sizeof id, "%s-%06d", site.id.c_str(), serial);
  info.patientId = id;
  info.patientName = "SYNTHETIC^" + std::string(site.id == "" ? "X" : site.id.substr(site.id.size() - 1)) + std::to_string(serial);
  std::transform(info.patientName.begin(), info.patientName.end(), info.patientName.begin(), ::toupper);
  info.patientSex = female ? "F" : "M";
  char age[16];
  std::snprintf(age, sizeof age, "%03dY", ageYears);
  info.patientAge = age;
  const int day = rng.below(700);
  info.studyDate = synthDate(day);
  info.patientBirthDate = std::to_string(2023 - ageYears) + "0701";
  info.studyTime = twoDigits(7 + rng.below(12)) + twoDigits(rng.below(60)) + twoDigits(rng.below(60));
  std::snprintf(id, sizeof id, "A%08u", unsigned(rng.next() % 100000000u));
  info.accessionNumber = id;
  info.institution = site.institution;
  info.manufacturer = site.acquisition.manufacturer;
  info.model = site.acquisition.model;
  info.modality = site.acquisition.modality;
  info.viewPosition = apView ? "AP" : "PA";
  return info;
}

void writeSynthDicom(const std::string& path, const SynthImage& image, const SynthDicomInfo& info, TransferSyntax ts) {
  registerEncoders();
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  const bool dx = info.modality == "DX";
  const std::string sopClass = dx ? UID_DigitalXRayImageStorageForPresentation : UID_ComputedRadiographyImageStorage;
  put(ds, DCM_SpecificCharacterSet, "ISO_IR 100");
  put(ds, DCM_ImageType, "ORIGINAL\\PRIMARY");
  put(ds, DCM_SOPClassUID, sopClass);
  put(ds, DCM_SOPInstanceUID, info.sopUid);
  put(ds, DCM_StudyDate, info.studyDate);
  put(ds, DCM_SeriesDate, info.studyDate);
  put(ds, DCM_AcquisitionDate, info.studyDate);
  put(ds, DCM_ContentDate, info.studyDate);
  put(ds, DCM_StudyTime, info.studyTime);
  put(ds, DCM_SeriesTime, info.studyTime);
  put(ds, DCM_AcquisitionTime, info.studyTime);
  put(ds, DCM_ContentTime, info.studyTime);
  put(ds, DCM_AccessionNumber, info.accessionNumber);
  put(ds, DCM_Modality, info.modality);
  if (dx) put(ds, DCM_PresentationIntentType, "FOR PRESENTATION");
  put(ds, DCM_Manufacturer, info.manufacturer);
  put(ds, DCM_InstitutionName, info.institution);
  put(ds, DCM_ReferringPhysicianName, "");
  put(ds, DCM_StudyDescription, "XR CHEST " + info.viewPosition);
  put(ds, DCM_SeriesDescription, "CHEST " + info.viewPosition);
  put(ds, DCM_ManufacturerModelName, info.model);
  put(ds, DCM_PatientName, info.patientName);
  put(ds, DCM_PatientID, info.patientId);
  put(ds, DCM_PatientBirthDate, info.patientBirthDate);
  put(ds, DCM_PatientSex, info.patientSex);
  put(ds, DCM_PatientAge, info.patientAge);
  put(ds, DCM_PatientIdentityRemoved, "YES");
  put(ds, DCM_DeidentificationMethod, "SYNTHETIC DATA: NO REAL PATIENT");
  put(ds, DCM_BodyPartExamined, "CHEST");
  put(ds, DCM_ViewPosition, info.viewPosition);
  put(ds, DCM_StudyInstanceUID, info.studyUid);
  put(ds, DCM_SeriesInstanceUID, info.seriesUid);
  put(ds, DCM_StudyID, info.accessionNumber.substr(1));
  put(ds, DCM_SeriesNumber, "1");
  put(ds, DCM_InstanceNumber, "1");
  put(ds, DCM_PatientOrientation, "L\\F");
  put(ds, DCM_BurnedInAnnotation, "NO");
  put(ds, DCM_SamplesPerPixel, "1");
  put(ds, DCM_PhotometricInterpretation, image.monochrome1 ? "MONOCHROME1" : "MONOCHROME2");
  put(ds, DCM_Rows, std::to_string(image.height));
  put(ds, DCM_Columns, std::to_string(image.width));
  char spacing[64];
  std::snprintf(spacing, sizeof spacing, "%.4f\\%.4f", image.pixelSpacingMm, image.pixelSpacingMm);
  put(ds, DCM_PixelSpacing, spacing);
  put(ds, DCM_ImagerPixelSpacing, spacing);
  put(ds, DCM_BitsAllocated, "16");
  put(ds, DCM_BitsStored, std::to_string(image.bitsStored));
  put(ds, DCM_HighBit, std::to_string(image.bitsStored - 1));
  put(ds, DCM_PixelRepresentation, "0");
  put(ds, DCM_WindowCenter, std::to_string(int(image.windowCenter)));
  put(ds, DCM_WindowWidth, std::to_string(int(image.windowWidth)));
  put(ds, DCM_RescaleIntercept, "0");
  put(ds, DCM_RescaleSlope, "1");
  put(ds, DCM_RescaleType, "US");
  put(ds, DCM_LossyImageCompression, "00");
  OFCondition c = ds.putAndInsertUint16Array(DCM_PixelData, image.pixels.data(), unsigned(image.pixels.size()));
  if (c.bad()) throw std::runtime_error(path + ": cannot store pixel data: " + c.text());

  E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  if (ts == TransferSyntax::JpegLossless) {
    xfer = EXS_JPEGProcess14SV1;
    DJ_RPLossless params(1, 0);
    c = ds.chooseRepresentation(xfer, &params);
  } else if (ts == TransferSyntax::Rle) {
    xfer = EXS_RLELossless;
    DcmRLERepresentationParameter params;
    c = ds.chooseRepresentation(xfer, &params);
  }
  if (c.bad() || (xfer != EXS_LittleEndianExplicit && !ds.canWriteXfer(xfer)))
    throw std::runtime_error(path + ": cannot encode " + transferSyntaxName(ts) + ": " + c.text());
  // Our own implementation identity, so the bytes do not change with the DCMTK version.
  DcmMetaInfo* meta = file.getMetaInfo();
  if (!meta || file.validateMetaInfo(xfer, EWM_createNewMeta).bad() || meta->putAndInsertString(DCM_ImplementationClassUID, synthUid(0x46454D5247ull, 0x5359).c_str()).bad() ||
      meta->putAndInsertString(DCM_ImplementationVersionName, "FEDMRG_SYNTH_1").bad())
    throw std::runtime_error(path + ": cannot set the file meta information");
  if (meta->computeGroupLengthAndPadding(EGL_withGL, EPD_noChange, EXS_LittleEndianExplicit, EET_ExplicitLength).bad())
    throw std::runtime_error(path + ": cannot compute the file meta information length");
  // The meta header and the data set are written separately: DcmFileFormat's writers would either
  // replace the implementation identity or log a warning for every file.
  {
    DcmOutputFileStream out(path.c_str());
    if (out.status().bad()) throw std::runtime_error(path + ": cannot open for writing: " + out.status().text());
    meta->transferInit();
    c = meta->write(out, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr);
    meta->transferEnd();
    if (c.good()) {
      ds.transferInit();
      c = ds.write(out, xfer, EET_UndefinedLength, nullptr, EGL_recalcGL, EPD_noChange);
      ds.transferEnd();
    }
    if (c.good()) c = out.status();
  }
  if (c.bad()) throw std::runtime_error(path + ": cannot write DICOM file: " + c.text());
}

}  // namespace fedmrg::engine
