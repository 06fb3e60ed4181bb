// fedmrg-cli train: trains one site's adapters (generic + specialized) and projection heads; the base is frozen.
#include <cstdio>
#include <filesystem>

#include "app/cli/train_args.h"
#include "engine/text/bpe_tokenizer.h"

namespace fedmrg::cli {
namespace {

int runTrain(const Args& a) {
  const std::string model = a.require("model"), data = a.require("data"), siteId = a.require("site");
  const std::string out = a.require("out");
  engine::TrainOptions o = trainargs::trainOptions(a, 200, 5e-4);
  o.scope = engine::TrainOptions::Scope::Adapters;
  o.numSites = 1;

  engine::Trainer trainer = engine::Trainer::fromFolder(model);
  const engine::ModelConfig& config = trainer.config();
  engine::BpeTokenizer tok = engine::BpeTokenizer::load((std::filesystem::path(model) / "tokenizer.json").string());
  o.padId = tok.padId();

  const std::string split = a.get("split", "train");
  std::vector<engine::SynthRecord> records;
  for (const engine::SynthSiteEntry& site : engine::readSynthSites(data))
    if (site.id == siteId) records = trainargs::siteRecords(site, split, a.getInt("max-per-site", 0));
  if (records.empty()) throw std::runtime_error(data + ": no '" + split + "' studies for site '" + siteId + "'");
  std::vector<engine::TrainExample> examples =
      trainargs::buildExamples(records, std::vector<int>(records.size(), 0), config, tok);

  engine::TrainResult r = trainer.train(examples, o, trainargs::printProgress);
  trainer.save(out, &tok);
  trainargs::writeSummary(a, "train", r, examples.size());
  std::printf("adapters of site %s written to %s\n", siteId.c_str(), out.c_str());
  return 0;
}

const CommandRegistration reg(
    {"train", "train one site's generic and specialized adapters (base weights frozen)",
     "--model DIR --data DIR --site ID --out MODEL_DIR [--split train] [--steps N] [--batch N] [--lr X] ...",
     trainargs::withTrainOptions({{"model", true, "model folder to start from"},
                                  {"site", true, "site id in the data set's manifest"},
                                  {"split", true, "split to train on (default train)"}}),
     runTrain});

}  // namespace
}  // namespace fedmrg::cli
