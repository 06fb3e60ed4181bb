// fedmrg-cli bench engine (alias bench-engine): every engine figure in one run, each against its target
// (docs/design.md, section 7):
// decode tokens/s (fixed reference shape and the model), draft time from a DICOM file, training samples/s and
// peak memory, with the command line, the machine and its load. The decode measurements below are the source of
// truth for the inference path; draft and training come from cmd_bench_draft.cpp and cmd_bench_train.cpp.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/cli/bench_common.h"
#include "app/cli/cli.h"
#include "engine/core/json.h"
#include "engine/infer/fast_decoder.h"
#include "engine/infer/generator.h"
#include "engine/infer/linear_kernels.h"
#include "engine/infer/model_loader.h"
#include "engine/infer/report_generator.h"
#include "engine/infer/thread_pool.h"
#include "engine/infer/weight_arena.h"
#include "engine/model/model_folder.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/synth/chest_renderer.h"
#include "engine/synth/dicom_writer.h"
#include "engine/synth/synth_study.h"
#endif

namespace fedmrg::cli {
namespace {

using engine::DecoderConfig;
using engine::DecoderState;
using engine::DecoderWeights;
using engine::FastDecoder;
using engine::Json;
using bench::Clock;
using bench::median;
using bench::seconds;
using bench::Target;
namespace fs = std::filesystem;

// The fixed reference shape (docs/design.md, section 7): d=256, 6 layers, 4 heads, 4 kv heads, SwiGLU 688, vocabulary 4,000.
DecoderConfig referenceShape() {
  DecoderConfig c;
  c.vocabSize = 4000;
  c.dim = 256;
  c.nLayers = 6;
  c.nHeads = 4;
  c.nKvHeads = 4;
  c.hiddenDim = 688;
  c.maxSeqLen = 512;
  c.ropeTheta = 10000.0;
  c.normEps = 1e-5;
  c.tieEmbeddings = false;
  return c;
}

std::vector<float> randomRows(int rows, int dim, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n(0.f, 1.f);
  std::vector<float> out(size_t(rows) * size_t(dim));
  for (float& v : out) v = n(rng);
  return out;
}

struct DecodeResult {
  double tokensPerSecond = 0;      // over all runs
  double bestTokensPerSecond = 0;  // the fastest run: the machine is shared, so this is the least disturbed figure
  double msPerTokenP50 = 0;
  double cpuPerWall = 0;           // CPU seconds per wall second during the runs (how many cores were busy)
  int tokens = 0;
};

double cpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + 1e-6 * double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

// Batch-1 decode after a context of `context` rows: runs of `run` tokens from a copy of the prefilled state,
// repeated for about `budget` seconds. Tokens are fed back greedily, as in generation.
DecodeResult measureDecode(const FastDecoder& dec, int context, int run, double budget) {
  const DecoderConfig& c = dec.config();
  run = std::max(1, std::min(run, c.maxSeqLen - context));
  DecoderState base = dec.newState(), s = dec.newState();
  const auto prefix = randomRows(context, c.dim, 1);
  dec.prefill(base, prefix.data(), context);
  std::vector<double> perToken;
  double total = 0, best = 1e30;
  int tokens = 0;
  for (int warm = 0; warm < 2; ++warm) {  // the first run pays page faults and spins up the pool
    s.copyFrom(base);
    for (int i = 0; i < run; ++i) dec.step(s, i % c.vocabSize);
  }
  const double cpu0 = cpuSeconds();
  while (total < budget || tokens < 4 * run) {
    s.copyFrom(base);
    int token = 1;
    double runTime = 0;
    for (int i = 0; i < run; ++i) {
      const auto t0 = Clock::now();
      const float* logits = dec.step(s, token);
      const auto t1 = Clock::now();
      token = int(std::max_element(logits, logits + c.vocabSize) - logits);
      perToken.push_back(seconds(t0, t1));
      runTime += seconds(t0, t1);
      ++tokens;
    }
    total += runTime;
    best = std::min(best, runTime);
  }
  const double cpu = cpuSeconds() - cpu0;
  DecodeResult r;
  r.tokensPerSecond = tokens / total;
  r.bestTokensPerSecond = run / best;
  r.msPerTokenP50 = 1e3 * median(perToken);
  r.cpuPerWall = cpu / total;
  r.tokens = tokens;
  return r;
}

// Time of one prefill of `rows` embedding rows (median of several).
double measurePrefillMs(const FastDecoder& dec, int rows, int repeats) {
  const auto prefix = randomRows(rows, dec.config().dim, 2);
  DecoderState s = dec.newState();
  std::vector<double> t;
  for (int r = 0; r < repeats + 1; ++r) {
    s.reset();
    const auto t0 = Clock::now();
    dec.prefill(s, prefix.data(), rows);
    if (r > 0) t.push_back(seconds(t0, Clock::now()));
  }
  return 1e3 * median(t);
}

// Generation with the Generator (greedy or beam) after a prefix, forcing `tokens` new tokens.
double measureGenerateMs(const FastDecoder& dec, int prefixRows, int tokens, int beam, int repeats) {
  const auto prefix = randomRows(prefixRows, dec.config().dim, 3);
  engine::GenerationOptions opt;
  opt.maxNewTokens = tokens;
  opt.minNewTokens = tokens;
  opt.beamSize = beam;
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    engine::generate(dec, prefix.data(), prefixRows, opt);
    t.push_back(seconds(t0, Clock::now()));
  }
  return 1e3 * median(t);
}

const char* precisionName(const FastDecoder& dec) {
  return dec.precision() == engine::DecoderPrecision::F16 ? "fp16" : "fp32";
}

std::vector<engine::DecoderPrecision> precisions(const Args& a) {
  const std::string p = a.get("precision", "both");
  if (p == "f32") return {engine::DecoderPrecision::F32};
  if (p == "f16") return {engine::DecoderPrecision::F16};
  if (p == "both") return {engine::DecoderPrecision::F32, engine::DecoderPrecision::F16};
  throw UsageError("--precision must be f32, f16 or both");
}

// Read bandwidth of the decoder's own matrix-vector kernel over a working set of `bytes` (fp32, 256 columns,
// panel-packed in a huge-page arena as the decoder stores its weights), threaded like the decoder: the roof that
// decode tokens/s is compared with. Best of several passes.
double measureKernelGBps(size_t bytes, int threads, double budget) {
  const int cols = 256;
  const int rows = int(bytes / (sizeof(float) * cols)) / engine::kPanelRows * engine::kPanelRows;
  const std::vector<float> W(static_cast<size_t>(rows) * cols, 0.5f);
  engine::WeightArena arena(engine::packedSize(rows, cols) * sizeof(float));
  auto* packed = static_cast<float*>(arena.take(engine::packedSize(rows, cols) * sizeof(float)));
  engine::packRows(W.data(), rows, cols, packed);
  std::vector<float> x(cols, 1.0f), y(static_cast<size_t>(rows));
  engine::ThreadPool pool(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency())));
  struct Ctx {
    const float* W;
    int rows;
    const float* x;
    float* y;
  } ctx{packed, rows, x.data(), y.data()};
  auto body = [](void* c, int b, int e, int) {
    auto* k = static_cast<Ctx*>(c);
    engine::linearPacked(k->W, k->rows, 256, k->x, 256, 1, k->y, k->rows, b, e);
  };
  double best = 1e30, total = 0;
  for (int pass = 0; pass < 3 || total < budget; ++pass) {
    const auto t0 = Clock::now();
    pool.run(rows, body, &ctx, engine::kPanelRows);
    const double t = seconds(t0, Clock::now());
    if (pass > 0) best = std::min(best, t);  // the first pass pays page faults
    total += t;
  }
  return double(rows) * cols * sizeof(float) / best / 1e9;
}

