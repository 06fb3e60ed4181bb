#include "engine/imaging/dicom_image.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmimgle/dipixel.h>
// Registers DCMTK's colour image module, so that every program linking the engine (the CLI and the
// workstation alike) decodes colour and palette images the same way.
#include <dcmtk/dcmimage/diregist.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "engine/imaging/codec_warnings.h"
#include "engine/imaging/dicom_decode.h"
#include "engine/imaging/jpeg2000_decoder.h"
#include "engine/imaging/jpeg_baseline_decoder.h"
#include "engine/imaging/pixel_data_check.h"

namespace fedmrg::engine {
namespace {

std::string getString(DcmItem& item, const DcmTagKey& tag) {
  OFString v;
  if (item.findAndGetOFStringArray(tag, v).good()) return std::string(v.c_str());
  return {};
}

double getDouble(DcmItem& item, const DcmTagKey& tag, unsigned long pos = 0) {
  Float64 v = 0;
  if (item.findAndGetFloat64(tag, v, pos).good()) return v;
  return 0;
}

DicomMetadata extractMetadata(DcmFileFormat& file) {
  DcmDataset& ds = *file.getDataset();
  DicomMetadata m;
  m.sopInstanceUid = getString(ds, DCM_SOPInstanceUID);
  m.sopClassUid = getString(ds, DCM_SOPClassUID);
  m.studyInstanceUid = getString(ds, DCM_StudyInstanceUID);
  m.seriesInstanceUid = getString(ds, DCM_SeriesInstanceUID);
  m.patientName = getString(ds, DCM_PatientName);
  m.patientId = getString(ds, DCM_PatientID);
  m.patientSex = getString(ds, DCM_PatientSex);
  m.patientAge = getString(ds, DCM_PatientAge);
  m.patientBirthDate = getString(ds, DCM_PatientBirthDate);
  m.studyDate = getString(ds, DCM_StudyDate);
  m.studyTime = getString(ds, DCM_StudyTime);
  m.studyDescription = getString(ds, DCM_StudyDescription);
  m.accessionNumber = getString(ds, DCM_AccessionNumber);
  m.seriesDescription = getString(ds, DCM_SeriesDescription);
  m.modality = getString(ds, DCM_Modality);
  m.bodyPart = getString(ds, DCM_BodyPartExamined);
  m.viewPosition = getString(ds, DCM_ViewPosition);
  m.institutionName = getString(ds, DCM_InstitutionName);
  m.manufacturer = getString(ds, DCM_Manufacturer);
  m.photometricInterpretation = getString(ds, DCM_PhotometricInterpretation);
  m.imageType = getString(ds, DCM_ImageType);
  Uint16 u = 0;
  if (ds.findAndGetUint16(DCM_Rows, u).good()) m.rows = u;
  if (ds.findAndGetUint16(DCM_Columns, u).good()) m.columns = u;
  if (ds.findAndGetUint16(DCM_BitsStored, u).good()) m.bitsStored = u;
  Sint32 frames = 1;
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames > 0) m.frames = frames;
  // Pixel Spacing, else Imager Pixel Spacing (what projection radiographs usually carry).
  if (ds.tagExistsWithValue(DCM_ImagerPixelSpacing)) {
    m.imagerPixelSpacingRow = getDouble(ds, DCM_ImagerPixelSpacing, 0);
    m.imagerPixelSpacingColumn = getDouble(ds, DCM_ImagerPixelSpacing, 1);
  }
  if (ds.tagExistsWithValue(DCM_PixelSpacing)) {
    m.pixelSpacingRow = getDouble(ds, DCM_PixelSpacing, 0);
    m.pixelSpacingColumn = getDouble(ds, DCM_PixelSpacing, 1);
  } else if (m.imagerPixelSpacingRow > 0) {
    m.pixelSpacingRow = m.imagerPixelSpacingRow;
    m.pixelSpacingColumn = m.imagerPixelSpacingColumn;
    m.pixelSpacingFromImager = true;
  }
  DcmMetaInfo* metaInfo = file.getMetaInfo();
  m.hasMetaHeader = metaInfo && metaInfo->card() > 0 && metaInfo->tagExists(DCM_TransferSyntaxUID);
  const E_TransferSyntax xfer = ds.getOriginalXfer();
  m.transferSyntaxUid = DcmXfer(xfer).getXferID();
  return m;
}

}  // namespace

