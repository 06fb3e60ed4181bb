#pragma once
// Renders a synthetic frontal chest radiograph from an anatomical model, a study's findings and a
// site's acquisition profile: the pixels a detector of that site would store.
#include <cstdint>
#include <vector>

#include "engine/synth/synth_site.h"
#include "engine/synth/synth_study.h"

namespace fedmrg::engine {

struct SynthImage {
  int width = 0, height = 0;
  int bitsStored = 12;
  bool monochrome1 = false;
  double pixelSpacingMm = 0.4;
  double windowCenter = 0, windowWidth = 0;  // on stored values
  std::vector<uint16_t> pixels;              // stored values, row-major, top row first
};

// Renders `study` as acquired by `acq` with `rows` rows (columns follow the profile's aspect).
SynthImage renderChest(const StudyTruth& study, const AcquisitionProfile& acq, int rows);

// 8-bit display pixels (window applied, MONOCHROME1 inverted: 0 is black as on a film).
std::vector<uint8_t> displayPixels(const SynthImage& image);

}  // namespace fedmrg::engine
