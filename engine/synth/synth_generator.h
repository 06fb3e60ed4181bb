#pragma once
// Generates FL-MRG-Synth: one folder per site with DICOM files and reports.jsonl, plus manifest.json.
// The same options give byte-identical output, whatever the thread count.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/synth/synth_site.h"

namespace fedmrg::engine {

struct SynthOptions {
  std::string outDir;
  int studiesPerSite = 50;
  int size = 1024;             // image rows
  uint64_t seed = 1;
  int threads = 0;             // 0: hardware concurrency
  std::vector<SiteProfile> sites;  // empty: builtinSites()
  double trainFraction = 0.7, valFraction = 0.1;  // the rest is test; a held-out site is all test
};

struct SynthSummary {
  int studies = 0;
  double seconds = 0;
  double studiesPerSecond = 0;
  uint64_t bytes = 0;          // DICOM bytes written
};

// The split ("train", "val" or "test") of each of a site's `count` studies, from a seeded shuffle;
// a held-out site is all "test".
std::vector<std::string> synthSplits(uint64_t seed, int siteIndex, int count, double trainFraction,
                                     double valFraction, bool heldOut);

// Generates the data set. `progress(done, total)` is called from worker threads (may be empty).
// Throws std::runtime_error naming the path on I/O errors.
SynthSummary generateSynthDataset(const SynthOptions& options,
                                  const std::function<void(int, int)>& progress = {});

}  // namespace fedmrg::engine