Json benchBandwidth(int threads, double budget) {
  std::printf("\nmatrix-vector kernel read bandwidth (fp32, best pass):\n");
  Json j = Json::object();
  const struct {
    const char* label;
    size_t bytes;
  } sets[] = {{"8 MB (fits L3)", 8u << 20}, {"23 MB (reference shape, fp32)", 23080000u},
              {"11.5 MB (reference shape, fp16 bytes)", 11550000u}, {"256 MB (DRAM)", 256u << 20}};
  for (const auto& s : sets) {
    const double gbps = measureKernelGBps(s.bytes, threads, budget / 8);
    std::printf("  %-40s %6.1f GB/s\n", s.label, gbps);
    j[s.label] = gbps;
  }
  return j;
}

std::string describe(const DecoderConfig& c) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "d=%d, %d layers, %d heads, %d kv heads, SwiGLU hidden %d, vocabulary %d%s", c.dim,
                c.nLayers, c.nHeads, c.nKvHeads, c.hiddenDim, c.vocabSize, c.tieEmbeddings ? ", tied embeddings" : "");
  return buf;
}

Json benchDecoder(const std::string& title, const FastDecoder& dec, int context, double budget) {
  const DecoderConfig& c = dec.config();
  std::printf("\n%s: %s\n", title.c_str(), describe(c).c_str());
  std::printf("  threads %d, kernels %s, %s weights\n", dec.threads(), dec.kernelName(), precisionName(dec));
  const DecodeResult d = measureDecode(dec, context, 32, budget);
  const double bytes = double(dec.weightBytesPerToken());
  const double kvBytes = 2.0 * c.nLayers * (context + 16) * c.nKvHeads * (c.dim / c.nHeads) * 4.0;
  const double flops = dec.flopsPerToken(context + 16);
  std::printf("  decode, batch 1, context %d: %.0f tokens/s over %d tokens (best run of %d: %.0f tokens/s; "
              "p50 %.3f ms/token; %.2f cores busy)\n",
              context, d.tokensPerSecond, d.tokens, 32, d.bestTokensPerSecond, d.msPerTokenP50, d.cpuPerWall);
  std::printf("  weights read per token: %.2f MB (+ %.2f MB of KV cache); best run implies %.1f GB/s\n", bytes / 1e6,
              kvBytes / 1e6, (bytes + kvBytes) * d.bestTokensPerSecond / 1e9);
  std::printf("  FLOPs per token: %.1f M; best run %.1f GFLOP/s\n", flops / 1e6, flops * d.bestTokensPerSecond / 1e9);
  const double prefillMs = measurePrefillMs(dec, context, 5);
  std::printf("  prefill of %d rows: %.2f ms (%.0f rows/s)\n", context, prefillMs, context / (prefillMs / 1e3));
  const double greedyMs = measureGenerateMs(dec, context, 60, 1, 3);
  const double beamMs = measureGenerateMs(dec, context, 60, 3, 3);
  std::printf("  generate 60 tokens after %d prefix rows: greedy %.1f ms, beam 3 %.1f ms\n", context, greedyMs,
              beamMs);
  Json j = Json::object();
  j["shape"] = describe(c);
  j["threads"] = dec.threads();
  j["kernels"] = dec.kernelName();
  j["precision"] = precisionName(dec);
  j["context"] = context;
  j["decode_tokens_per_s"] = d.tokensPerSecond;
  j["decode_tokens_per_s_best_run"] = d.bestTokensPerSecond;
  j["decode_cores_busy"] = d.cpuPerWall;
  j["decode_ms_per_token_p50"] = d.msPerTokenP50;
  j["weight_bytes_per_token"] = bytes;
  j["implied_gb_per_s_best_run"] = (bytes + kvBytes) * d.bestTokensPerSecond / 1e9;
  j["flops_per_token"] = flops;
  j["prefill_ms"] = prefillMs;
  j["generate60_greedy_ms"] = greedyMs;
  j["generate60_beam3_ms"] = beamMs;
  return j;
}

