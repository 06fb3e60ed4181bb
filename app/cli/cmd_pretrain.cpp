// fedmrg-cli pretrain: central training of the base model on the training splits of the seen sites.
#include <cstdio>
#include <filesystem>

#include "app/cli/train_args.h"
#include "engine/text/bpe_tokenizer.h"

namespace fedmrg::cli {
namespace {

int runPretrain(const Args& a) {
  const std::string data = a.require("data"), out = a.require("out");
  engine::ModelConfig config = a.has("tiny") ? engine::ModelConfig::tiny(4000) : engine::ModelConfig{};
  if (auto path = a.get("config")) config = engine::ModelConfig::load(*path);
  engine::TrainOptions o = trainargs::trainOptions(a, 1000, 1e-3);
  o.scope = engine::TrainOptions::Scope::Base;

  std::vector<engine::SynthRecord> records;
  std::vector<int> rows;
  int siteRow = 0;
  for (const engine::SynthSiteEntry& site : engine::readSynthSites(data)) {
    if (site.heldOut) continue;
    for (auto& r : trainargs::siteRecords(site, "train", a.getInt("max-per-site", 0))) {
      records.push_back(std::move(r));
      rows.push_back(siteRow);
    }
    std::printf("site %s: prototype row %d\n", site.id.c_str(), siteRow);
    ++siteRow;
  }
  if (records.empty()) throw std::runtime_error(data + ": no training studies in the seen sites");
  o.numSites = siteRow;

  engine::BpeTrainOptions to;
  to.vocabSize = int(a.getInt("vocab", config.decoder.vocabSize));
  engine::BpeTokenizer tok = engine::BpeTokenizer::train(engine::tokenizerCorpus(records, config), to);
  config.decoder.vocabSize = tok.vocabSize();
  o.padId = tok.padId();
  std::printf("tokenizer: %d tokens (%d merges) from %zu reports\n", tok.vocabSize(), tok.numMerges(), records.size());

  std::vector<engine::TrainExample> examples = trainargs::buildExamples(records, rows, config, tok);
  engine::Trainer trainer(config, o.seed);
  engine::TrainResult r = trainer.train(examples, o, trainargs::printProgress);
  trainer.save(out, &tok);
  trainargs::writeSummary(a, "pretrain", r, examples.size());
  std::printf("model folder written to %s\n", out.c_str());
  return 0;
}

const CommandRegistration reg(
    {"pretrain", "train the base report model centrally on the seen sites' training splits",
     "--data DIR --out MODEL_DIR [--config cfg.json | --tiny] [--steps N] [--batch N] [--lr X] [--vocab N] ...",
     trainargs::withTrainOptions({{"config", true, "model config.json (default: the built-in default model)"},
                                  {"tiny", false, "a tiny model for smoke tests"},
                                  {"vocab", true, "tokenizer vocabulary size (default: decoder.vocab_size)"}}),
     runPretrain});

}  // namespace
}  // namespace fedmrg::cli
