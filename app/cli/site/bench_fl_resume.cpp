#include "app/cli/site/bench_fl_resume.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "coordinator/round_blobs.h"

namespace fedmrg::cli::benchfl {
namespace fs = std::filesystem;
using engine::Json;

namespace {

constexpr const char* kState = "state-r";
constexpr const char* kBest = "best-r";

// The round number of a folder named <prefix><N>; nullopt for any other name (e.g. a half-written ".tmp").
std::optional<int> roundOf(const fs::path& p, const std::string& prefix) {
  const std::string name = p.filename().string();
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) return std::nullopt;
  for (size_t i = prefix.size(); i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
  return std::stoi(name.substr(prefix.size()));
}

std::string readBytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error(p.string() + ": cannot read");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void writeBytes(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary);
  if (!(f << bytes) || !f.flush()) throw std::runtime_error(p.string() + ": cannot write");
}

std::string feedbackName(size_t site) { return "feedback-" + std::to_string(site) + ".bin"; }

}  // namespace

RunState::RunState(fs::path workDir, std::string configDigest)
    : work_(std::move(workDir)), digest_(std::move(configDigest)) {}

fs::path RunState::bestDir(int round) const { return work_ / (kBest + std::to_string(round)); }

std::optional<int> RunState::latestRound() const {
  std::optional<int> latest;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(work_, ec))
    if (auto r = roundOf(e.path(), kState); r && (!latest || *r > *latest)) latest = r;
  return latest;
}

RunProgress RunState::restore(std::vector<engine::Trainer>& trainers, const std::vector<std::string>& names,
                              federation::InProcessFederation* fed, std::string& note) {
  note.clear();
  if (const std::optional<int> latest = latestRound()) {
    const fs::path dir = work_ / (kState + std::to_string(*latest));
    try {
      const Json j = Json::parseFile((dir / "state.json").string());
      if (j.value("config_digest", "") != digest_) throw std::runtime_error("made with another configuration");
      RunProgress p;
      p.round = int(j.at("round").asInt());
      p.rounds = j.at("rounds");
      p.cumUp = j.at("cumulative_up_bytes").asNumber();
      p.cumDown = j.at("cumulative_down_bytes").asNumber();
      p.seconds = j.at("seconds").asNumber();
      p.bestF1 = j.at("best_val_ce_f1").asNumber();
      p.bestRound = int(j.at("best_round").asInt());
      for (const Json& d : j.at("broadcasts").asArray()) p.broadcasts.push_back(d.asString());
      if (p.round != *latest || int(p.rounds.size()) != p.round || !fs::is_directory(bestDir(p.bestRound)))
        throw std::runtime_error("round " + std::to_string(p.round) + " does not match its folder or kept models");
      for (size_t m = 0; m < trainers.size(); ++m) trainers[m].loadState((dir / (names[m] + ".pt")).string());
      if (fed) {
        const coordinator::RoundBlobs blobs((work_ / "broadcasts").string());
        for (const std::string& d : p.broadcasts) fed->replay(blobs.get(d));
        for (size_t s = 0; s < names.size(); ++s) {
          const fs::path f = dir / feedbackName(s);
          fed->restoreFeedback(s, federation::ErrorFeedback::parse(readBytes(f), f.string()));
        }
      }
      note = "resumed after round " + std::to_string(p.round) + " from " + dir.string();
      return p;
    } catch (const std::exception& e) {
      note = dir.string() + ": cannot resume (" + e.what() + "); the run starts over";
    }
  }
  // A fresh start: nothing of an older run is kept (the caller rebuilds trainers a failed restore touched).
  fs::remove_all(work_);
  return {};
}

std::string RunState::keepBroadcast(const federation::Payload& broadcast) {
  return coordinator::RoundBlobs((work_ / "broadcasts").string()).put(broadcast);
}

void RunState::keepUpload(int round, const std::string& site, const federation::Payload& upload) {
  coordinator::RoundBlobs((work_ / "uploads" / ("r" + std::to_string(round)) / site).string()).put(upload);
}

void RunState::commit(const RunProgress& p, const std::vector<engine::Trainer>& trainers,
                      const std::vector<std::string>& names, const federation::InProcessFederation* fed) {
  const fs::path dir = work_ / (kState + std::to_string(p.round));
  const fs::path tmp = dir.string() + ".tmp";
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  for (size_t m = 0; m < trainers.size(); ++m) trainers[m].saveState((tmp / (names[m] + ".pt")).string());
  if (fed)
    for (size_t s = 0; s < names.size(); ++s) writeBytes(tmp / feedbackName(s), fed->feedback(s).serialize());
  Json j = Json::object();
  j["config_digest"] = digest_;
  j["round"] = p.round;
  j["rounds"] = p.rounds;
  j["cumulative_up_bytes"] = p.cumUp;
  j["cumulative_down_bytes"] = p.cumDown;
  j["seconds"] = p.seconds;
  j["best_val_ce_f1"] = p.bestF1;
  j["best_round"] = p.bestRound;
  Json b = Json::array();
  for (const std::string& d : p.broadcasts) b.push_back(d);
  j["broadcasts"] = b;
  writeBytes(tmp / "state.json", j.dump(1) + "\n");
  fs::rename(tmp, dir);  // the state is whole or absent
  prune(p);
}

void RunState::prune(const RunProgress& p) const {
  for (const auto& e : fs::directory_iterator(work_)) {
    const auto state = roundOf(e.path(), kState), best = roundOf(e.path(), kBest);
    if ((state && *state != p.round) || (best && *best != p.bestRound)) fs::remove_all(e.path());
  }
}

}  // namespace fedmrg::cli::benchfl