std::string loadFailureReason(const OFCondition& st) {
  // In words a person can act on: DCMTK's own texts ("I/O suspension or premature end of stream") say
  // nothing to a radiologist.
  if (st == EC_InvalidStream || st == EC_FileMetaInfoHeaderMissing) return "not a DICOM file";
  if (st == EC_StreamNotifyClient || st == EC_SequEnd || st == EC_ItemEnd || st == EC_PrematureSequDelimitationItem)
    return "the file ends before its last element (truncated or cut off during transfer)";
  if (st == EC_CorruptedData || st == EC_InvalidTag || st == EC_TooManyBytesRequested)
    return "the file's DICOM structure is damaged (an element's length or tag is wrong)";
  if (st.code() == 0 || std::string(st.text()).find("No such file") != std::string::npos)
    return "the file cannot be opened";
  return "the file's DICOM structure cannot be read";
}

namespace {

void loadFile(const std::string& path, DcmFileFormat& file, E_FileReadMode mode) {
  registerDicomCodecs();
  // autodetect also reads old files that lack the Part 10 meta header
  const OFCondition st = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, mode);
  if (st.bad()) throw DicomError(path + ": cannot read DICOM: " + loadFailureReason(st));
}

// Robust window when the file has none: the 1st to 99th percentile of a sample of the values.
Window percentileWindow(const std::vector<float>& v) {
  if (v.empty()) return {0, 1};
  const size_t step = std::max<size_t>(1, v.size() / 65536);
  std::vector<float> s;
  s.reserve(v.size() / step + 1);
  for (size_t i = 0; i < v.size(); i += step) s.push_back(v[i]);
  auto at = [&](double q) {
    size_t k = std::min(s.size() - 1, size_t(q * double(s.size() - 1)));
    std::nth_element(s.begin(), s.begin() + long(k), s.end());
    return double(s[k]);
  };
  const double lo = at(0.01), hi = at(0.99);
  const double width = std::max(1.0, hi - lo);
  return {lo + width / 2, width};
}

template <typename T>
void copyValues(const void* data, size_t n, std::vector<float>& out) {
  const T* p = static_cast<const T*>(data);
  out.resize(n);
  for (size_t i = 0; i < n; ++i) out[i] = float(p[i]);
}

}  // namespace

void registerDicomCodecs() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

DicomMetadata readDicomMetadata(const std::string& path) {
  DcmFileFormat file;
  loadFile(path, file, ERM_autoDetect);
  // Reading stops short of decoding pixel data: element values are loaded lazily.
  return extractMetadata(file);
}

DicomImage readDicomImage(const std::string& path, const DecodeOptions& options) {
  DcmFileFormat file;
  loadFile(path, file, ERM_autoDetect);
  return decodeLoadedDicom(file, path, options);
}

DicomMetadata metadataOfLoadedDicom(DcmFileFormat& file) { return extractMetadata(file); }

DicomImage decodeLoadedDicom(DcmFileFormat& file, const std::string& path, const DecodeOptions& options) {
  DicomImage out;
  out.meta = extractMetadata(file);
  DcmDataset* ds = file.getDataset();
  // Header, limits and pixel data length before any decoder allocates (throws with the reason).
  const PixelLayout layout = checkPixelData(*ds, path, options.limits);

  E_TransferSyntax xfer = ds->getOriginalXfer();
  if (layout.encoding == PixelEncoding::Jpeg2000) {
    out.reduction = decodeJpeg2000InPlace(*ds, path, layout, options.minSide, options.threads);
    xfer = EXS_LittleEndianExplicit;
  } else if (layout.encoding == PixelEncoding::Jpeg) {
    // 8-bit JPEG for a draft: scaled while decoding (DCT scaling); otherwise DCMTK below decodes it.
    if (const auto reduction =
            decodeJpegScaledInPlace(*ds, path, out.meta.transferSyntaxUid, layout, options.minSide)) {
      out.reduction = *reduction;
      xfer = EXS_LittleEndianExplicit;
    }
  }

  // DCMTK's decoders log damage as warnings and fill the rest with zeros: a warning is a failure.
  CodecWarningScope warnings;
  ::DicomImage img(ds, xfer, CIF_MayDetachPixelData, 0, 1);
  if (img.getStatus() != EIS_Normal) {
    throw DicomError(path + (layout.encoding == PixelEncoding::Native
                                 ? ": the pixel data cannot be decoded as its header describes it"
                                 : ": the compressed pixel data is damaged and cannot be decoded"));
  }
  out.width = int(img.getWidth());
  out.height = int(img.getHeight());
  const size_t n = size_t(out.width) * size_t(out.height);

  if (img.isMonochrome()) {
    const DiPixel* px = img.getInterData();
    if (!px || px->getCount() < n) throw DicomError(path + ": the decoded image is smaller than its header announces");
    switch (px->getRepresentation()) {
      case EPR_Uint8: copyValues<Uint8>(px->getData(), n, out.values); break;
      case EPR_Sint8: copyValues<Sint8>(px->getData(), n, out.values); break;
      case EPR_Uint16: copyValues<Uint16>(px->getData(), n, out.values); break;
      case EPR_Sint16: copyValues<Sint16>(px->getData(), n, out.values); break;
      case EPR_Uint32: copyValues<Uint32>(px->getData(), n, out.values); break;
      case EPR_Sint32: copyValues<Sint32>(px->getData(), n, out.values); break;
    }
    out.invert = img.getPhotometricInterpretation() == EPI_Monochrome1;
  } else {
    // Colour radiographs are rare; show their luminance.
    const auto* rgb = static_cast<const Uint8*>(img.getOutputData(8, 0, 0));
    if (!rgb) throw DicomError(path + ": the colour image cannot be decoded");
    out.values.resize(n);
    for (size_t i = 0; i < n; ++i)
      out.values[i] = 0.299f * rgb[3 * i] + 0.587f * rgb[3 * i + 1] + 0.114f * rgb[3 * i + 2];
  }
  if (warnings.warnings() > 0)
    throw DicomError(path + ": the compressed pixel data is damaged (the decoder could read only part of it)");
  // A zeroed or garbled stream often decodes to one value everywhere: no radiograph looks like that.
  if (std::all_of(out.values.begin(), out.values.end(), [&](float v) { return v == out.values.front(); }))
    throw DicomError(path + ": every pixel of the image has the same value (" +
                     std::to_string(long(out.values.front())) + "): the pixel data is blank or damaged");

  if (ds->tagExistsWithValue(DCM_WindowCenter) && ds->tagExistsWithValue(DCM_WindowWidth)) {
    const double c = getDouble(*ds, DCM_WindowCenter), w = getDouble(*ds, DCM_WindowWidth);
    if (w >= 1) {
      out.defaultWindow = {c, w};
      out.windowFromFile = true;
    }
  }
  if (!out.windowFromFile) out.defaultWindow = percentileWindow(out.values);
  return out;
}