Target atLeast(std::string figure, double value, std::string unit, double target) {
  return {std::move(figure), value, std::move(unit), Target::Kind::AtLeast, target};
}
Target atMost(std::string figure, double value, std::string unit, double target) {
  return {std::move(figure), value, std::move(unit), Target::Kind::AtMost, target};
}
Target info(std::string figure, double value, std::string unit) {
  return {std::move(figure), value, std::move(unit), Target::Kind::None, 0};
}

// The targets of docs/design.md, section 7.
constexpr double kDecodeTokensPerSecond = 1500, kDraftGreedyP50 = 0.25, kDraftBeamP50 = 0.6,
                 kTrainSamplesPerSecond = 8, kGenerationPeakMb = 500;

int runBenchEngine(const Args& a) {
  const bool quick = a.has("quick");
  const int threads = int(a.getInt("threads", 0));
  const int context = int(a.getInt("context", 100));
  const double budget = a.getDouble("seconds", quick ? 0.2 : 2.0);
  const int runs = int(a.getInt("runs", quick ? 2 : 10));
  const int rows = int(a.getInt("dicom-rows", 1024));
  bench::TrainBenchOptions train;
  train.batch = int(a.getInt("batch", quick ? 4 : 16));
  train.steps = int(a.getInt("steps", quick ? 2 : 5));
  train.threads = threads;
  const bool doDraft = !a.has("skip-draft"), doTrain = !a.has("skip-train");
  if (context < 1 || context > 400) throw UsageError("--context must be between 1 and 400");
  if (budget <= 0) throw UsageError("--seconds must be positive");
  if (runs < 1) throw UsageError("--runs must be >= 1");
  if (rows < 64 || rows > 4096) throw UsageError("--dicom-rows must be between 64 and 4096");
  if (train.batch < 1 || train.steps < 2) throw UsageError("--batch must be >= 1 and --steps >= 2");
  const auto precisionList = precisions(a);
  // Everything that can fail for a reason of the caller's is checked before the first measurement.
  const std::string model = bench::modelFolder(a);
  const auto dicom = a.get("dicom");
#ifndef FEDMRG_HAVE_DCMTK
  if (doDraft) throw std::runtime_error("this build has no DICOM support (DCMTK) for the draft times: give --skip-draft");
#endif
  if (dicom && doDraft && !fs::is_regular_file(*dicom)) throw std::runtime_error(*dicom + ": no such DICOM file");
  if (auto out = a.get("json")) bench::checkWritable(*out);

  const bench::Machine m = bench::machine();
  std::printf("command: %s\n", bench::commandLine().c_str());
  std::printf("machine: %d cores, %s; CPU flags avx2 %s, fma %s, f16c %s\n", m.cores, m.cpuModel.c_str(),
              m.avx2 ? "yes" : "no", m.fma ? "yes" : "no", m.f16c ? "yes" : "no");
  std::printf("load average at start: %.2f %.2f %.2f (1, 5, 15 min)%s\n", m.load1, m.load5, m.load15,
              m.load1 > 0.5 * m.cores ? ": the machine was busy, figures are lower than on a quiet one" : "");
  std::printf("model: %s\n", model.c_str());
  Json report = Json::object();
  report["command"] = bench::commandLine();
  report["machine"] = bench::machineJson(m);
  report["model"] = model;
  Json settings = Json::object();
  settings["quick"] = quick;
  settings["threads"] = threads;
  settings["context"] = context;
  settings["decode_seconds"] = budget;
  settings["draft_runs"] = runs;
  settings["train_batch"] = train.batch;
  settings["train_steps"] = train.steps;
  report["settings"] = settings;
  bench::TargetTable targets;

  // The synthetic study is written first and the peak is reset after it, so that rendering does not count as
  // generation memory.
  std::unique_ptr<bench::TempDir> tmp;
  std::string dicomFile;
  double fixturePeak = 0;
  bool peakReset = false;
  if (doDraft) {
    if (dicom) {
      dicomFile = *dicom;
    } else {
      tmp = std::make_unique<bench::TempDir>();
      dicomFile = bench::writeSyntheticStudy(tmp->path, rows);
      fixturePeak = bench::peakRssMb();
      peakReset = bench::resetPeakRss();
    }
  }

  // Decode, batch 1.
  std::printf("\n== decode, batch 1, context %d ==\n", context);
  Json decode = Json::object();
  std::string kernels;
  {
    const DecoderConfig ref = referenceShape();
    const DecoderWeights refWeights = DecoderWeights::random(ref, 42);
    for (auto p : precisionList) {
      const FastDecoder dec(ref, refWeights, threads, p);
      kernels = dec.kernelName();
      Json j = benchDecoder("reference shape (random weights)", dec, context, budget);
      targets.add(atLeast(std::string("decode, reference shape, ") + precisionName(dec),
                          j.at("decode_tokens_per_s").asNumber(), "tokens/s", kDecodeTokensPerSecond));
      decode[std::string("reference_") + precisionName(dec)] = j;
    }
  }
  {
    const engine::LoadedDecoder md = engine::loadDecoder(model);
    std::printf("\nmodel %s (%s)\n", model.c_str(), md.description.c_str());
    const int modelContext = std::max(1, std::min(context, md.config.maxSeqLen - 80));
    for (auto p : precisionList) {
      const FastDecoder dec(md.config, md.weights, threads, p);
      Json j = benchDecoder("model decoder", dec, modelContext, budget);
      targets.add(atLeast(std::string("decode, model, ") + precisionName(dec), j.at("decode_tokens_per_s").asNumber(),
                          "tokens/s", kDecodeTokensPerSecond));
      decode[std::string("model_") + precisionName(dec)] = j;
    }
  }
  report["decode"] = decode;
  report["machine"]["decoder_kernels"] = kernels;

  // Draft from a DICOM file.
  if (doDraft) {
    engine::ReportGenerator::Options go;
    go.threads = threads;
    go.torchThreads = 1;
    const engine::ReportGenerator gen(model, go);
    engine::GenerationOptions greedy = gen.defaultOptions(), beam = greedy;
    greedy.beamSize = 1;
    beam.beamSize = 3;
    std::printf("\n== draft from DICOM: %s, %d timed runs after a warm-up ==\n%s\n", dicomFile.c_str(), runs,
                gen.description().c_str());
    Json draft = Json::object();
    draft["file"] = dicom ? *dicom : std::string("synthetic study (temporary)");
    draft["synthetic"] = !dicom;
    draft["runs"] = runs;
    draft["model"] = gen.description();
    for (const auto* o : {&greedy, &beam}) {
      const std::string name = o->beamSize == 1 ? "greedy" : "beam 3";
      const bench::DraftTimes t = bench::measureDraft(gen, dicomFile, *o, runs);
      std::printf("  %-7s %zu tokens: p50 %.3f s, p95 %.3f s\n", name.c_str(), t.tokens, t.p50, t.p95);
      targets.add(atMost("draft p50, " + name, t.p50, "s", o->beamSize == 1 ? kDraftGreedyP50 : kDraftBeamP50));
      targets.add(info("draft p95, " + name, t.p95, "s"));
      Json e = Json::object();
      e["tokens"] = double(t.tokens);
      e["p50_s"] = t.p50;
      e["p95_s"] = t.p95;
      draft[o->beamSize == 1 ? "greedy" : "beam3"] = e;
    }
    report["draft"] = draft;
  }

  Json memory = Json::object();
  const double generationPeak = bench::peakRssMb();
  targets.add(atMost("peak memory, generation (decode + draft)", generationPeak, "MB", kGenerationPeakMb));
  memory["generation_peak_mb"] = generationPeak;
  memory["synthetic_study_peak_mb"] = fixturePeak;
  memory["peak_reset_after_synthetic_study"] = peakReset;

  // Training, after the generation peak was taken.
  if (doTrain) {
    const engine::ModelConfig config = engine::ModelFolder(model).loadConfig();
    std::printf("\n== training, scope base (every loss the config enables), batch %d, %d steps (first untimed) ==\n",
                train.batch, train.steps);
    const bench::TrainBench t = bench::measureTraining(config, train);
    std::printf("  %.2f samples/s over %.2f s\n", t.samplesPerSecond, t.secondsTimed);
    targets.add(atLeast("training", t.samplesPerSecond, "samples/s", kTrainSamplesPerSecond));
    Json j = Json::object();
    j["scope"] = "base";
    j["batch"] = train.batch;
    j["steps"] = train.steps;
    j["samples_per_second"] = t.samplesPerSecond;
    j["seconds_timed"] = t.secondsTimed;
    report["train"] = j;
  }
  const double overallPeak = std::max(bench::peakRssMb(), fixturePeak);
  targets.add(info("peak memory, overall", overallPeak, "MB"));
  memory["overall_peak_mb"] = overallPeak;
  report["memory"] = memory;

  // Last, so that its 256 MB buffer counts in no peak above.
  if (!a.has("skip-bandwidth")) report["kernel_read_gb_per_s"] = benchBandwidth(threads, budget);

  const double loadEnd = bench::loadAverage1();
  std::printf("\nload average (1 min): %.2f at start, %.2f at the end\n", m.load1, loadEnd);
  report["load_average_1m_end"] = loadEnd;
  targets.print("== targets (decode, draft, training, memory) ==");
  std::printf("%d of the targets missed\n", targets.misses());
  report["targets"] = targets.json();
  report["misses"] = targets.misses();
  if (auto out = a.get("json")) bench::writeJson(*out, report);
  return 0;
}

