// fedmrg-cli train: trains one site's adapters (generic + specialized) and projection heads; the base is frozen.
#include <cstdio>
#include <fstream>

#include "app/cli/train_args.h"
#include "engine/model/model_folder.h"
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
  engine::BpeTokenizer tok = engine::ModelFolder(model).loadTokenizer();
  o.padId = tok.padId();

  const std::string split = a.get("split", "train");
  std::vector<engine::SynthRecord> records;
  for (const engine::SynthSiteEntry& site : engine::readSynthSites(data))
    if (site.id == siteId) records = trainargs::siteRecords(site, split, a.getInt("max-per-site", 0));
  if (records.empty()) throw std::runtime_error(data + ": no '" + split + "' studies for site '" + siteId + "'");
  std::vector<engine::TrainExample> examples =
      trainargs::buildExamples(records, std::vector<int>(records.size(), 0), config, tok);
  // Other sites' prototypes (a file: no program exchanges them yet): rows 1.. of the table; this site is row 0.
  if (auto path = a.get("prototypes")) {
    const engine::Json j = engine::Json::parseFile(*path);
    for (const auto& [id, values] : j.at("prototypes").asObject()) {
      if (id == siteId) continue;
      std::vector<float> v;
      for (const engine::Json& x : values.asArray()) v.push_back(float(x.asNumber()));
      o.externalPrototypes.emplace_back(o.numSites++, std::move(v));
    }
    std::printf("%zu other sites' prototypes from %s\n", o.externalPrototypes.size(), path->c_str());
  }

  trainargs::printScopeNotices(config, o.scope);
  engine::TrainResult r = trainer.train(examples, o, trainargs::printProgress);
  trainer.save(out, &tok);
  trainargs::writeSummary(a, "train", r, examples.size());
  if (auto path = a.get("prototype-out")) {
    engine::Json values = engine::Json::array();
    for (float x : trainer.sitePrototype(0)) values.push_back(double(x));
    engine::Json j = engine::Json::object();
    j["prototypes"][siteId] = values;
    std::ofstream out(*path);
    out << j.dump() << "\n";
    if (!out) throw std::runtime_error(*path + ": cannot write");
  }
  std::printf("adapters of site %s written to %s\n", siteId.c_str(), out.c_str());
  return 0;
}

const CommandRegistration reg(
    {"train", "train one site's generic and specialized adapters (base weights frozen)",
     "--model DIR --data DIR --site ID --out MODEL_DIR [--split train] [--steps N] [--batch N] [--lr X] ...",
     trainargs::withTrainOptions({{"model", true, "model folder to start from"},
                                  {"site", true, "site id in the data set's manifest"},
                                  {"split", true, "split to train on (default train)"},
                                  {"prototypes", true, "JSON {\"prototypes\": {site: [floats]}} of other sites"},
                                  {"prototype-out", true, "write this site's prototype in the same format"}}),
     runTrain});

}  // namespace
}  // namespace fedmrg::cli
