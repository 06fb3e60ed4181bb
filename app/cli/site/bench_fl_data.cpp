#include "app/cli/site/bench_fl_data.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "engine/synth/synth_generator.h"

namespace fedmrg::cli::benchfl {
namespace fs = std::filesystem;

std::string ensureDataset(const BenchConfig& c, const std::string& runDir) {
  if (!c.data.dir.empty()) {
    if (!fs::exists(fs::path(c.data.dir) / "manifest.json"))
      throw std::runtime_error(c.data.dir + ": no manifest.json (data.dir must be an FL-MRG-Synth folder)");
    return c.data.dir;
  }
  const std::string dir = (fs::path(runDir) / "data").string();
  if (fs::exists(fs::path(dir) / "manifest.json")) return dir;
  engine::SynthOptions o;
  o.outDir = dir;
  o.studiesPerSite = c.data.studiesPerSite;
  o.size = c.data.size;
  o.seed = c.data.seed;
  o.threads = c.threads;
  std::vector<std::string> wanted = c.data.sites;
  wanted.push_back(c.data.heldOut);
  for (const std::string& id : wanted) {
    bool found = false;
    for (engine::SiteProfile p : engine::builtinSites())
      if (p.id == id) {
        p.heldOut = id == c.data.heldOut;
        o.sites.push_back(p);
        found = true;
      }
    if (!found) throw std::runtime_error("data.sites: FL-MRG-Synth has no built-in site '" + id + "'");
  }
  std::printf("generating FL-MRG-Synth (%d studies per site, %d rows, seed %llu) into %s\n", o.studiesPerSite, o.size,
              (unsigned long long)o.seed, dir.c_str());
  std::fflush(stdout);
  const engine::SynthSummary s = engine::generateSynthDataset(o);
  std::printf("%d studies in %.1f s\n", s.studies, s.seconds);
  return dir;
}

SplitData readSiteSplit(const engine::SynthSiteEntry& site, const std::string& split, size_t skip, int max,
                    const engine::ModelConfig& model, const engine::BpeTokenizer& tok, int row) {
  int skipped = 0;
  std::string problem;
  std::vector<engine::SynthRecord> all = engine::readSynthRecords(site, split, &skipped, &problem);
  if (skipped)
    std::fprintf(stderr, "%s: skipped %d unusable lines (first: %s)\n", site.id.c_str(), skipped, problem.c_str());
  SplitData out;
  for (size_t i = skip; i < all.size() && (max <= 0 || out.records.size() < size_t(max)); ++i) {
    try {
      out.examples.push_back(engine::buildExample(all[i], model, tok, row));
      out.records.push_back(all[i]);
    } catch (const engine::TrainError& e) {
      std::fprintf(stderr, "skipping a study: %s\n", e.what());
    }
  }
  return out;
}

BenchData loadData(const BenchConfig& c, const std::string& dataDir, const engine::ModelConfig& model,
                   const engine::BpeTokenizer& tok) {
  BenchData d;
  d.dir = dataDir;
  const std::vector<engine::SynthSiteEntry> sites = engine::readSynthSites(dataDir);
  auto entry = [&](const std::string& id) {
    for (const auto& s : sites)
      if (s.id == id) return s;
    throw std::runtime_error(dataDir + "/manifest.json: no site '" + id + "' (named in the config's data)");
  };
  for (size_t s = 0; s < c.data.sites.size(); ++s) {
    const engine::SynthSiteEntry e = entry(c.data.sites[s]);
    SiteData site;
    site.id = e.id;
    site.train = readSiteSplit(e, "train", 0, c.data.maxTrainPerSite, model, tok, int(s));
    site.val = readSiteSplit(e, "val", 0, c.data.maxValPerSite, model, tok, int(s));
    site.test = readSiteSplit(e, "test", 0, c.data.maxTestPerSite, model, tok, int(s));
    if (site.train.examples.empty() || site.val.examples.empty() || site.test.examples.empty())
      throw std::runtime_error(dataDir + ": site " + e.id + " lacks train, val or test studies");
    d.seen.push_back(std::move(site));
  }
  const engine::SynthSiteEntry h = entry(c.data.heldOut);
  d.heldOut.id = h.id;
  d.heldOut.val = readSiteSplit(h, "test", 0, c.data.heldOutVal, model, tok, 0);
  d.heldOut.test = readSiteSplit(h, "test", size_t(c.data.heldOutVal), c.data.heldOutTest, model, tok, 0);
  if (d.heldOut.val.examples.empty() || d.heldOut.test.examples.empty())
    throw std::runtime_error(dataDir + ": held-out site " + h.id +
                             " has too few studies for data.held_out_val + a test set");
  return d;
}

std::vector<engine::TrainExample> retokenized(const SplitData& split, const engine::ModelConfig& model,
                                              const engine::BpeTokenizer& tok) {
  std::vector<engine::TrainExample> out = split.examples;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].promptIds = engine::promptTokenIds(out[i].states, model, tok);
    out[i].reportIds = engine::reportTokenIds(split.records[i].report, out[i].promptIds.size(), model, tok);
  }
  return out;
}

}  // namespace fedmrg::cli::benchfl
