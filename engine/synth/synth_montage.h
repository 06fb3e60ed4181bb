#pragma once
// A montage of example synthetic studies per site with their labels, so a person can see the
// heterogeneity between sites at a glance.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/synth/synth_site.h"

namespace fedmrg::engine {

struct MontageOptions {
  int perSite = 4;      // examples per site (one row per site)
  int tile = 256;       // tile height in pixels
  int renderSize = 512; // rows of each rendered study before shrinking
  uint64_t seed = 1;
};

// Renders the montage as 8-bit gray pixels; sets width and height.
std::vector<uint8_t> renderMontage(const std::vector<SiteProfile>& sites, const MontageOptions& options, int& width,
                                   int& height);

// Renders and writes a PNG.
void writeMontagePng(const std::string& path, const std::vector<SiteProfile>& sites, const MontageOptions& options);

// The seed of study `index` of site number `siteIndex` for a data set seed: shared by the generator
// and the montage so that the montage shows the generated studies.
uint64_t studySeed(uint64_t datasetSeed, int siteIndex, int index);

}  // namespace fedmrg::engine
