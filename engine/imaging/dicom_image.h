#pragma once
// Reads one DICOM image (any transfer syntax DCMTK decodes, plus JPEG 2000 through OpenJPEG)
// into modality values and the metadata a worklist and the model need. No DCMTK types leak out.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace fedmrg::engine {

// Thrown for files that cannot be read; what() names the file and the reason.
class DicomError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DicomMetadata {
  std::string sopInstanceUid, sopClassUid, studyInstanceUid, seriesInstanceUid;
  std::string patientName, patientId, patientSex, patientAge, patientBirthDate;
  std::string studyDate, studyTime, studyDescription, accessionNumber, seriesDescription;
  std::string modality, bodyPart, viewPosition, institutionName, manufacturer;
  std::string transferSyntaxUid, photometricInterpretation;
  std::string imageType;  // (0008,0008), values joined by '\\' (e.g. "ORIGINAL\\PRIMARY")
  int rows = 0, columns = 0, bitsStored = 0, frames = 1;
  double pixelSpacingRow = 0, pixelSpacingColumn = 0;  // mm; 0 when absent
  // Imager Pixel Spacing (0018,1164) as the file gives it (mm at the detector; 0 when absent), and
  // whether pixelSpacing* above came from it because the file has no Pixel Spacing (0028,0030).
  double imagerPixelSpacingRow = 0, imagerPixelSpacingColumn = 0;
  bool pixelSpacingFromImager = false;
  bool hasMetaHeader = true;                           // false for old files without the Part 10 header
};

// A display window on modality values (DICOM VOI LUT linear function).
struct Window {
  double center = 0;
  double width = 0;
};

// Limits checked from the header before anything is decoded or allocated: a small file that announces
// a huge image is refused at once instead of costing gigabytes.
struct DecodeLimits {
  int maxSide = 16384;   // pixels, rows and columns each
  int maxFrames = 4096;  // Number of Frames
  // Rows x Columns x samples x bytes x frames as stored. Decoding holds several copies (the codec's 32-bit
  // samples, DCMTK's intermediate, the float values), so 128 MB stored is about 1 GB at the peak.
  uint64_t maxDecodedBytes = uint64_t(128) << 20;
};

struct DecodeOptions {
  DecodeLimits limits;
  // 0: full resolution (the viewer, the importer). Otherwise the smallest resolution whose sides are both
  // at least minSide pixels, where the codec can skip the rest (JPEG 2000 resolution levels, 8-bit JPEG's
  // DCT scaling by 1/2, 1/4 or 1/8); a draft needs no more than its model's input size.
  int minSide = 0;
  int threads = 0;  // decoder threads where the codec has them (JPEG 2000); 0: one per core
};

struct DicomImage {
  DicomMetadata meta;
  // The decoded size: meta.columns x meta.rows, or smaller by 2^reduction when DecodeOptions::minSide let
  // the codec decode a lower resolution level (JPEG 2000) or a smaller DCT scale (8-bit JPEG).
  int width = 0, height = 0;
  int reduction = 0;
  // Modality values (after Rescale Slope/Intercept or the Modality LUT), row-major, top row first.
  std::vector<float> values;
  // The window to show: the file's first VOI window, else a robust 1st-99th percentile window.
  Window defaultWindow;
  bool windowFromFile = false;
  // True for MONOCHROME1: low values are white, so display and model input invert it.
  bool invert = false;
};

// Registers DCMTK's JPEG, JPEG-LS and RLE decoders once per process. Thread-safe.
void registerDicomCodecs();

// Reads the file at `path`. Throws DicomError("<path>: <reason>") for unreadable files and for pixel data
// that does not match its header (too short, empty or damaged compressed data, a codec warning, a frame of
// one constant value, limits exceeded): the same checks for every caller.
DicomImage readDicomImage(const std::string& path, const DecodeOptions& options = {});

// The options every draft decodes with (CLI and workstation alike): no more resolution than the model's
// input of size x size needs.
inline DecodeOptions draftDecodeOptions(int modelInputSize) {
  DecodeOptions o;
  o.minSide = modelInputSize;
  return o;
}

// Reads only the metadata (fast: pixel data is not decoded). Throws DicomError.
DicomMetadata readDicomMetadata(const std::string& path);

// Applies the window (and MONOCHROME1 inversion) to 8-bit display pixels, row-major, top row first:
// 0 is black, 255 is white as a radiologist expects to see the film.
std::vector<uint8_t> renderWindowed(const DicomImage& image, const Window& window);

// Model input: windowed with the default window, inverted for MONOCHROME1, resampled (area average
// when shrinking, bilinear when enlarging) to size x size, values in [0, 1].
std::vector<float> modelInput(const DicomImage& image, int size);

}  // namespace fedmrg::engine
