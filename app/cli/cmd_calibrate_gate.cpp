// fedmrg-cli calibrate-gate: fits the chest gate's statistics (engine/model/chest_gate_statistics.h) on the
// pooled image features of a training split, chooses its two thresholds on the validation split, reports the
// share of validation chest studies the gate would refuse (with their tags, and with the tags stripped), and
// writes chest_gate.json into the model folder. Non-chest DICOM files given with --nonchest are scored too.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "app/cli/synth_sites.h"
#include "engine/infer/chest_gate.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_folder.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/datasets/dataset_loaders.h"
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::cli {
namespace {

namespace fs = std::filesystem;

#ifdef FEDMRG_HAVE_DCMTK
// One image as the gate sees it: what its tags say, and its feature.
struct Scored {
  engine::ChestGateInput input;
  std::vector<float> feature;
  std::string path;
};

// The same image with every tag a user could strip left out: only what decoding needs stays.
engine::ChestGateInput withoutTags(const engine::ChestGateInput& in) {
  engine::ChestGateInput out;
  out.photometric = in.photometric;
  out.frames = in.frames;
  out.width = in.width;
  out.height = in.height;
  return out;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const size_t lo = size_t(std::floor(pos)), hi = std::min(v.size() - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

class FeatureReader {
 public:
  FeatureReader(const engine::ReportGenerator& gen, int batch, int grid, int bins)
      : gen_(gen), batch_(batch), grid_(grid), bins_(bins) {}
  // False with a message on stderr when the file cannot be read.
  bool add(const std::string& path, std::vector<Scored>& into) {
    try {
      const engine::DicomImage image = engine::readDicomImage(path);
      into.push_back({engine::chestGateInput(image), {}, path});
      pending_.push_back(gen_.pixels(image));
      images_.push_back(pending_.back());
      targets_.push_back({&into, into.size() - 1});
    } catch (const std::exception& e) {
      if (failed_++ < 5) std::fprintf(stderr, "skipped %s: %s\n", path.c_str(), e.what());
      return false;
    }
    if (int(pending_.size()) >= batch_) flush();
    return true;
  }
  void flush() {
    const auto features = gen_.pooledFeatures(pending_);
    const int size = gen_.config().imageSize;
    for (size_t i = 0; i < features.size(); ++i)
      (*targets_[i].first)[targets_[i].second].feature =
          engine::ChestGateStatistics::feature(features[i], images_[i], size, grid_, bins_);
    pending_.clear();
    images_.clear();
    targets_.clear();
  }
  int failed() const { return failed_; }

 private:
  const engine::ReportGenerator& gen_;
  int batch_, grid_, bins_;
  std::vector<std::vector<float>> pending_, images_;
  std::vector<std::pair<std::vector<Scored>*, size_t>> targets_;
  int failed_ = 0;
};

struct Refusals {
  int no = 0, uncertain = 0;
};

Refusals countDecisions(const std::vector<Scored>& images, const engine::ChestGateStatistics& stats, bool stripTags) {
  Refusals r;
  for (const Scored& s : images) {
    const auto d = engine::decideChestGate(stripTags ? withoutTags(s.input) : s.input, &stats, stats.score(s.feature));
    r.no += d.decision == engine::ChestGateDecision::No;
    r.uncertain += d.decision == engine::ChestGateDecision::Uncertain;
  }
  return r;
}

void printRates(const char* what, const Refusals& r, size_t n) {
  std::printf("  %-38s refused %d of %zu (%.2f%%), uncertain %d (%.2f%%)\n", what, r.no, n, 100.0 * r.no / double(n),
              r.uncertain, 100.0 * r.uncertain / double(n));
}
#endif

int runCalibrateGate(const Args& a) {
  const std::string model = a.require("model"), dataArg = a.require("data");
  const int components = int(a.getInt("components", 16));
  const double acceptQuantile = a.getDouble("accept-quantile", 0.99);
  const double refuseMargin = a.getDouble("refuse-margin", 2.0);
  const long long limit = a.getInt("limit", 0);
  const int batch = int(a.getInt("batch", 32));
  if (components < 0 || batch < 1 || limit < 0) throw UsageError("--components >= 0, --batch >= 1, --limit >= 0");
  if (!(acceptQuantile > 0.5 && acceptQuantile <= 1)) throw UsageError("--accept-quantile must be in (0.5, 1]");
  if (!(refuseMargin >= 1)) throw UsageError("--refuse-margin must be >= 1");
  const bool inPlace = a.has("in-place");
#ifndef FEDMRG_HAVE_DCMTK
  (void)model, (void)dataArg, (void)inPlace;
  throw std::runtime_error("this build has no DICOM support (DCMTK)");
#else
  engine::ReportGenerator::Options go;
  go.threads = 1;
  go.torchThreads = int(a.getInt("threads", 1));
  engine::ReportGenerator gen(model, go);
  const int grid = int(a.getInt("grid", 8)), bins = int(a.getInt("bins", 16));
  if (grid < 1 || grid > gen.config().imageSize || bins < 2 || bins > 256)
    throw UsageError("--grid must be 1..image_size and --bins 2..256");
  FeatureReader reader(gen, batch, grid, bins);

  std::vector<Scored> train, val, heldOut, nonchest;
  std::istringstream list(dataArg);
  std::vector<std::string> sources;
  for (std::string data; std::getline(list, data, ',');) {
    if (data.empty()) continue;
    sources.push_back(data);
    const std::set<std::string> sites = synthsites::selectSites(data, a.get("sites", "all"));
    std::map<std::pair<std::string, std::string>, int> count;
    const std::set<std::string> heldOutSites = synthsites::selectSites(data, "heldout");
    for (const auto& r : engine::loadSynthDataset(data).records) {
      // A held-out site has no train or val split: its studies are checked, never fitted on.
      const bool heldOutSite = heldOutSites.count(r.site) > 0;
      if (!heldOutSite && (!sites.count(r.site) || (r.split != "train" && r.split != "val"))) continue;
      int& n = count[{r.site, r.split}];
      if (n >= (limit > 0 ? limit : heldOutSite ? 200 : 1 << 30)) continue;
      if (reader.add(r.imagePath, heldOutSite ? heldOut : r.split == "train" ? train : val)) ++n;
    }
    std::printf("%s:", data.c_str());
    for (const auto& [key, n] : count) std::printf(" %s/%s %d", key.first.c_str(), key.second.c_str(), n);
    std::printf("\n");
  }
  if (auto dir = a.get("nonchest")) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(*dir))
      if (e.is_regular_file() && e.path().extension() == ".dcm") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) reader.add(f, nonchest);
  }
  reader.flush();
  if (train.size() < 2 || val.empty())
    throw std::runtime_error(dataArg + ": needs train and val studies (found " + std::to_string(train.size()) +
                             " and " + std::to_string(val.size()) + ")");

  std::vector<std::vector<float>> trainFeatures;
  for (const Scored& s : train) trainFeatures.push_back(s.feature);
  engine::ChestGateStatistics stats = engine::ChestGateStatistics::fit(trainFeatures, components, grid, bins);
  std::vector<double> valScores;
  for (const Scored& s : val) valScores.push_back(stats.score(s.feature));
  // Accept what most validation chest images score; refuse only far beyond the farthest of them.
  stats.acceptBelow = quantile(valScores, acceptQuantile);
  stats.refuseAbove = refuseMargin * quantile(valScores, 1.0);
  stats.validationImages = int(val.size());
  std::ostringstream fitted;
  fitted << "FL-MRG-Synth train split (" << train.size() << " images; " << a.get("sites", "all") << " sites of";
  for (const std::string& s : sources) fitted << " " << fs::path(s).filename().string();
  fitted << "), thresholds on its val split (" << val.size() << " images)";
  stats.fittedOn = fitted.str();
  const Refusals tagged = countDecisions(val, stats, false), stripped = countDecisions(val, stats, true);
  stats.validationRefusalRate = double(stripped.no) / double(val.size());

  std::printf("\nchest gate: %d directions of %d, %zu train images, %zu val images\n", components, stats.dim(),
              train.size(), val.size());
  std::printf("val image distance: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", quantile(valScores, 0.5),
              quantile(valScores, 0.9), quantile(valScores, 0.99), quantile(valScores, 1.0));
  std::printf("thresholds: accept at or below %.3f (val quantile %.3f), refuse above %.3f (%.2f x the val maximum)\n",
              stats.acceptBelow, acceptQuantile, stats.refuseAbove, refuseMargin);
  std::printf("val false refusals (chest studies the gate would not draft):\n");
  printRates("with their tags", tagged, val.size());
  printRates("tags stripped (image score alone)", stripped, val.size());
  if (!heldOut.empty()) {
    std::printf("held-out sites' chest studies (never fitted on; at most 200 per site):\n");
    printRates("with their tags", countDecisions(heldOut, stats, false), heldOut.size());
    printRates("tags stripped (image score alone)", countDecisions(heldOut, stats, true), heldOut.size());
  }
  int nonchestDrafted = 0;
  if (!nonchest.empty()) std::printf("non-chest files (distance; decision with tags; decision with tags stripped):\n");
  for (const Scored& s : nonchest) {
    const double score = stats.score(s.feature);
    const auto withTags = engine::decideChestGate(s.input, &stats, score);
    const auto noTags = engine::decideChestGate(withoutTags(s.input), &stats, score);
    nonchestDrafted += withTags.drafts() + noTags.drafts();
    std::printf("  %-28s %8.2f  %-9s %-9s  %s\n", fs::path(s.path).filename().string().c_str(), score,
                engine::chestGateDecisionName(withTags.decision), engine::chestGateDecisionName(noTags.decision),
                noTags.reason.c_str());
  }
  if (!nonchest.empty())
    std::printf("non-chest drafts: %d of %zu (with and without tags)\n", nonchestDrafted, 2 * nonchest.size());
  if (reader.failed()) std::printf("%d files could not be read and were left out\n", reader.failed());

  const engine::ModelFolder out(a.get("out", inPlace ? model : std::string()));
  if (out.dir().empty()) {
    std::printf("nothing written (give --in-place or --out DIR)\n");
    return 0;
  }
  out.saveChestGate(stats);
  out.loadChestGate();  // what was written loads
  std::printf("written %s (%ju bytes)\n", out.chestGatePath().c_str(), uintmax_t(fs::file_size(out.chestGatePath())));
  return 0;
#endif
}

const CommandRegistration reg(
    {"calibrate-gate",
     "fit the chest gate's image statistics on a train split, choose its thresholds on val, write chest_gate.json",
     "--model DIR --data SYNTH_DIR[,SYNTH_DIR...] [--sites all] [--nonchest DIR] [--in-place | --out DIR]",
     {{"model", true, "model folder"},
      {"data", true, "FL-MRG-Synth folder(s), comma-separated: train split fitted, val split for the thresholds"},
      {"sites", true, "all (default), seen, heldout or a comma-separated list of site ids"},
      {"limit", true, "at most N studies per site and split"},
      {"batch", true, "images per encoder batch (default 32)"},
      {"threads", true, "LibTorch threads of the encoder (default 1)"},
      {"components", true, "main directions of the feature kept (default 16)"},
      {"grid", true, "side of the image layout grid in the feature (default 8)"},
      {"bins", true, "intensity histogram bins in the feature (default 16)"},
      {"accept-quantile", true, "val quantile at or below which the image is accepted (default 0.99)"},
      {"refuse-margin", true, "refuse above this multiple of the val maximum (default 2)"},
      {"nonchest", true, "a folder of non-chest DICOM files to score with and without their tags"},
      {"in-place", false, "write chest_gate.json into the model folder"},
      {"out", true, "write chest_gate.json into this folder instead"}},
     runCalibrateGate});

}  // namespace
}  // namespace fedmrg::cli