std::vector<uint8_t> renderWindowed(const DicomImage& image, const Window& window) {
  // DICOM PS3.3 C.11.2.1.2 linear VOI function, mapped to 0..255.
  const double w = std::max(1.0, window.width);
  const double lo = window.center - 0.5 - (w - 1) / 2, hi = window.center - 0.5 + (w - 1) / 2;
  std::vector<uint8_t> out(image.values.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const double x = image.values[i];
    double y;
    if (x <= lo) y = 0;
    else if (x > hi) y = 255;
    else y = ((x - (window.center - 0.5)) / (w - 1) + 0.5) * 255.0;
    uint8_t v = uint8_t(std::lround(std::clamp(y, 0.0, 255.0)));
    out[i] = image.invert ? uint8_t(255 - v) : v;
  }
  return out;
}

std::vector<float> modelInput(const DicomImage& image, int size) {
  if (size <= 0) throw DicomError("model input size must be positive");
  if (image.width <= 0 || image.height <= 0) throw DicomError("empty image");
  const std::vector<uint8_t> display = renderWindowed(image, image.defaultWindow);
  std::vector<float> out(size_t(size) * size_t(size));
  const double sx = double(image.width) / size, sy = double(image.height) / size;
  for (int oy = 0; oy < size; ++oy) {
    for (int ox = 0; ox < size; ++ox) {
      double value;
      if (sx >= 1 && sy >= 1) {
        // Shrinking: average the source pixels the output pixel covers.
        const int x0 = int(ox * sx), x1 = std::max(x0 + 1, int((ox + 1) * sx));
        const int y0 = int(oy * sy), y1 = std::max(y0 + 1, int((oy + 1) * sy));
        double sum = 0;
        for (int y = y0; y < y1 && y < image.height; ++y)
          for (int x = x0; x < x1 && x < image.width; ++x) sum += display[size_t(y) * image.width + x];
        value = sum / double((std::min(y1, image.height) - y0) * (std::min(x1, image.width) - x0));
      } else {
        // Enlarging: bilinear on pixel centres.
        const double fx = std::clamp((ox + 0.5) * sx - 0.5, 0.0, double(image.width - 1));
        const double fy = std::clamp((oy + 0.5) * sy - 0.5, 0.0, double(image.height - 1));
        const int x0 = int(fx), y0 = int(fy);
        const int x1 = std::min(x0 + 1, image.width - 1), y1 = std::min(y0 + 1, image.height - 1);
        const double ax = fx - x0, ay = fy - y0;
        auto p = [&](int x, int y) { return double(display[size_t(y) * image.width + x]); };
        value = (1 - ay) * ((1 - ax) * p(x0, y0) + ax * p(x1, y0)) + ay * ((1 - ax) * p(x0, y1) + ax * p(x1, y1));
      }
      out[size_t(oy) * size + ox] = float(value / 255.0);
    }
  }
  return out;
}

}  // namespace fedmrg::engine
