#include "engine/synth/synth_generator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <thread>

#include "engine/core/json.h"
#include "engine/synth/chest_renderer.h"
#include "engine/synth/dicom_writer.h"
#include "engine/synth/report_writer.h"
#include "engine/synth/synth_montage.h"
#include "engine/synth/synth_random.h"
#include "engine/synth/synth_study.h"

namespace fedmrg::engine {
namespace fs = std::filesystem;

std::vector<std::string> synthSplits(uint64_t seed, int siteIndex, int count, double trainFraction,
                                     double valFraction, bool heldOut) {
  // A seeded permutation of the studies; the first ranks train, then val, then test.
  std::vector<int> order(static_cast<size_t>(std::max(count, 0)));
  std::iota(order.begin(), order.end(), 0);
  SynthRng rng(mixSeed(seed, uint64_t(siteIndex) + 1, 0x5B117));
  for (int i = count - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.below(i + 1))]);
  const int nTrain = int(std::lround(count * trainFraction)), nVal = int(std::lround(count * valFraction));
  std::vector<std::string> splits(order.size());
  for (int r = 0; r < count; ++r)
    splits[size_t(order[size_t(r)])] = heldOut ? "test" : (r < nTrain ? "train" : (r < nTrain + nVal ? "val" : "test"));
  return splits;
}

namespace {

Json findingJson(const Finding& f) {
  Json j = Json::object();
  j["uncertain"] = f.uncertain;
  j["severity"] = f.severity;
  j["laterality"] = sideName(f.side);
  if (f.sizeMm > 0) j["size_mm"] = f.sizeMm;
  return j;
}

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

}  // namespace

SynthSummary generateSynthDataset(const SynthOptions& o, const std::function<void(int, int)>& progress) {
  const std::vector<SiteProfile> sites = o.sites.empty() ? builtinSites() : o.sites;
  if (o.outDir.empty()) throw std::runtime_error("synth: no output folder");
  if (o.studiesPerSite < 1) throw std::runtime_error("synth: studies per site must be at least 1");
  if (o.size < 64) throw std::runtime_error("synth: size must be at least 64");
  std::error_code ec;
  fs::create_directories(o.outDir, ec);
  for (const SiteProfile& s : sites) {
    fs::create_directories(fs::path(o.outDir) / s.id / "images", ec);
    if (ec) throw std::runtime_error((fs::path(o.outDir) / s.id).string() + ": cannot create folder: " + ec.message());
  }
  const int perSite = o.studiesPerSite;
  const int total = perSite * int(sites.size());
  std::vector<std::string> lines(static_cast<size_t>(total));
  std::vector<std::vector<std::string>> splits;
  for (size_t s = 0; s < sites.size(); ++s)
    splits.push_back(synthSplits(o.seed, int(s), perSite, o.trainFraction, o.valFraction, sites[s].heldOut));

  std::atomic<int> next{0}, done{0};
  std::atomic<uint64_t> bytes{0};
  std::mutex errorMutex;
  std::exception_ptr error;
  auto worker = [&] {
    for (;;) {
      const int job = next.fetch_add(1);
      if (job >= total) return;
      {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (error) return;
      }
      try {
        const int s = job / perSite, k = job % perSite;
        const SiteProfile& site = sites[size_t(s)];
        const uint64_t seed = studySeed(o.seed, s, k);
        const StudyTruth truth = sampleStudy(site, seed);
        const SynthImage image = renderChest(truth, site.acquisition, o.size);
        const SynthDicomInfo info = synthDicomInfo(seed, site, truth.patient.female, truth.patient.ageYears,
                                                   truth.patient.apView, k + 1);
        char name[32];
        std::snprintf(name, sizeof name, "images/%06d.dcm", k + 1);
        const fs::path file = fs::path(o.outDir) / site.id / name;
        writeSynthDicom(file.string(), image, info, site.acquisition.transferSyntax);
        bytes += uint64_t(fs::file_size(file));
        const SynthReport report = writeSynthReport(truth, site.reporting, mixSeed(seed, 0x8E9047));
        Json j = Json::object();
        j["study_uid"] = info.studyUid;
        j["sop_uid"] = info.sopUid;
        j["file"] = name;
        j["site"] = site.id;
        j["split"] = splits[size_t(s)][size_t(k)];
        j["view"] = info.viewPosition;
        j["sex"] = info.patientSex;
        j["age"] = truth.patient.ageYears;
        j["report"] = report.text;
        Json labels = Json::object();
        for (int i = 0; i < kNumObservations; ++i) labels[observationKey(i)] = stateName(report.states[size_t(i)]);
        j["labels"] = labels;
        Json findings = Json::object();
        for (int i = 1; i < kNumObservations; ++i)
          if (truth.findings[size_t(i)].present) findings[observationKey(i)] = findingJson(truth.findings[size_t(i)]);
        j["findings"] = findings;
        lines[size_t(job)] = j.dump();
        const int d = ++done;
        if (progress) progress(d, total);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  const auto start = std::chrono::steady_clock::now();
  int threads = o.threads > 0 ? o.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min(threads, total);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);

  for (size_t s = 0; s < sites.size(); ++s) {
    std::string text;
    for (int k = 0; k < perSite; ++k) text += lines[s * size_t(perSite) + size_t(k)] + "\n";
    writeText(fs::path(o.outDir) / sites[s].id / "reports.jsonl", text);
  }
  Json manifest = Json::object();
  manifest["name"] = "FL-MRG-Synth";
  manifest["version"] = 1;
  manifest["seed"] = double(o.seed);
  manifest["studies_per_site"] = perSite;
  manifest["image_rows"] = o.size;
  manifest["note"] = "Synthetic data: no real patient. Reports are generated drafts with known labels.";
  Json siteList = Json::array(), heldOut = Json::array();
  for (size_t s = 0; s < sites.size(); ++s) {
    Json sj = siteToJson(sites[s]);
    Json counts = Json::object();
    for (const char* name : {"train", "val", "test"})
      counts[name] = int(std::count(splits[s].begin(), splits[s].end(), name));
    sj["splits"] = counts;
    sj["folder"] = sites[s].id;
    sj["reports"] = sites[s].id + "/reports.jsonl";
    siteList.push_back(sj);
    if (sites[s].heldOut) heldOut.push_back(sites[s].id);
  }
  manifest["sites"] = siteList;
  manifest["held_out_sites"] = heldOut;
  writeText(fs::path(o.outDir) / "manifest.json", manifest.dump(2) + "\n");

  SynthSummary summary;
  summary.studies = total;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.studiesPerSecond = summary.seconds > 0 ? total / summary.seconds : 0;
  summary.bytes = bytes;
  return summary;
}

}  // namespace fedmrg::engine
