#pragma once
// Turns FL-MRG-Synth studies (manifest.json, <site>/reports.jsonl, DICOM files) into training examples:
// the image at the model's input size, the labels, the tokenized diagnosis prompt and report.
#include <string>
#include <vector>

#include "engine/labeler/observations.h"
#include "engine/train/trainer.h"

namespace fedmrg::engine {

class BpeTokenizer;

struct SynthSiteEntry {
  std::string id;
  std::string folder;  // absolute
  bool heldOut = false;
};

struct SynthRecord {
  std::string site, split;
  std::string imagePath;  // absolute
  std::string report;
  ObservationStates states{};
};

// Reads manifest.json. Throws TrainError naming the file and field.
std::vector<SynthSiteEntry> readSynthSites(const std::string& dataDir);
// A site's studies of one split (empty: every split). Lines that cannot be used are skipped and counted
// in *skipped, with the first reason (file:line) in *firstProblem.
std::vector<SynthRecord> readSynthRecords(const SynthSiteEntry& site, const std::string& split, int* skipped = nullptr,
                                          std::string* firstProblem = nullptr);

// bos + the diagnosis-driven prompt + instruction, as token ids.
std::vector<int> promptTokenIds(const ObservationStates& states, const ModelConfig& config, const BpeTokenizer& tok);
// The report's ids + eos, cut so that prefix + prompt + report fit decoder.max_seq_len.
std::vector<int> reportTokenIds(const std::string& report, size_t promptLength, const ModelConfig& config,
                                const BpeTokenizer& tok);
// The texts a tokenizer for this data should see: reports and every prompt.
std::vector<std::string> tokenizerCorpus(const std::vector<SynthRecord>& records, const ModelConfig& config);

// Reads the record's DICOM (needs DCMTK; throws TrainError naming the file otherwise).
TrainExample buildExample(const SynthRecord& record, const ModelConfig& config, const BpeTokenizer& tok, int siteRow);

}  // namespace fedmrg::engine
