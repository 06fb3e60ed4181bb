// fedmrg-cli bench draft (alias bench-draft): time to a draft from a DICOM file (read + decode + encoder + prompt
// + decoder), p50 and p95 over repeated runs, greedy and beam search, and the process's peak memory.
#include <cstdio>
#include <string>
#include <vector>

#include "app/cli/bench_common.h"
#include "app/cli/generate_args.h"
#include "engine/core/json.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::cli {

namespace bench {

DraftTimes measureDraft(const engine::ReportGenerator& gen, const std::string& dicomFile,
                        const engine::GenerationOptions& options, int runs) {
#ifndef FEDMRG_HAVE_DCMTK
  (void)gen, (void)options, (void)runs;
  throw std::runtime_error(dicomFile + ": this build has no DICOM support (DCMTK)");
#else
  gen.draft(engine::readDicomImage(dicomFile), options);  // warm-up: page in the weights
  std::vector<double> times;
  DraftTimes r;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    const engine::Draft d = gen.draft(engine::readDicomImage(dicomFile), options);
    times.push_back(seconds(t0, Clock::now()));
    r.tokens = d.tokens.size();
  }
  r.p50 = percentile(times, 0.5);
  r.p95 = percentile(times, 0.95);
  return r;
#endif
}

}  // namespace bench

namespace {

int runBenchDraft(const Args& a) {
  const std::string model = a.require("model");
  if (a.positional().size() != 1) throw UsageError("bench draft needs exactly one DICOM file");
  const std::string file = a.positional()[0];
  const int runs = int(a.getInt("runs", 20));
  if (runs < 1) throw UsageError("--runs must be >= 1");
  engine::ReportGenerator gen(model, generateargs::generatorOptions(a));
  engine::GenerationOptions greedy = generateargs::generationOptions(a, gen);
  greedy.beamSize = 1;
  engine::GenerationOptions beam = greedy;
  beam.beamSize = int(a.getInt("beam", 3));
  std::printf("command: %s\n%s\n", bench::commandLine().c_str(), gen.description().c_str());
  engine::Json j = engine::Json::object();
  j["command"] = bench::commandLine();
  j["model"] = model;
  j["file"] = file;
  j["runs"] = runs;
  for (const auto* o : {&greedy, &beam}) {
    const std::string name = o->beamSize == 1 ? "greedy" : "beam" + std::to_string(o->beamSize);
    const bench::DraftTimes t = bench::measureDraft(gen, file, *o, runs);
    std::printf("draft from DICOM, %-7s %zu tokens: p50 %.3f s, p95 %.3f s\n", name.c_str(), t.tokens, t.p50, t.p95);
    engine::Json e = engine::Json::object();
    e["tokens"] = double(t.tokens);
    e["p50_s"] = t.p50;
    e["p95_s"] = t.p95;
    j[name] = e;
  }
  const double peak = bench::peakRssMb();
  std::printf("peak memory (VmHWM): %.1f MB\n", peak);
  j["peak_rss_mb"] = peak;
  if (auto path = a.get("json")) bench::writeJson(*path, j);
  return 0;
}

const CommandRegistration reg(
    {"bench-draft", "time to a draft from a DICOM file (p50/p95, greedy and beam) and peak memory",
     "--model DIR [--runs 20] [--beam 3] [--json OUT] study.dcm",
     generateargs::withGenerateOptions({{"runs", true, "timed drafts per setting (default 20)"},
                                        {"json", true, "also write the figures as JSON"}}),
     runBenchDraft, true});

}  // namespace
}  // namespace fedmrg::cli
