#include "app/cli/site/bench_fl_run.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/cli/site/bench_fl_eval.h"
#include "app/cli/site/bench_fl_resume.h"
#include "engine/model/model_folder.h"
#include "engine/train/trainer.h"
#include "federation/in_process_federation.h"
#include "federation/round_seeds.h"
#include "federation/site_tensors.h"

namespace fedmrg::cli::benchfl {
namespace fs = std::filesystem;
using engine::HostTensors;
using engine::Json;
using federation::Matrix;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double number(const Json& j, const char* key) { return j.at(key).asNumber(); }

}  // namespace

std::optional<Json> runMethod(const RunInputs& in) {
  const BenchConfig& c = *in.config;
  const Method& method = *in.method;
  const BenchData& data = *in.data;
  const size_t S = data.seen.size();
  const bool central = method.kind == Method::Kind::Centralized;
  const bool federated = method.kind == Method::Kind::Federated;
  const engine::ModelFolder folder(in.modelDir);
  const engine::ModelConfig mc = folder.loadConfig();
  const engine::BpeTokenizer tok = folder.loadTokenizer();

  // Training examples under this method's config (the prompt may be switched off); site s is row s.
  std::vector<std::vector<engine::TrainExample>> train;
  std::vector<engine::TrainExample> pooled;
  for (const SiteData& site : data.seen) {
    train.push_back(retokenized(site.train, mc, tok));
    pooled.insert(pooled.end(), train.back().begin(), train.back().end());
  }

  std::vector<engine::Trainer> trainers;
  const std::vector<std::string> modelNames = [&] {
    std::vector<std::string> n;
    if (central) n.push_back("central");
    else
      for (const SiteData& site : data.seen) n.push_back(site.id);
    return n;
  }();

  engine::TrainOptions o;
  o.scope = engine::TrainOptions::Scope::Adapters;
  o.steps = central ? c.localSteps * int(S) : c.localSteps;  // the same optimizer steps in all
  o.batchSize = c.batch;
  o.learningRate = c.learningRate;
  o.warmupSteps = 0;
  o.minLearningRateRatio = 1.0;  // a constant rate: rounds restart the schedule otherwise
  o.threads = c.threads;
  o.numSites = int(S);
  o.padId = tok.padId();
  o.progressEvery = 1 << 30;
  if (method.proximal) o.proximalMu = c.fedproxMu;

  federation::SiteStart shared;  // what the method federates, with the values every site starts from
  std::unique_ptr<federation::InProcessFederation> fed;
  std::vector<double> weights;
  for (const auto& t : train) weights.push_back(double(t.size()));
  // The state every run starts from: the model folder's weights, the global model at version 0.
  auto startFresh = [&] {
    trainers.clear();
    for (size_t s = 0; s < (central ? 1 : S); ++s) trainers.push_back(engine::Trainer::fromFolder(in.modelDir));
    if (!federated) return;
    shared = federation::siteStart(trainers[0], federation::federatedTensors(trainers[0], *method.strategy));
    federation::CodecPlan plan;
    plan.lowRank = method.lowRank;
    plan.settings.rank = c.codec.rank;
    plan.settings.int8Factors = c.codec.int8;
    plan.settings.zstd = c.codec.zstd;
    plan.seed = in.seed + 1;
    plan.refreshEvery = uint32_t(c.codec.refreshEvery);
    std::vector<std::string> ids;
    for (const SiteData& site : data.seen) ids.push_back(site.id);
    fed = std::make_unique<federation::InProcessFederation>(shared.specs, plan, federation::AggregationSettings{}, ids);
  };
  startFresh();
  int64_t sharedValues = 0;
  for (const auto& spec : shared.specs) sharedValues += spec.rows() * spec.cols();

  const fs::path work(in.workDir);
  RunState state(work, in.configDigest);
  std::string note;
  RunProgress progress = state.restore(trainers, modelNames, fed.get(), note);
  if (progress.round == 0 && !note.empty()) startFresh();  // a failed restore may have changed some trainers
  if (in.onStart) in.onStart(progress.round, note);
  auto saveModels = [&](const fs::path& dir) {
    for (size_t m = 0; m < trainers.size(); ++m) trainers[m].save((dir / modelNames[m]).string(), &tok);
  };
  auto evaluate = [&](const fs::path& dir, bool test) {
    std::vector<std::string> models;
    for (const std::string& name : modelNames) models.push_back((dir / name).string());
    return scoreModels(models, modelNames, data, test, c);
  };

  // What the sites received after the last finished round: their prototypes are the trainers' own.
  std::vector<std::vector<float>> prototypes(S);
  if (federated && method.sharePrototypes && progress.round > 0)
    for (size_t s = 0; s < S; ++s) prototypes[s] = trainers[s].sitePrototype(int(s));
  const auto runStart = Clock::now();
  const double secondsBefore = progress.seconds;
  for (int r = progress.round + 1; r <= c.rounds; ++r) {
    const auto t0 = Clock::now();
    double up = 0, down = 0;
    std::pair<std::string, std::string> digests;  // the round's broadcast and the global model after it
    if (central) {
      o.seed = federation::siteTrainingSeed(in.seed, uint64_t(r), 0);
      trainers[0].train(pooled, o);
    } else {
      for (size_t s = 0; s < S; ++s) {
        o.seed = federation::siteTrainingSeed(in.seed, uint64_t(r), int(s));
        o.externalPrototypes.clear();
        if (method.sharePrototypes)
          for (size_t k = 0; k < S; ++k)
            if (k != s && !prototypes[k].empty()) o.externalPrototypes.emplace_back(int(k), prototypes[k]);
        trainers[s].train(train[s], o);
      }
    }
    if (federated) {
      // The same arithmetic as a site process (federation/site_tensors.h): the trained values since the start,
      // then their change since the global version the round started from.
      std::vector<std::map<std::string, Matrix>> changes(S);
      for (size_t s = 0; s < S; ++s)
        changes[s] = federation::changeSinceGlobal(
            federation::changeSinceStart(shared, trainers[s].namedTensors(false)), fed->global().tensors());
      const federation::InProcessRound round = fed->round(changes, weights);
      for (uint64_t b : round.upBytes) up += double(b);
      down += double(round.broadcastBytes) * double(S);
      for (const auto& [site, why] : round.refused)
        std::fprintf(stderr, "round %d: %s refused: %s\n", r, site.c_str(), why.c_str());
      progress.broadcasts.push_back(state.keepBroadcast(round.broadcast));
      digests = {federation::toHex(federation::payloadDigest(round.broadcast)), fed->global().digestHex()};
      const HostTensors after = federation::startPlusGlobal(shared, fed->global().tensors());
      for (auto& t : trainers) t.setNamedTensors(after);
      if (method.sharePrototypes) {
        // Each site uploads its prototype; each downloads every site's.
        std::map<std::string, std::vector<float>> all;
        for (size_t s = 0; s < S; ++s) {
          prototypes[s] = trainers[s].sitePrototype(int(s));
          if (prototypes[s].empty()) continue;
          all["prototype." + std::to_string(s)] = prototypes[s];
          up += double(federation::denseWireBytes(data.seen[s].id, {{"prototype", prototypes[s]}}));
        }
        if (!all.empty()) down += double(federation::denseWireBytes("coordinator", all)) * double(S);
      }
    }
    const double trainSeconds = since(t0);
    progress.cumUp += up;
    progress.cumDown += down;
    const auto e0 = Clock::now();
    const fs::path current = work / "current";
    fs::remove_all(current);
    saveModels(current);
    Json scores = evaluate(current, false);
    const double f1 = number(scores.at("seen"), "ce_f1");
    if (f1 > progress.bestF1) {  // the first round that reaches the best val CE-F1 is kept
      progress.bestF1 = f1;
      progress.bestRound = r;
      fs::remove_all(state.bestDir(r));
      fs::rename(current, state.bestDir(r));  // the previous round's kept models go once this round is committed
    }
    Json j = Json::object();
    j["round"] = r;
    j["val"] = scores;
    j["up_bytes"] = up;
    j["down_bytes"] = down;
    j["cumulative_up_bytes"] = progress.cumUp;
    j["cumulative_down_bytes"] = progress.cumDown;
    j["train_seconds"] = trainSeconds;
    j["eval_seconds"] = since(e0);
    if (federated) {  // the same on both transports for the same seed (docs/benchmark-fl.md, "Transports")
      j["broadcast_digest"] = digests.first;
      j["model_digest"] = digests.second;
    }
    progress.rounds.push_back(j);
    progress.round = r;
    progress.seconds = secondsBefore + since(runStart);
    state.commit(progress, trainers, modelNames, fed.get());
    if (in.onRound) {
      char line[256];
      std::snprintf(line, sizeof line, "val CE-F1 seen %.3f held-out %.3f  BLEU-4 seen %.3f  up %.1f KB down %.1f KB",
                    f1, number(scores.at("held_out"), "ce_f1"), number(scores.at("seen"), "bleu4"), up / 1024,
                    down / 1024);
      in.onRound(r, line);
    }
    if (r < c.rounds && in.stopNow && in.stopNow()) return std::nullopt;
  }
  fs::remove_all(work / "current");
  // The test studies, scored once, by the models of the round chosen on validation.
  const Json test = evaluate(state.bestDir(progress.bestRound), true);

  Json out = Json::object();
  out["method"] = method.name;
  out["label"] = method.label;
  out["seed"] = double(in.seed);
  out["transport"] = "in-process";
  out["rounds"] = progress.rounds;
  out["best_round"] = progress.bestRound;
  out["selection"] = "round with the best seen-site validation CE-F1; test scored once with its models";
  out["test"] = test;
  out["shared_tensors"] = double(shared.specs.size());
  out["shared_values"] = double(sharedValues);
  out["low_rank"] = method.lowRank;
  out["prototypes_shared"] = method.sharePrototypes;
  out["total_up_bytes"] = progress.cumUp;
  out["total_down_bytes"] = progress.cumDown;
  out["total_bytes"] = progress.cumUp + progress.cumDown;
  out["seconds"] = secondsBefore + since(runStart);
  return out;
}

}  // namespace fedmrg::cli::benchfl
