#pragma once
// A real site with signed final reports for the training tests: FL-MRG-Synth studies (DICOM files
// written by engine/synth) imported into an encrypted site, each report saved and signed final with
// the study's own text and labels, and a tiny model folder made through the engine's public API.
#include <QDir>
#include <QFile>
#include <memory>
#include <string>
#include <vector>

#include "app/site/dicom_importer.h"
#include "app/site/draft_service.h"
#include "app/site/finding_labels.h"
#include "app/site/model_versions.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "engine/model/model_config.h"
#include "engine/synth/synth_generator.h"
#include "engine/synth/synth_site.h"
#include "engine/text/bpe_tokenizer.h"
#include "engine/train/synth_examples.h"
#include "engine/train/trainer.h"

namespace fedmrg::testing {

inline constexpr const char* kTrainingPassphrase = "training passphrase";

struct TrainingSite {
  std::unique_ptr<app::Site> site;
  std::vector<int64_t> studies;  // imported, in synth order
  std::vector<engine::SynthRecord> records;
};

// `count` FL-MRG-Synth studies of one site (64 x 64 images) under dir/synth.
inline std::vector<engine::SynthRecord> synthStudies(const QString& dir, int count) {
  engine::SynthOptions o;
  o.outDir = QDir(dir).filePath("synth").toStdString();
  o.studiesPerSite = count;
  o.size = 64;
  o.threads = 1;
  o.sites = {engine::builtinSites().front()};
  o.trainFraction = 1.0;
  o.valFraction = 0.0;
  engine::generateSynthDataset(o);
  const auto sites = engine::readSynthSites(o.outDir);
  return engine::readSynthRecords(sites.front(), "");
}

// A site at dir/site holding the studies; none signed yet.
inline TrainingSite makeTrainingSite(const QString& dir, int count) {
  TrainingSite t;
  t.site = app::Site::create(QDir(dir).filePath("site"), kTrainingPassphrase, "Training Site", "admin", "Admin",
                             "adminpass1");
  t.records = synthStudies(dir, count);
  app::DicomImporter importer(*t.site, 1);
  for (const auto& r : t.records) {
    const auto result = importer.importFiles({QString::fromStdString(r.imagePath)});
    if (result.firstStudyId == 0) throw std::runtime_error(r.imagePath + ": not imported");
    t.studies.push_back(result.firstStudyId);
  }
  return t;
}

// Saves study i's synth report with its labels and signs it final (the chips confirmed).
inline app::ReportVersion signFinal(TrainingSite& t, size_t i) {
  app::ReportService reports(*t.site, 1);
  const auto sections = app::splitReportText(t.records[i].report);
  app::FindingStates chips{};
  for (size_t k = 0; k < chips.size(); ++k) chips[k] = static_cast<app::FindingState>(t.records[i].states[k]);
  reports.save(t.studies[i], sections.findings, sections.impression, app::encodeLabels(chips));
  return reports.sign(t.studies[i], app::ReportStatus::Final, app::ChipsAgainstText::ConfirmedByUser);
}

// A tokenizer that knows the records' texts, and the tiny model config that uses it.
struct TinyModelBasis {
  engine::BpeTokenizer tokenizer;
  engine::ModelConfig config;
};
inline TinyModelBasis tinyModelBasis(const std::vector<engine::SynthRecord>& records) {
  engine::BpeTrainOptions o;
  o.vocabSize = 300;
  o.minFrequency = 1;
  TinyModelBasis b{engine::BpeTokenizer::train(engine::tokenizerCorpus(records, engine::ModelConfig::tiny(300)), o),
                   {}};
  b.config = engine::ModelConfig::tiny(b.tokenizer.vocabSize());
  b.config.decoder.maxSeqLen = 512;  // room for a byte-level prompt of 14 states
  return b;
}

// A tiny model folder (random weights, adapters at zero) whose tokenizer knows the records' texts.
inline void writeTinyTrainingModel(const QString& dir, const std::vector<engine::SynthRecord>& records) {
  const TinyModelBasis b = tinyModelBasis(records);
  engine::Trainer(b.config, 7).save(dir.toStdString(), &b.tokenizer);
}

// A tiny report model overfit on `records`, so that its drafts are report sentences the labeler reads (a random
// tiny model writes bytes with no finding in them, which every version would tie on). Only the base weights
// train: the adapters stay a no-op.
inline void writeTrainedTinyModel(const QString& dir, const std::vector<engine::SynthRecord>& records) {
  const TinyModelBasis b = tinyModelBasis(records);
  const engine::ModelConfig& c = b.config;
  const engine::BpeTokenizer& tok = b.tokenizer;
  std::vector<engine::TrainExample> examples;
  for (const auto& r : records) examples.push_back(engine::buildExample(r, c, tok, 0));
  engine::Trainer t(c, 3);
  engine::TrainOptions o;
  o.steps = 150;
  o.batchSize = int(examples.size());
  o.learningRate = 1e-2;
  o.warmupSteps = 10;
  o.threads = 1;
  t.train(examples, o);
  t.save(dir.toStdString(), &tok);
}

// The same, trained on the FL-MRG-Synth studies of every site in `synthDir`.
inline void writeTrainedTinyModel(const QString& dir, const QString& synthDir) {
  std::vector<engine::SynthRecord> records;
  for (const auto& site : engine::readSynthSites(synthDir.toStdString()))
    for (auto& r : engine::readSynthRecords(site, "")) records.push_back(r);
  writeTrainedTinyModel(dir, records);
}

// Sets the quality gate's held-back period (model_versions.h): every Nth signed report (by report id) is kept
// for the gate and never trained on. A period beyond any test's report ids holds nothing back.
inline void setHeldBackEvery(app::Site& site, int every, int minHeldBack = 20, double margin = 0.02) {
  app::ModelVersions versions(site, 1);
  app::GateSettings s = versions.gateSettings();
  s.heldBackEvery = every;
  s.minHeldBack = minHeldBack;
  s.margin = margin;
  versions.setGateSettings(s);
}
inline constexpr int kHoldNothingBack = 1000000;

}  // namespace fedmrg::testing
