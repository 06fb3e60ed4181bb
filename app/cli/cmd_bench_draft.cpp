// fedmrg-cli bench draft (alias bench-draft): time to a draft from a DICOM file (read + decode + encoder + prompt
// + decoder), p50 and p95 over repeated runs, greedy and beam search, and the process's peak memory; also the
// decode alone at the draft's and the viewer's resolution. Without a file it times a synthetic 2k x 2k JPEG 2000
// study (or, with --codec jpeg, JPEG baseline), the cases real archives send.
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/cli/bench_common.h"
#include "app/cli/generate_args.h"
#include "engine/core/json.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#include "engine/imaging/jpeg2000_encoder.h"
#include "engine/imaging/jpeg_baseline_encoder.h"
#endif

namespace fedmrg::cli {

namespace bench {

DraftTimes measureDraft(const engine::ReportGenerator& gen, const std::string& dicomFile,
                        const engine::GenerationOptions& options, int runs) {
#ifndef FEDMRG_HAVE_DCMTK
  (void)gen, (void)options, (void)runs;
  throw std::runtime_error(dicomFile + ": this build has no DICOM support (DCMTK)");
#else
  const engine::DecodeOptions decode = engine::draftDecodeOptions(gen.config().imageSize);
  gen.draft(engine::readDicomImage(dicomFile, decode), options);  // warm-up: page in the weights
  std::vector<double> times;
  DraftTimes r;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    const engine::Draft d = gen.draft(engine::readDicomImage(dicomFile, decode), options);
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

#ifdef FEDMRG_HAVE_DCMTK
// p50 seconds to read and decode the file as a draft does (decodeSize > 0) or as the viewer does (0).
double decodeP50(const std::string& file, int decodeSize, int runs, engine::DicomImage* last) {
  engine::DecodeOptions o;
  o.minSide = decodeSize;
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = bench::Clock::now();
    engine::DicomImage img = engine::readDicomImage(file, o);
    times.push_back(bench::seconds(t0, bench::Clock::now()));
    if (last) *last = std::move(img);
  }
  return bench::percentile(times, 0.5);
}
#endif

int runBenchDraft(const Args& a) {
  if (a.positional().size() > 1) throw UsageError("bench draft takes at most one DICOM file");
  const std::string model = bench::modelFolder(a);
  const int runs = int(a.getInt("runs", 20));
  if (runs < 1) throw UsageError("--runs must be >= 1");
  const int rows = int(a.getInt("rows", 2048));
  if (rows < 64 || rows > 8192) throw UsageError("--rows must be within 64..8192");
  const std::string codec = a.get("codec").value_or("j2k");
  if (codec != "j2k" && codec != "jpeg") throw UsageError("--codec must be j2k or jpeg");
  const std::string codecName = codec == "jpeg" ? "JPEG baseline" : "JPEG 2000";
  engine::ReportGenerator gen(model, generateargs::generatorOptions(a));
  engine::GenerationOptions greedy = generateargs::generationOptions(a, gen);
  greedy.beamSize = 1;
  engine::GenerationOptions beam = greedy;
  beam.beamSize = int(a.getInt("beam", 3));
  std::printf("command: %s\n%s\n", bench::commandLine().c_str(), gen.description().c_str());
  const double loadStart = bench::loadAverage1();
  std::printf("load average (1 min) at the start: %.2f on %u cores\n", loadStart, std::thread::hardware_concurrency());
  // Without a file: a synthetic chest study, rows x rows, re-encoded as lossless JPEG 2000 or as 8-bit
  // JPEG baseline (what real archives send), written to a temporary folder.
  std::unique_ptr<bench::TempDir> tmp;
  std::string file;
  if (a.positional().empty()) {
#ifdef FEDMRG_HAVE_DCMTK
    tmp = std::make_unique<bench::TempDir>();
    const std::string plain = bench::writeSyntheticStudy(tmp->path, rows);
    file = (tmp->path / ("synthetic-study-" + codec + ".dcm")).string();
    if (codec == "jpeg") engine::writeJpegBaselineCopy(plain, file);
    else engine::writeJpeg2000Copy(plain, file);
    std::printf("%s study: %s\n", codecName.c_str(), file.c_str());
#endif
  } else {
    file = a.positional()[0];
  }
  engine::Json j = engine::Json::object();
  j["command"] = bench::commandLine();
  j["model"] = model;
  j["file"] = tmp ? "synthetic " + codecName + " study (temporary)" : file;
  j["synthetic"] = bool(tmp);
  j["runs"] = runs;
#ifdef FEDMRG_HAVE_DCMTK
  // The decode alone, at the draft's resolution and at the viewer's full resolution.
  engine::DicomImage full, reduced;
  const double fullP50 = decodeP50(file, 0, runs, &full);
  const double draftDecodeP50 = decodeP50(file, gen.config().imageSize, runs, &reduced);
  std::printf("file: %d x %d, %s\n", full.width, full.height, full.meta.transferSyntaxUid.c_str());
  std::printf("decode for the viewer (full resolution): p50 %.3f s\n", fullP50);
  std::printf("decode for a draft (%d x %d, reduced by 2^%d): p50 %.3f s\n", reduced.width, reduced.height,
              reduced.reduction, draftDecodeP50);
  engine::Json dec = engine::Json::object();
  dec["width"] = full.width;
  dec["height"] = full.height;
  dec["transfer_syntax"] = full.meta.transferSyntaxUid;
  dec["full_p50_s"] = fullP50;
  dec["draft_p50_s"] = draftDecodeP50;
  dec["draft_width"] = reduced.width;
  dec["draft_height"] = reduced.height;
  dec["draft_reduction"] = reduced.reduction;
  j["decode"] = dec;
#endif
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
  const double loadEnd = bench::loadAverage1();
  std::printf("load average (1 min) at the end: %.2f\n", loadEnd);
  j["load_average_start"] = loadStart;
  j["load_average_end"] = loadEnd;
  j["cores"] = double(std::thread::hardware_concurrency());
  const double peak = bench::peakRssMb();
  std::printf("peak memory (VmHWM): %.1f MB\n", peak);
  j["peak_rss_mb"] = peak;
  if (auto path = a.get("json")) bench::writeJson(*path, j);
  return 0;
}

const CommandRegistration reg(
    {"bench-draft", "time to a draft from a DICOM file (p50/p95, greedy and beam) and peak memory",
     "[--model DIR] [--runs 20] [--beam 3] [--rows 2048] [--codec j2k|jpeg] [--json OUT] [study.dcm]",
     generateargs::withGenerateOptions({{"runs", true, "timed drafts per setting (default 20)"},
                                        {"rows", true, "without a file: the synthetic study's size (default 2048)"},
                                        {"codec", true,
                                         "without a file: j2k (lossless JPEG 2000, default) or jpeg (8-bit baseline)"},
                                        {"json", true, "also write the figures as JSON"}}),
     runBenchDraft, true});

}  // namespace
}  // namespace fedmrg::cli