const CommandRegistration reg(
    {"bench-engine",
     "every engine figure against its target: decode, draft from DICOM, training, peak memory",
     "[--model DIR] [--dicom FILE] [--runs 10] [--batch 16] [--quick] [--skip-draft] [--skip-train] [--json OUT]",
     {{"model", true, "model folder (default: resources/models/default found above the program or here)"},
      {"dicom", true, "DICOM file for the draft times (default: one synthetic study, written to a temporary folder)"},
      {"dicom-rows", true, "rows of the synthetic study (default 1024)"},
      {"runs", true, "timed drafts per setting, after one warm-up (default 10; --quick 2)"},
      {"batch", true, "training samples per step (default 16; --quick 4)"},
      {"steps", true, "training steps, the first one untimed (default 5; --quick 2)"},
      {"threads", true, "decoder and training threads (default: one per core)"},
      {"precision", true, "decoder weight storage to measure: f32, f16 or both (default both)"},
      {"context", true, "context rows before decoding (default 100)"},
      {"seconds", true, "time budget of each decode measurement (default 2; --quick 0.2)"},
      {"quick", false, "short budgets (smoke test; the figures are not meaningful)"},
      {"skip-draft", false, "leave out the draft times"},
      {"skip-train", false, "leave out the training measurement"},
      {"skip-bandwidth", false, "leave out the kernel read bandwidth table"},
      {"json", true, "write every figure as JSON"}},
     runBenchEngine, true});

}  // namespace

