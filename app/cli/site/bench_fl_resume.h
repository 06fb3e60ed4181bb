#pragma once
// Resuming an interrupted FL benchmark run where it stopped (docs/benchmark-fl.md, "Resuming"). After each round
// the run commits what the next round continues from into <work>/state-r<N>/: every model's trainer state
// (parameters, buffers, site-prototype table), each site's error-feedback residuals, and the figures so far
// (per-round scores and bytes, running totals, the best round on validation, the rounds' broadcasts, by digest, in
// <work>/broadcasts/). The folder is written under a temporary name and renamed, so a state is whole or absent;
// the kept round's models stay in <work>/best-r<N>/. A rerun rebuilds the global model by replaying the
// broadcasts, as the coordinator does after a restart, and continues with the next round.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/train/trainer.h"
#include "federation/in_process_federation.h"

namespace fedmrg::cli::benchfl {

// The figures of a run's finished rounds.
struct RunProgress {
  int round = 0;  // the last finished round (0: none)
  engine::Json rounds = engine::Json::array();
  double cumUp = 0, cumDown = 0, seconds = 0;
  double bestF1 = -1;  // seen-site validation CE-F1 of the kept round
  int bestRound = 0;
  std::vector<std::string> broadcasts;  // digests of the rounds' broadcasts, in version order
};

class RunState {
 public:
  // `configDigest`: a state committed under another configuration is not resumed.
  RunState(std::filesystem::path workDir, std::string configDigest);

  // Puts the trainers (in `names` order) and the federation (null for methods that send nothing) back to the last
  // state committed with this configuration and returns its progress; a run without one (or with an unreadable
  // one, said in `note`) starts over in an emptied work folder.
  RunProgress restore(std::vector<engine::Trainer>& trainers, const std::vector<std::string>& names,
                      federation::InProcessFederation* fed, std::string& note);

  // Keeps a round's broadcast for replay; returns its digest for RunProgress::broadcasts.
  std::string keepBroadcast(const federation::Payload& broadcast);
  // Keeps a site's upload of a round in <work>/uploads/r<round>/<site>/ (stored as broadcasts are), so that the
  // bytes counted can be checked against the messages (bench fl --keep-work).
  void keepUpload(int round, const std::string& site, const federation::Payload& upload);
  // Commits the state after round progress.round; then drops older states and kept models of other rounds.
  void commit(const RunProgress& progress, const std::vector<engine::Trainer>& trainers,
              const std::vector<std::string>& names, const federation::InProcessFederation* fed);

  // The model folders of a round kept on validation.
  std::filesystem::path bestDir(int round) const;

 private:
  std::optional<int> latestRound() const;
  void prune(const RunProgress& progress) const;
  std::filesystem::path work_;
  std::string digest_;
};

}  // namespace fedmrg::cli::benchfl
