// fedmrg-cli pretrain: central training of the base model on the training splits of the seen sites.
#include <cstdio>

#include "app/cli/train_args.h"
#include "engine/model/model_folder.h"
#include "engine/text/bpe_tokenizer.h"

namespace fedmrg::cli {
namespace {

int runPretrain(const Args& a) {
  const std::string data = a.require("data"), out = a.require("out");
  const auto init = a.get("init");
  if (init && (a.has("config") || a.has("tiny") || a.has("vocab")))
    throw UsageError("--init uses the config and the tokenizer of its folder: leave out --config, --tiny and --vocab");
  engine::ModelConfig config = a.has("tiny") ? engine::ModelConfig::tiny(4000) : engine::ModelConfig{};
  if (auto path = a.get("config")) config = engine::ModelConfig::load(*path);
  if (init) config = engine::ModelFolder(*init).loadConfig();
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
  engine::BpeTokenizer tok =
      init ? engine::ModelFolder(*init).loadTokenizer()
           : engine::BpeTokenizer::train(engine::tokenizerCorpus(records, config), to);
  if (!init) config.decoder.vocabSize = tok.vocabSize();
  o.padId = tok.padId();
  std::printf("tokenizer: %d tokens (%d merges) from %zu reports\n", tok.vocabSize(), tok.numMerges(), records.size());

  std::vector<engine::TrainExample> examples = trainargs::buildExamples(records, rows, config, tok);
  engine::Trainer trainer = init ? engine::Trainer::fromFolder(*init) : engine::Trainer(config, o.seed);
  std::printf("parameters:");
  for (const auto& [part, n] : trainer.parameterCounts()) std::printf(" %s %lld;", part.c_str(), (long long)n);
  std::printf("\n");
  trainargs::printScopeNotices(trainer.config(), o.scope);
  engine::TrainResult r = trainer.train(examples, o, trainargs::printProgress);
  trainer.save(out, &tok);
  trainargs::writeSummary(a, "pretrain", r, examples.size());
  if (a.has("val")) {
    std::vector<engine::SynthRecord> val;
    std::vector<int> valRows;
    int row = 0;
    for (const engine::SynthSiteEntry& site : engine::readSynthSites(data)) {
      if (site.heldOut) continue;
      for (auto& rec : trainargs::siteRecords(site, "val", a.getInt("max-per-site", 0))) {
        val.push_back(std::move(rec));
        valRows.push_back(row);
      }
      ++row;
    }
    if (val.empty()) throw std::runtime_error(data + ": no validation studies in the seen sites");
    const engine::TrainLosses l = trainer.evaluate(trainargs::buildExamples(val, valRows, config, tok), o);
    std::printf("validation (%zu studies): loss %.4f (lm %.4f diag %.4f img-rep %.4f site %.4f)\n", val.size(), l.total,
                l.lm, l.diagnosis, l.imageReport, l.sitePrototype);
  }
  std::printf("model folder written to %s\n", out.c_str());
  return 0;
}

const CommandRegistration reg(
    {"pretrain", "train the base report model centrally on the seen sites' training splits",
     "--data DIR --out MODEL_DIR [--config cfg.json | --tiny] [--steps N] [--batch N] [--lr X] [--vocab N] ...",
     trainargs::withTrainOptions({{"config", true, "model config file, JSON (default: the built-in default model)"},
                                  {"tiny", false, "a tiny model for smoke tests"},
                                  {"init", true, "start from this model folder (its weights, config and tokenizer)"},
                                  {"vocab", true, "tokenizer vocabulary size (default: decoder.vocab_size)"},
                                  {"val", false, "report the mean losses on the val split after training"}}),
     runPretrain});

}  // namespace
}  // namespace fedmrg::cli
