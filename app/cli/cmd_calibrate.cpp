// fedmrg-cli calibrate: fits the diagnosis head's decision offsets (the model config's diagnosis.calibration) on a
// validation split, by coordinate ascent on the example-based CE-F1 that `evaluate` would report for drafts
// that follow the diagnosis prompt, and writes the calibrated config. Only the encoder and the head run.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/cli/synth_sites.h"
#include "engine/infer/report_generator.h"
#include "engine/labeler/labeler.h"
#include "engine/metrics/clinical_metrics.h"
#include "engine/model/diagnosis_calibration.h"
#include "engine/model/model_config.h"
#include "engine/model/model_folder.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/datasets/dataset_loaders.h"
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::cli {
namespace {

namespace fs = std::filesystem;
using engine::ObservationState;
using engine::ObservationStates;

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// "MIN:MAX:STEP" -> the grid of candidate offsets.
std::vector<double> parseGrid(const std::string& text) {
  std::vector<double> v;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ':');) {
    try {
      size_t used = 0;
      v.push_back(std::stod(part, &used));
      if (used != part.size()) throw std::invalid_argument(part);
    } catch (const std::exception&) {
      throw UsageError("--grid: '" + text + "' is not MIN:MAX:STEP");
    }
  }
  if (v.size() != 3 || !(v[2] > 0) || !(v[0] <= v[1]) || !std::isfinite(v[0]) || !std::isfinite(v[1]) ||
      (v[1] - v[0]) / v[2] > 1000)
    throw UsageError("--grid: '" + text + "' is not MIN:MAX:STEP with MIN <= MAX, STEP > 0, at most 1000 steps");
  std::vector<double> grid;
  const int steps = int(std::floor((v[1] - v[0]) / v[2] + 1e-9));
  for (int i = 0; i <= steps; ++i) grid.push_back(std::round((v[0] + i * v[2]) * 1e6) / 1e6);
  return grid;
}

std::vector<ObservationState> parseStates(const std::string& text) {
  std::vector<ObservationState> out;
  for (const std::string& s : splitList(text)) {
    if (s == "positive") out.push_back(ObservationState::Positive);
    else if (s == "uncertain") out.push_back(ObservationState::Uncertain);
    else if (s == "negative") out.push_back(ObservationState::Negative);
    else throw UsageError("--states: '" + s + "' is not positive, uncertain or negative");
  }
  if (out.empty()) throw UsageError("--states: give at least one state");
  return out;
}

#ifdef FEDMRG_HAVE_DCMTK
engine::ClinicalScores scoresOf(const std::vector<std::vector<float>>& probs, const std::vector<ObservationStates>& refs,
                                const engine::DiagnosisCalibration& cal) {
  std::vector<ObservationStates> written;
  for (const auto& p : probs) written.push_back(engine::writtenStates(engine::decideStates(p, cal)));
  return engine::clinicalEfficacy(written, refs);
}

void printReport(const engine::CalibrationFit& fit, const engine::ClinicalScores& before,
                 const engine::ClinicalScores& after) {
  std::printf("\n%-28s %-30s %17s %17s\n", "observation", "offsets (blank pos neg unc)", "tp/fp/fn before",
              "tp/fp/fn after");
  for (int i = 0; i < engine::kNumObservations; ++i) {
    const auto& o = fit.calibration.offsets[size_t(i)];
    const auto& b = before.perObservation[size_t(i)];
    const auto& a = after.perObservation[size_t(i)];
    char offsets[64], tb[32], ta[32];
    std::snprintf(offsets, sizeof offsets, "%5.2f %5.2f %5.2f %5.2f", o[0], o[1], o[2], o[3]);
    std::snprintf(tb, sizeof tb, "%d/%d/%d", b.tp, b.fp, b.fn);
    std::snprintf(ta, sizeof ta, "%d/%d/%d", a.tp, a.fp, a.fn);
    std::printf("%-28s %-30s %17s %17s\n", engine::observationName(i), offsets, tb, ta);
  }
  std::printf("\nexample-based CE-F1 (%zu studies, %d sweeps): uncalibrated %.4f  calibrated %.4f\n", fit.samples,
              fit.sweeps, fit.f1Before, fit.f1After);
  std::printf("micro-F1 (14) before %.4f after %.4f; macro-F1 (14) before %.4f after %.4f\n", before.micro14.f1,
              after.micro14.f1, before.macroF1_14, after.macroF1_14);
}

// Copies the model folder's files (not its config) into a new or empty folder.
void copyModelFolder(const std::string& from, const std::string& to) {
  const fs::path config = fs::path(engine::ModelFolder(from).configPath()).filename();
  std::error_code ec;
  if (fs::exists(to) && !fs::is_empty(to, ec)) throw std::runtime_error(to + ": exists and is not empty");
  fs::create_directories(to, ec);
  if (ec) throw std::runtime_error(to + ": cannot create: " + ec.message());
  for (const auto& e : fs::directory_iterator(from)) {
    if (!e.is_regular_file() || e.path().filename() == config) continue;
    fs::copy_file(e.path(), fs::path(to) / e.path().filename(), fs::copy_options::overwrite_existing, ec);
    if (ec) throw std::runtime_error(e.path().string() + ": cannot copy: " + ec.message());
  }
}
#endif

