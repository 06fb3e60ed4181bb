#pragma once
// A decoded study image as the viewer shows it: modality values, the default display window and
// the text of its overlays. The app's own type, so that ui never names the engine's decoder types.
#include <cstdint>
#include <string>
#include <vector>

namespace fedmrg::app {

// A display window on modality values (DICOM VOI LUT linear function).
struct DisplayWindow {
  double center = 0;
  double width = 0;
};

// Which DICOM attribute the image's mm-per-pixel comes from. Pixel Spacing (0028,0030) is the
// spacing in the patient; Imager Pixel Spacing (0018,1164), used when the former is absent, is at
// the detector (projection radiographs: slightly larger than the patient by the beam's divergence).
enum class SpacingSource { None, PixelSpacing, ImagerPixelSpacing };

// What the viewer's overlays and the viewer benchmark print about an image.
struct DisplayImageInfo {
  std::string patientName, patientId, patientSex, patientAge;
  std::string studyDescription, studyDate, modality, viewPosition;
  std::string transferSyntaxUid;
  int bitsStored = 0;
  double pixelSpacingRow = 0, pixelSpacingColumn = 0;  // mm; 0 when absent
  std::string sopInstanceUid;  // measurements are kept per image
  double imagerPixelSpacingRow = 0, imagerPixelSpacingColumn = 0;  // mm; 0 when absent
  // Where pixelSpacingRow/Column came from: Pixel Spacing, else Imager Pixel Spacing, else none.
  SpacingSource spacingSource = SpacingSource::None;
};

struct DisplayImage {
  int width = 0, height = 0;
  // Modality values, row-major, top row first.
  std::vector<float> values;
  // The file's first VOI window, else a robust percentile window.
  DisplayWindow defaultWindow;
  // True for MONOCHROME1: low values are white.
  bool invert = false;
  DisplayImageInfo info;
};

// 8-bit grey pixels, row-major, top row first, 0 black (a thumbnail before scaling).
struct GreyPixels {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

}  // namespace fedmrg::app
