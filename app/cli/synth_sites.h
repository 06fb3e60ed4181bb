#pragma once
// Which FL-MRG-Synth sites a command reads (`--sites`), shared by `predict` and `calibrate`. Header-only:
// fedmrg-cli compiles only cmd_*.cpp files of this folder.
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "engine/train/synth_examples.h"

namespace fedmrg::cli::synthsites {

// "seen" (every site that is not held out), "heldout", "all", or a comma-separated list of site ids.
inline std::set<std::string> selectSites(const std::string& data, const std::string& which) {
  const std::vector<engine::SynthSiteEntry> sites = engine::readSynthSites(data);
  std::set<std::string> known, out;
  for (const auto& s : sites) {
    known.insert(s.id);
    if (which == "all" || (which == "seen" && !s.heldOut) || (which == "heldout" && s.heldOut)) out.insert(s.id);
  }
  if (which == "all" || which == "seen" || which == "heldout") return out;
  std::stringstream list(which);
  for (std::string id; std::getline(list, id, ',');) {
    if (!known.count(id)) throw UsageError("--sites: no site '" + id + "' in " + data + "/manifest.json");
    out.insert(id);
  }
  return out;
}

}  // namespace fedmrg::cli::synthsites