int runCalibrate(const Args& a) {
  const std::string model = a.require("model"), dataArg = a.require("data");
  const std::string split = a.get("split", "val");
  if (split == "test" || split == "all")
    throw UsageError("--split " + split + ": calibration is fitted on a validation split, never on test data");
  const bool inPlace = a.has("in-place");
  const auto outDir = a.get("out");
  if (inPlace && outDir) throw UsageError("give --out DIR or --in-place, not both");
  if (a.has("check") && (inPlace || outDir)) throw UsageError("--check writes nothing: leave out --out and --in-place");
  if (outDir && fs::weakly_canonical(*outDir) == fs::weakly_canonical(model))
    throw UsageError("--out is the model folder: use --in-place");
  engine::CalibrationFitOptions fo;
  if (auto g = a.get("grid")) fo.grid = parseGrid(*g);
  fo.states = parseStates(a.get("states", "positive,uncertain"));
  fo.passes = int(a.getInt("passes", fo.passes));
  fo.minGain = a.getDouble("min-gain", 0.0);
  if (fo.passes < 1 || !(fo.minGain >= 0)) throw UsageError("--passes must be >= 1 and --min-gain >= 0");
  const long long limit = a.getInt("limit", 0);
  const int batch = int(a.getInt("batch", 32));
  if (batch < 1) throw UsageError("--batch must be >= 1");
#ifndef FEDMRG_HAVE_DCMTK
  (void)model, (void)dataArg, (void)limit, (void)batch;
  throw std::runtime_error("this build has no DICOM support (DCMTK)");
#else
  engine::ReportGenerator::Options go;
  go.threads = 1;
  go.torchThreads = int(a.getInt("threads", 1));
  engine::ReportGenerator gen(model, go);
  const engine::ReportLabeler labeler;

  std::vector<std::vector<float>> probs;
  std::vector<ObservationStates> refs;
  std::vector<std::vector<float>> pending;
  auto flush = [&] {
    for (auto& p : gen.diagnoseFromPixels(pending)) probs.push_back(std::move(p));
    pending.clear();
  };
  int failed = 0;
  for (const std::string& data : splitList(dataArg)) {
    const std::set<std::string> sites = synthsites::selectSites(data, a.get("sites", "seen"));
    const engine::LoadResult loaded = engine::loadSynthDataset(data);
    std::map<std::string, int> perSite;
    for (const auto& r : loaded.records) {
      if (!sites.count(r.site) || r.split != split) continue;
      if (limit > 0 && perSite[r.site] >= limit) continue;
      try {
        pending.push_back(
            gen.pixels(engine::readDicomImage(r.imagePath, engine::draftDecodeOptions(gen.config().imageSize))));
      } catch (const std::exception& e) {
        if (failed++ < 5) std::fprintf(stderr, "skipped %s: %s\n", r.imagePath.c_str(), e.what());
        continue;
      }
      ++perSite[r.site];
      refs.push_back(labeler.states(r.report));
      if (int(pending.size()) >= batch) flush();
    }
    std::printf("%s, split %s:", data.c_str(), split.c_str());
    for (const auto& [site, n] : perSite) std::printf(" %s %d", site.c_str(), n);
    std::printf("\n");
  }
  flush();
  if (probs.empty()) throw std::runtime_error(dataArg + ": no study in split '" + split + "' of the selected sites");
  if (failed) std::printf("%d images could not be read and were left out\n", failed);

  if (a.has("check")) {  // score the folder's own calibration on this split, fit nothing
    engine::CalibrationFit own;
    own.calibration = gen.config().calibration;
    own.samples = probs.size();
    const engine::ClinicalScores before = scoresOf(probs, refs, {}), after = scoresOf(probs, refs, own.calibration);
    own.f1Before = before.exampleBased.f1;
    own.f1After = after.exampleBased.f1;
    printReport(own, before, after);
    return 0;
  }
  const engine::CalibrationFit fit = engine::fitCalibration(probs, refs, fo);
  const engine::ClinicalScores before = scoresOf(probs, refs, {}), after = scoresOf(probs, refs, fit.calibration);
  printReport(fit, before, after);
  if (!gen.config().calibration.isIdentity())
    std::printf("note: %s already had a calibration; the fit starts from the uncalibrated head and replaces it\n",
                model.c_str());

  engine::ModelConfig config = gen.config();
  config.calibration = fit.calibration;
  std::string written;
  if (inPlace) {
    written = engine::ModelFolder(model).configPath();
  } else if (outDir) {
    copyModelFolder(model, *outDir);
    written = engine::ModelFolder(*outDir).configPath();
  }
  if (!written.empty()) {
    config.save(written);
    engine::ModelConfig::load(written);  // what was written loads
    std::printf("calibrated config written to %s\n", written.c_str());
  } else {
    std::printf("nothing written (give --out DIR or --in-place)\n");
  }
  return 0;
#endif
}

const CommandRegistration reg(
    {"calibrate", "fit the diagnosis head's per-observation decision offsets on a validation split (CE-F1)",
     "--model DIR --data SYNTH_DIR[,SYNTH_DIR...] [--split val] [--sites seen] [--out DIR2 | --in-place | --check]",
     {{"model", true, "model folder"},
      {"data", true, "FL-MRG-Synth folder(s), comma-separated"},
      {"split", true, "split to fit on: val (default) or train; test is refused"},
      {"sites", true, "seen (default), heldout, all or a comma-separated list of site ids"},
      {"out", true, "write a copy of the model folder with the calibrated config here (new or empty)"},
      {"in-place", false, "rewrite the model folder's config"},
      {"grid", true, "candidate offsets MIN:MAX:STEP (default -2:4:0.25)"},
      {"states", true, "states whose offsets are fitted (default positive,uncertain)"},
      {"passes", true, "coordinate-ascent sweeps at most (default 4)"},
      {"min-gain", true, "an offset moves only when F1 rises by more than this (default 0)"},
      {"check", false, "fit nothing: score the model folder's own calibration against none on the split"},
      {"limit", true, "at most N studies per site"},
      {"batch", true, "images per encoder batch (default 32)"},
      {"threads", true, "LibTorch threads of the encoder (default 1)"}},
     runCalibrate});

}  // namespace
}  // namespace fedmrg::cli
