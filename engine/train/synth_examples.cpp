#include "engine/train/synth_examples.h"

#include <filesystem>
#include <fstream>

#include "engine/core/json.h"
#include "engine/model/prompt_builder.h"
#include "engine/text/bpe_tokenizer.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::engine {
namespace fs = std::filesystem;

namespace {
ObservationState parseState(const std::string& s) {
  for (ObservationState st : {ObservationState::Blank, ObservationState::Positive, ObservationState::Negative,
                              ObservationState::Uncertain})
    if (s == stateName(st)) return st;
  throw JsonError("unknown state '" + s + "'");
}
}  // namespace

std::vector<SynthSiteEntry> readSynthSites(const std::string& dataDir) {
  const std::string path = (fs::path(dataDir) / "manifest.json").string();
  std::vector<SynthSiteEntry> out;
  try {
    Json m = Json::parseFile(path);
    for (const Json& s : m.at("sites").asArray()) {
      SynthSiteEntry e;
      e.id = s.at("id").asString();
      e.folder = fs::absolute(fs::path(dataDir) / s.value("folder", e.id.c_str())).string();
      e.heldOut = s.value("held_out", false);
      out.push_back(e);
    }
  } catch (const JsonError& e) {
    throw TrainError(path + ": " + e.what());
  }
  if (out.empty()) throw TrainError(path + ": no sites listed");
  return out;
}

std::vector<SynthRecord> readSynthRecords(const SynthSiteEntry& site, const std::string& split, int* skipped,
                                          std::string* firstProblem) {
  const std::string path = (fs::path(site.folder) / "reports.jsonl").string();
  std::ifstream in(path);
  if (!in) throw TrainError(path + ": cannot open");
  std::vector<SynthRecord> out;
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      Json j = Json::parse(line);
      SynthRecord r;
      r.site = j.value("site", site.id.c_str());
      r.split = j.value("split", "");
      if (!split.empty() && r.split != split) continue;
      r.imagePath = (fs::path(site.folder) / j.at("file").asString()).string();
      r.report = j.at("report").asString();
      if (r.report.empty()) throw JsonError("empty report");
      const Json& labels = j.at("labels");
      for (int i = 0; i < kNumObservations; ++i)
        if (const Json* v = labels.find(observationKey(i))) r.states[size_t(i)] = parseState(v->asString());
      out.push_back(std::move(r));
    } catch (const JsonError& e) {
      if (skipped) ++*skipped;
      if (firstProblem && firstProblem->empty()) *firstProblem = path + ":" + std::to_string(lineNo) + ": " + e.what();
    }
  }
  return out;
}

std::vector<int> promptTokenIds(const ObservationStates& states, const ModelConfig& c, const BpeTokenizer& tok) {
  std::vector<int> ids{tok.tokenId(c.specialTokens.bos)};
  if (ids[0] < 0) throw TrainError("the tokenizer has no '" + c.specialTokens.bos + "' token");
  for (int id : tok.encode(promptText(states, c.prompt.diagnosisPrompt, c.prompt.instruction))) ids.push_back(id);
  return ids;
}

std::vector<int> reportTokenIds(const std::string& report, size_t promptLength, const ModelConfig& c,
                                const BpeTokenizer& tok) {
  const int eos = tok.tokenId(c.specialTokens.eos);
  if (eos < 0) throw TrainError("the tokenizer has no '" + c.specialTokens.eos + "' token");
  std::vector<int> ids = tok.encode(report);
  const long room = long(c.decoder.maxSeqLen) - c.visualPrefixRows() - long(promptLength) - 1;
  if (room < 1) throw TrainError("the prompt leaves no room for the report within decoder.max_seq_len");
  if (long(ids.size()) > room) ids.resize(size_t(room));
  ids.push_back(eos);
  return ids;
}

std::vector<std::string> tokenizerCorpus(const std::vector<SynthRecord>& records, const ModelConfig& c) {
  std::vector<std::string> corpus;
  for (const SynthRecord& r : records) {
    corpus.push_back(r.report);
    corpus.push_back(promptText(r.states, c.prompt.diagnosisPrompt, c.prompt.instruction));
  }
  return corpus;
}

TrainExample buildExample(const SynthRecord& r, const ModelConfig& c, const BpeTokenizer& tok, int siteRow) {
  TrainExample e;
  e.states = r.states;
  e.site = siteRow;
  e.promptIds = promptTokenIds(r.states, c, tok);
  e.reportIds = reportTokenIds(r.report, e.promptIds.size(), c, tok);
#ifdef FEDMRG_HAVE_DCMTK
  std::vector<float> plane;
  try {
    plane = modelInput(readDicomImage(r.imagePath), c.imageSize);
  } catch (const std::exception& ex) {
    throw TrainError(ex.what());
  }
  for (int ch = 0; ch < c.vision.channels; ++ch) e.image.insert(e.image.end(), plane.begin(), plane.end());
#else
  throw TrainError(r.imagePath + ": this build has no DICOM support (DCMTK)");
#endif
  return e;
}

}  // namespace fedmrg::engine
