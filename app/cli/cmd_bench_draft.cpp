// fedmrg-cli bench-draft: time to a draft from a DICOM file (read + decode + encoder + prompt + decoder),
// p50 and p95 over repeated runs, greedy and beam search, and the process's peak memory.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app/cli/generate_args.h"
#include "app/cli/peak_memory.h"
#include "engine/core/json.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::cli {
namespace {

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5));
  return v[i];
}

int runBenchDraft(const Args& a) {
  const std::string model = a.require("model");
  if (a.positional().size() != 1) throw UsageError("bench-draft needs exactly one DICOM file");
  const std::string file = a.positional()[0];
  const int runs = int(a.getInt("runs", 20));
  if (runs < 1) throw UsageError("--runs must be >= 1");
#ifndef FEDMRG_HAVE_DCMTK
  (void)model, (void)runs;
  throw std::runtime_error(file + ": this build has no DICOM support (DCMTK)");
#else
  using Clock = std::chrono::steady_clock;
  engine::ReportGenerator gen(model, generateargs::generatorOptions(a));
  engine::GenerationOptions greedy = generateargs::generationOptions(a, gen);
  greedy.beamSize = 1;
  engine::GenerationOptions beam = greedy;
  beam.beamSize = int(a.getInt("beam", 3));
  std::printf("fedmrg-cli bench-draft --model %s --runs %d %s\n%s\n", model.c_str(), runs, file.c_str(),
              gen.description().c_str());
  engine::Json j = engine::Json::object();
  j["model"] = model;
  j["file"] = file;
  j["runs"] = runs;
  for (const auto* o : {&greedy, &beam}) {
    const std::string name = o->beamSize == 1 ? "greedy" : "beam" + std::to_string(o->beamSize);
    gen.draft(engine::readDicomImage(file), *o);  // warm-up: page in the weights
    std::vector<double> seconds;
    size_t tokens = 0;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = Clock::now();
      const engine::Draft d = gen.draft(engine::readDicomImage(file), *o);
      seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      tokens = d.tokens.size();
    }
    const double p50 = percentile(seconds, 0.5), p95 = percentile(seconds, 0.95);
    std::printf("draft from DICOM, %-7s %zu tokens: p50 %.3f s, p95 %.3f s\n", name.c_str(), tokens, p50, p95);
    engine::Json e = engine::Json::object();
    e["tokens"] = double(tokens);
    e["p50_s"] = p50;
    e["p95_s"] = p95;
    j[name] = e;
  }
  const long peak = peakRssKb();
  std::printf("peak memory (VmHWM): %.1f MB\n", double(peak) / 1024.0);
  j["peak_rss_mb"] = double(peak) / 1024.0;
  if (auto path = a.get("json")) {
    std::ofstream out(*path);
    if (!(out << j.dump(2) << "\n")) throw std::runtime_error(*path + ": cannot write");
  }
  return 0;
#endif
}

const CommandRegistration reg(
    {"bench-draft", "time to a draft from a DICOM file (p50/p95, greedy and beam) and peak memory",
     "--model DIR [--runs 20] [--beam 3] [--json OUT] study.dcm",
     generateargs::withGenerateOptions({{"runs", true, "timed drafts per setting (default 20)"},
                                        {"json", true, "also write the figures as JSON"}}),
     runBenchDraft});

}  // namespace
}  // namespace fedmrg::cli
