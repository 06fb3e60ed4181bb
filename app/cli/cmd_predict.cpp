// fedmrg-cli predict: drafts a report for every study of a data set split, and writes the drafts and the
// reference reports as JSONL ({"id", "report"}) for `fedmrg-cli evaluate --pred --ref`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "app/cli/generate_args.h"
#include "app/cli/synth_sites.h"
#include "engine/core/json.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_folder.h"
#include "engine/train/synth_examples.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/datasets/dataset_loaders.h"
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::cli {
namespace {

using synthsites::selectSites;

#ifdef FEDMRG_HAVE_DCMTK  // the helpers below serve the DICOM path only
// Byte-level BPE can stop inside a multi-byte character: invalid sequences become U+FFFD so that every
// JSONL line stays valid UTF-8.
std::string validUtf8(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size() && !(n == 2 && c < 0xC2) && !(n == 4 && c > 0xF4);
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    if (ok && n == 3) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
    }
    if (ok && n == 4) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out.append(s, i, n);
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

engine::Json line(const std::string& id, const std::string& report) {
  engine::Json j = engine::Json::object();
  j["id"] = id;
  j["report"] = validUtf8(report);
  return j;
}

// The predicted state and the 4 probabilities of every observation, beside the data set's labels.
engine::Json statesLine(const engine::DatasetRecord& r, const engine::Draft& d) {
  engine::Json j = engine::Json::object();
  j["id"] = r.id;
  j["site"] = r.site;
  engine::Json obs = engine::Json::object();
  for (int i = 0; i < engine::kNumObservations; ++i) {
    engine::Json o = engine::Json::object();
    o["predicted"] = engine::stateName(d.states[size_t(i)]);
    if (r.hasStates) o["reference"] = engine::stateName(r.states[size_t(i)]);
    engine::Json probs = engine::Json::array();
    for (int k = 0; k < 4; ++k) probs.push_back(double(d.probabilities[size_t(i * 4 + k)]));
    o["probabilities"] = probs;
    obs[engine::observationKey(i)] = o;
  }
  j["observations"] = obs;
  return j;
}

std::ofstream openOut(const std::string& path) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error(path + ": cannot write");
  return f;
}
#endif

int runPredict(const Args& a) {
  const std::string model = a.require("model"), data = a.require("data"), predPath = a.require("pred");
  const std::string split = a.get("split", "test");
  const std::set<std::string> sites = selectSites(data, a.get("sites", "seen"));
  const long long limit = a.getInt("limit", 0);
#ifndef FEDMRG_HAVE_DCMTK
  (void)model, (void)predPath, (void)split, (void)sites, (void)limit;
  throw std::runtime_error("this build has no DICOM support (DCMTK)");
#else
  // A federated model (ModelFolder "per-site parts") drafts each seen site's studies with that site's own parts,
  // as the site itself would; other sites (the held-out one) get the folder's top-level model.
  const engine::ModelFolder folder(model);
  std::map<std::string, std::unique_ptr<engine::ReportGenerator>> generators;  // by site with parts ("": top level)
  auto generatorFor = [&](const std::string& site) -> engine::ReportGenerator& {
    const std::string key = folder.hasSite(site) ? site : std::string();
    auto& g = generators[key];
    if (!g) {
      engine::ReportGenerator::Options go = generateargs::generatorOptions(a);
      go.site = key;
      g = std::make_unique<engine::ReportGenerator>(model, go);
    }
    return *g;
  };

  const engine::LoadResult loaded = engine::loadSynthDataset(data);
  for (const auto& issue : loaded.issues) std::fprintf(stderr, "skipped %s: %s\n", issue.path.c_str(), issue.reason.c_str());
  std::vector<const engine::DatasetRecord*> chosen;
  std::map<std::string, int> perSite;
  for (const auto& r : loaded.records) {
    if (!sites.count(r.site) || (split != "all" && r.split != split)) continue;
    if (limit > 0 && perSite[r.site] >= limit) continue;
    ++perSite[r.site];
    chosen.push_back(&r);
  }
  if (chosen.empty()) throw std::runtime_error(data + ": no study in split '" + split + "' of the selected sites");
  const engine::GenerationOptions o = generateargs::generationOptions(a, generatorFor(chosen.front()->site));

  std::ofstream pred = openOut(predPath);
  std::ofstream ref;
  if (auto refPath = a.get("ref")) ref = openOut(*refPath);
  std::ofstream states;
  if (auto statesPath = a.get("states")) states = openOut(*statesPath);
  int failed = 0;
  double draftSeconds = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < chosen.size(); ++i) {
    const engine::DatasetRecord& r = *chosen[i];
    try {
      engine::ReportGenerator& gen = generatorFor(r.site);
      const engine::Draft d =
          gen.draft(engine::readDicomImage(r.imagePath, engine::draftDecodeOptions(gen.config().imageSize)), o);
      draftSeconds += d.seconds;
      pred << line(r.id, d.text).dump() << "\n";
      if (ref.is_open()) ref << line(r.id, r.report).dump() << "\n";
      if (states.is_open()) states << statesLine(r, d).dump() << "\n";
    } catch (const std::exception& e) {
      if (failed++ < 5) std::fprintf(stderr, "%s: %s\n", r.imagePath.c_str(), e.what());
    }
    if ((i + 1) % 20 == 0 || i + 1 == chosen.size()) std::fprintf(stderr, "\rdrafted %zu/%zu", i + 1, chosen.size());
  }
  std::fprintf(stderr, "\n");
  if (!pred || (ref.is_open() && !ref) || (states.is_open() && !states)) throw std::runtime_error("writing the JSONL output failed");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const size_t done = chosen.size() - size_t(failed);
  for (const auto& [site, g] : generators)
    std::printf("model for %s: %s\n", site.empty() ? "the other sites" : site.c_str(), g->description().c_str());
  std::printf("split %s:", split.c_str());
  for (const auto& [site, n] : perSite) std::printf(" %s %d", site.c_str(), n);
  std::printf("\n%zu drafts written to %s (%d failed), %.1f s, mean draft %.3f s, %s %d\n", done, predPath.c_str(),
              failed, wall, done ? draftSeconds / double(done) : 0.0, o.beamSize > 1 ? "beam" : "greedy", o.beamSize);
  std::printf("these are machine drafts for evaluation, not reviewed reports\n");
  return done ? 0 : 1;
#endif
}

const CommandRegistration reg(
    {"predict", "draft every study of a data set split and write drafts and references as JSONL for evaluate",
     "--model DIR --data SYNTH_DIR --pred preds.jsonl [--ref refs.jsonl] [--split test] [--sites seen] [--beam N]",
     generateargs::withGenerateOptions(
         {{"data", true, "FL-MRG-Synth folder (manifest.json, one folder per site)"},
          {"pred", true, "output JSONL of the drafts"},
          {"ref", true, "output JSONL of the reference reports"},
          {"split", true, "train, val, test or all (default test)"},
          {"sites", true, "seen, heldout, all or a comma-separated list of site ids (default seen)"},
          {"limit", true, "at most N studies per site"},
          {"states", true, "also write the predicted and the reference states with probabilities as JSONL"}}),
     runPredict});

}  // namespace
}  // namespace fedmrg::cli
