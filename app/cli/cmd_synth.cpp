// fedmrg-cli synth: generates the FL-MRG-Synth multi-site data set and/or its montage.
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "app/cli/cli.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/synth/synth_generator.h"
#include "engine/synth/synth_montage.h"
#endif

namespace fedmrg::cli {
namespace {

int runSynth(const Args& a) {
#ifndef FEDMRG_HAVE_DCMTK
  (void)a;
  throw std::runtime_error("synth: this build has no DICOM support (DCMTK); FL-MRG-Synth needs it");
#else
  const uint64_t seed = uint64_t(a.getInt("seed", 1));
  if (!a.has("out") && !a.has("montage")) throw UsageError("synth needs --out DIR and/or --montage PNG");
  if (auto m = a.get("montage")) {
    engine::MontageOptions mo;
    mo.seed = seed;
    engine::writeMontagePng(*m, engine::builtinSites(), mo);
    std::cout << "montage written to " << *m << "\n";
  }
  if (auto out = a.get("out")) {
    engine::SynthOptions o;
    o.outDir = *out;
    o.seed = seed;
    o.studiesPerSite = int(a.getInt("studies-per-site", 50));
    o.size = int(a.getInt("size", 1024));
    o.threads = int(a.getInt("threads", 0));
    if (o.studiesPerSite < 1) throw UsageError("--studies-per-site must be at least 1");
    if (o.size < 64 || o.size > 4096) throw UsageError("--size must be between 64 and 4096");
    int lastPercent = -1;
    const engine::SynthSummary s = engine::generateSynthDataset(o, [&](int done, int total) {
      const int percent = done * 100 / total;
      if (percent / 10 != lastPercent / 10) {
        lastPercent = percent;
        std::fprintf(stderr, "\r%d/%d studies", done, total);
      }
    });
    std::fprintf(stderr, "\n");
    std::printf("%d studies (%dx%d rows) in %.1f s: %.2f studies/s, %.1f MB of DICOM, written to %s\n", s.studies,
                o.size, o.size, s.seconds, s.studiesPerSecond, double(s.bytes) / 1e6, o.outDir.c_str());
  }
  return 0;
#endif
}

const CommandRegistration reg({"synth", "generate the FL-MRG-Synth multi-site chest X-ray data set",
                               "--out DIR [--studies-per-site N] [--size 1024] [--seed S] [--threads T] [--montage PNG]",
                               {{"out", true, "output folder (one sub-folder per site)"},
                                {"studies-per-site", true, "studies per site (default 50)"},
                                {"size", true, "image rows (default 1024)"},
                                {"seed", true, "data set seed (default 1)"},
                                {"threads", true, "worker threads (default: all cores)"},
                                {"montage", true, "also write a PNG montage of examples per site"}},
                               runSynth});

}  // namespace
}  // namespace fedmrg::cli