// The model folder: --model, else the shipped default model found above the executable (a build folder inside
// the checkout, or an installed bin/ beside share/fedmrg/models), in the source tree it was built from, or above
// the current folder.
std::string bench::modelFolder(const Args& a) {
  if (auto dir = a.get("model")) {
    if (const std::string why = engine::ModelFolder(*dir).problem(); !why.empty())
      throw std::runtime_error(why);
    return *dir;
  }
  std::error_code ec;
  std::vector<fs::path> starts;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) starts.push_back(exe.parent_path());
#ifdef FEDMRG_SOURCE_DIR
  starts.push_back(FEDMRG_SOURCE_DIR);
#endif
  starts.push_back(fs::current_path(ec));
  for (fs::path dir : starts) {
    for (; !dir.empty(); dir = dir.parent_path()) {
      for (const char* rel : {"resources/models/default", "share/fedmrg/models/default"})
        if (engine::ModelFolder((dir / rel).string()).kind() != engine::ModelFolder::Kind::None) return (dir / rel).string();
      if (dir == dir.parent_path()) break;
    }
  }
  throw std::runtime_error("no --model given and no resources/models/default (or share/fedmrg/models/default) above " +
                           exe.parent_path().string() + ", the source tree or the current folder");
}

bench::TempDir::TempDir() {
  std::string t = (fs::temp_directory_path() / "fedmrg-bench-XXXXXX").string();
  if (!mkdtemp(t.data())) throw std::runtime_error(t + ": cannot create a temporary folder");
  path = t;
}

bench::TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

// One synthetic study of the first built-in site, rendered and written as that site's DICOM files are.
std::string bench::writeSyntheticStudy(const fs::path& dir, int rows) {
#ifndef FEDMRG_HAVE_DCMTK
  (void)dir, (void)rows;
  throw std::runtime_error("this build has no DICOM support (DCMTK): give --skip-draft");
#else
  const std::vector<engine::SiteProfile> sites = engine::builtinSites();
  const engine::SiteProfile& site = sites.front();
  const uint64_t seed = 5;
  const engine::StudyTruth truth = engine::sampleStudy(site, seed);
  const engine::SynthImage image = engine::renderChest(truth, site.acquisition, rows);
  const engine::SynthDicomInfo info =
      engine::synthDicomInfo(seed, site, truth.patient.female, truth.patient.ageYears, truth.patient.apView, 1);
  const std::string file = (dir / "synthetic-study.dcm").string();
  engine::writeSynthDicom(file, image, info, site.acquisition.transferSyntax);
  std::printf("synthetic study: %s, %d x %d, %s, written to %s\n", site.id.c_str(), image.width, image.height,
              engine::transferSyntaxName(site.acquisition.transferSyntax), file.c_str());
  return file;
#endif
}

}  // namespace fedmrg::cli
