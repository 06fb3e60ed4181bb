#include "engine/model/model_config.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include "engine/model/decoder_tensors.h"

namespace fedmrg::engine {
namespace {

const std::vector<std::string> kLoraTargets(std::begin(decoder_tensors::kProjections), std::end(decoder_tensors::kProjections));

// Reads fields of one section, naming "section.field" in every error.
class Reader {
 public:
  Reader(const Json* obj, std::string section) : obj_(obj), section_(std::move(section)) {
    if (obj_ && !obj_->isObject()) throw ModelConfigError(section_ + ": must be an object");
  }
  void get(const char* key, int& out) const {
    if (const Json* v = find(key)) {
      if (!v->isNumber()) fail(key, "must be an integer");
      try {
        out = int(v->asInt());
      } catch (const JsonError&) {
        fail(key, "must be an integer");
      }
    }
  }
  void get(const char* key, double& out) const {
    if (const Json* v = find(key)) {
      if (!v->isNumber()) fail(key, "must be a number");
      out = v->asNumber();
    }
  }
  void get(const char* key, bool& out) const {
    if (const Json* v = find(key)) {
      if (!v->isBool()) fail(key, "must be true or false");
      out = v->asBool();
    }
  }
  void get(const char* key, std::string& out) const {
    if (const Json* v = find(key)) {
      if (!v->isString()) fail(key, "must be a string");
      out = v->asString();
    }
  }
  void get(const char* key, std::vector<std::string>& out) const {
    if (const Json* v = find(key)) {
      if (!v->isArray()) fail(key, "must be an array of strings");
      out.clear();
      for (const Json& e : v->asArray()) {
        if (!e.isString()) fail(key, "must be an array of strings");
        out.push_back(e.asString());
      }
    }
  }
  void get(const char* key, LossTerm& out) const {
    if (const Json* v = find(key)) {
      Reader r(v, name(key));
      r.get("enabled", out.enabled);
      r.get("weight", out.weight);
    }
  }
  [[noreturn]] void fail(const char* key, const std::string& why) const {
    throw ModelConfigError("config field " + name(key) + ": " + why);
  }

 private:
  const Json* find(const char* key) const { return obj_ ? obj_->find(key) : nullptr; }
  std::string name(const char* key) const { return section_.empty() ? key : section_ + "." + key; }
  const Json* obj_;
  std::string section_;
};

void require(bool ok, const std::string& field, const std::string& why) {
  if (!ok) throw ModelConfigError("config field " + field + ": " + why);
}

const char* const kStateKeys[4] = {"blank", "positive", "negative", "uncertain"};

// diagnosis.calibration: {"<observation key or name>": [blank, positive, negative, uncertain], ...};
// observations left out keep offsets 0.
DiagnosisCalibration readCalibration(const Json* section) {
  DiagnosisCalibration cal;
  if (!section) return cal;
  const std::string where = "diagnosis.calibration";
  require(section->isObject(), where, "must be an object of observation: [4 offsets]");
  std::array<bool, kNumObservations> seen{};
  for (const auto& [name, value] : section->asObject()) {
    const int i = observationIndex(name);
    const std::string field = where + "." + name;
    require(i >= 0, field, "unknown observation (use a CheXpert name such as 'pleural_effusion')");
    require(!seen[size_t(i)], field, "observation given twice");
    seen[size_t(i)] = true;
    require(value.isArray() && value.size() == 4, field,
            "must be an array of 4 numbers (blank, positive, negative, uncertain)");
    for (size_t k = 0; k < 4; ++k) {
      const Json& v = value.at(k);
      require(v.isNumber() && std::isfinite(v.asNumber()), field + "[" + std::to_string(k) + "]",
              std::string("offset of '") + kStateKeys[k] + "' must be a finite number");
      cal.offsets[size_t(i)][k] = v.asNumber();
    }
  }
  return cal;
}

Json term(const LossTerm& t) {
  Json j = Json::object();
  j["enabled"] = t.enabled;
  j["weight"] = t.weight;
  return j;
}

}  // namespace

void ModelConfig::validate() const {
  require(imageSize > 0, "image_size", "must be positive");
  require(numObservations > 0, "diagnosis.observations", "must be positive");
  require(numStates > 1, "diagnosis.states", "must be at least 2");
  for (int i = 0; i < kNumObservations; ++i)
    for (size_t k = 0; k < 4; ++k)
      require(std::isfinite(calibration.offsets[size_t(i)][k]),
              std::string("diagnosis.calibration.") + observationKey(i) + "[" + std::to_string(k) + "]",
              "must be a finite number");
  require(calibration.isIdentity() || (numObservations == kNumObservations && numStates == 4),
          "diagnosis.calibration", "needs the 14 CheXpert observations x 4 states");
  const VisionConfig& v = vision;
  require(v.patch > 0, "vision.patch", "must be positive");
  require(imageSize % v.patch == 0, "vision.patch", "must divide image_size " + std::to_string(imageSize));
  require(v.dim > 0, "vision.dim", "must be positive");
  require(v.layers >= 0, "vision.layers", "must not be negative");
  require(v.heads > 0 && v.dim % v.heads == 0, "vision.heads", "must be positive and divide vision.dim");
  require(v.mlpRatio > 0, "vision.mlp_ratio", "must be positive");
  require(v.channels > 0, "vision.channels", "must be positive");
  const DecoderConfig& d = decoder;
  require(d.vocabSize > 0, "decoder.vocab_size", "must be positive");
  require(d.dim > 0, "decoder.dim", "must be positive");
  require(d.nLayers > 0, "decoder.n_layers", "must be positive");
  require(d.nHeads > 0 && d.dim % d.nHeads == 0, "decoder.n_heads",
          "must be positive and divide decoder.dim " + std::to_string(d.dim));
  require(d.headDim() % 2 == 0, "decoder.n_heads", "head dimension dim/n_heads must be even for rotary positions");
  require(d.nKvHeads > 0 && d.nHeads % d.nKvHeads == 0, "decoder.n_kv_heads", "must be positive and divide n_heads");
  require(d.hiddenDim > 0, "decoder.hidden_dim", "must be positive");
  require(d.maxSeqLen > 0, "decoder.max_seq_len", "must be positive");
  require(d.ropeTheta > 0, "decoder.rope_theta", "must be positive");
  require(d.normEps > 0, "decoder.norm_eps", "must be positive");
  require(lora.rank > 0, "lora.rank", "must be positive");
  require(lora.alpha > 0, "lora.alpha", "must be positive");
  require(lora.dropout >= 0 && lora.dropout < 1, "lora.dropout", "must be in [0, 1)");
  for (const std::string& t : lora.targets)
    require(std::find(kLoraTargets.begin(), kLoraTargets.end(), t) != kLoraTargets.end(), "lora.targets",
            "unknown projection '" + t + "'");
  require(contrastive.projDim > 0, "contrastive.proj_dim", "must be positive");
  require(contrastive.temperature > 0, "contrastive.temperature", "must be positive");
  require(contrastive.siteTemperature > 0, "contrastive.site_temperature", "must be positive");
  require(contrastive.prototypeMomentum >= 0 && contrastive.prototypeMomentum < 1, "contrastive.prototype_momentum",
          "must be in [0, 1)");
  require(prompt.tokenGrid > 0 && patchGrid() % prompt.tokenGrid == 0, "prompt.token_grid",
          "must divide the patch grid " + std::to_string(patchGrid()));
  require(visualPrefixRows() < d.maxSeqLen, "prompt.token_grid", "prefix does not fit decoder.max_seq_len");
  require(generation.maxNewTokens > 0, "generation.max_new_tokens", "must be positive");
  require(generation.beamSize > 0, "generation.beam_size", "must be positive");
  require(generation.repetitionPenalty > 0, "generation.repetition_penalty", "must be positive");
  require(generation.noRepeatNgramSize >= 0, "generation.no_repeat_ngram_size", "must be 0 (off) or positive");
  require(generation.lengthPenalty > 0, "generation.length_penalty", "must be positive");
  require(!specialTokens.bos.empty() && !specialTokens.eos.empty() && !specialTokens.pad.empty(), "special_tokens",
          "bos, eos and pad must be non-empty");
}

ModelConfig ModelConfig::fromJson(const Json& j) {
  if (!j.isObject()) throw ModelConfigError("config: must be a JSON object");
  ModelConfig c;
  std::string format = "fedmrg-model";
  Reader top(&j, "");
  top.get("format", format);
  if (format != "fedmrg-model") top.fail("format", "expected 'fedmrg-model', got '" + format + "'");
  int version = 1;
  top.get("version", version);
  if (version != 1) top.fail("version", "unsupported version " + std::to_string(version));
  top.get("image_size", c.imageSize);

  Reader diag(j.find("diagnosis"), "diagnosis");
  diag.get("observations", c.numObservations);
  diag.get("states", c.numStates);
  if (const Json* d = j.find("diagnosis")) c.calibration = readCalibration(d->find("calibration"));

  Reader v(j.find("vision"), "vision");
  v.get("patch", c.vision.patch);
  v.get("dim", c.vision.dim);
  v.get("layers", c.vision.layers);
  v.get("heads", c.vision.heads);
  v.get("mlp_ratio", c.vision.mlpRatio);
  v.get("channels", c.vision.channels);

  Reader d(j.find("decoder"), "decoder");
  d.get("vocab_size", c.decoder.vocabSize);
  d.get("dim", c.decoder.dim);
  d.get("n_layers", c.decoder.nLayers);
  d.get("n_heads", c.decoder.nHeads);
  c.decoder.nKvHeads = c.decoder.nHeads;
  d.get("n_kv_heads", c.decoder.nKvHeads);
  d.get("hidden_dim", c.decoder.hiddenDim);
  d.get("max_seq_len", c.decoder.maxSeqLen);
  d.get("rope_theta", c.decoder.ropeTheta);
  d.get("norm_eps", c.decoder.normEps);
  d.get("tie_embeddings", c.decoder.tieEmbeddings);

  Reader l(j.find("lora"), "lora");
  l.get("rank", c.lora.rank);
  l.get("alpha", c.lora.alpha);
  l.get("dropout", c.lora.dropout);
  l.get("targets", c.lora.targets);
  l.get("generic", c.lora.generic);
  l.get("specialized", c.lora.specialized);

  Reader ct(j.find("contrastive"), "contrastive");
  ct.get("proj_dim", c.contrastive.projDim);
  ct.get("temperature", c.contrastive.temperature);
  ct.get("site_temperature", c.contrastive.siteTemperature);
  ct.get("prototype_momentum", c.contrastive.prototypeMomentum);

  Reader ls(j.find("losses"), "losses");
  ls.get("lm", c.losses.lm);
  ls.get("diagnosis", c.losses.diagnosis);
  ls.get("image_report", c.losses.imageReport);
  ls.get("site_prototype", c.losses.sitePrototype);
  ls.get("mutual_boosting", c.losses.mutualBoosting);

  Reader p(j.find("prompt"), "prompt");
  p.get("diagnosis_prompt", c.prompt.diagnosisPrompt);
  p.get("token_grid", c.prompt.tokenGrid);
  p.get("site_tokens", c.prompt.siteTokens);
  p.get("instruction", c.prompt.instruction);

  Reader g(j.find("generation"), "generation");
  g.get("max_new_tokens", c.generation.maxNewTokens);
  g.get("beam_size", c.generation.beamSize);
  g.get("repetition_penalty", c.generation.repetitionPenalty);
  g.get("no_repeat_ngram_size", c.generation.noRepeatNgramSize);
  g.get("length_penalty", c.generation.lengthPenalty);

  Reader st(j.find("special_tokens"), "special_tokens");
  st.get("bos", c.specialTokens.bos);
  st.get("eos", c.specialTokens.eos);
  st.get("pad", c.specialTokens.pad);

  c.validate();
  return c;
}

ModelConfig ModelConfig::load(const std::string& path) {
  Json j;
  try {
    j = Json::parseFile(path);
  } catch (const JsonError& e) {
    throw ModelConfigError(e.what());
  }
  try {
    return fromJson(j);
  } catch (const ModelConfigError& e) {
    throw ModelConfigError(path + ": " + e.what());
  }
}

Json ModelConfig::toJson() const {
  Json j = Json::object();
  j["format"] = "fedmrg-model";
  j["version"] = 1;
  j["image_size"] = imageSize;
  Json& dg = j["diagnosis"];
  dg["observations"] = numObservations;
  dg["states"] = numStates;
  if (!calibration.isIdentity()) {  // written only when set, so uncalibrated configs stay as they were
    Json& cal = dg["calibration"];
    cal = Json::object();
    for (int i = 0; i < kNumObservations; ++i) {
      const auto& row = calibration.offsets[size_t(i)];
      if (row == std::array<double, 4>{}) continue;
      Json offsets = Json::array();
      for (double v : row) offsets.push_back(v);
      cal[observationKey(i)] = offsets;
    }
  }
  Json& v = j["vision"];
  v["patch"] = vision.patch;
  v["dim"] = vision.dim;
  v["layers"] = vision.layers;
  v["heads"] = vision.heads;
  v["mlp_ratio"] = vision.mlpRatio;
  v["channels"] = vision.channels;
  Json& d = j["decoder"];
  d["vocab_size"] = decoder.vocabSize;
  d["dim"] = decoder.dim;
  d["n_layers"] = decoder.nLayers;
  d["n_heads"] = decoder.nHeads;
  d["n_kv_heads"] = decoder.nKvHeads;
  d["hidden_dim"] = decoder.hiddenDim;
  d["max_seq_len"] = decoder.maxSeqLen;
  d["rope_theta"] = decoder.ropeTheta;
  d["norm_eps"] = decoder.normEps;
  d["tie_embeddings"] = decoder.tieEmbeddings;
  Json& l = j["lora"];
  l["rank"] = lora.rank;
  l["alpha"] = lora.alpha;
  l["dropout"] = lora.dropout;
  Json targets = Json::array();
  for (const std::string& t : lora.targets) targets.push_back(t);
  l["targets"] = targets;
  l["generic"] = lora.generic;
  l["specialized"] = lora.specialized;
  Json& ct = j["contrastive"];
  ct["proj_dim"] = contrastive.projDim;
  ct["temperature"] = contrastive.temperature;
  ct["site_temperature"] = contrastive.siteTemperature;
  ct["prototype_momentum"] = contrastive.prototypeMomentum;
  Json& ls = j["losses"];
  ls["lm"] = term(losses.lm);
  ls["diagnosis"] = term(losses.diagnosis);
  ls["image_report"] = term(losses.imageReport);
  ls["site_prototype"] = term(losses.sitePrototype);
  ls["mutual_boosting"] = term(losses.mutualBoosting);
  Json& p = j["prompt"];
  p["diagnosis_prompt"] = prompt.diagnosisPrompt;
  p["token_grid"] = prompt.tokenGrid;
  p["site_tokens"] = prompt.siteTokens;
  p["instruction"] = prompt.instruction;
  Json& g = j["generation"];
  g["max_new_tokens"] = generation.maxNewTokens;
  g["beam_size"] = generation.beamSize;
  g["repetition_penalty"] = generation.repetitionPenalty;
  g["no_repeat_ngram_size"] = generation.noRepeatNgramSize;
  g["length_penalty"] = generation.lengthPenalty;
  Json& st = j["special_tokens"];
  st["bos"] = specialTokens.bos;
  st["eos"] = specialTokens.eos;
  st["pad"] = specialTokens.pad;
  return j;
}

void ModelConfig::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw ModelConfigError(path + ": cannot open for writing");
  out << toJson().dump(2) << "\n";
  if (!out) throw ModelConfigError(path + ": write failed");
}

ModelConfig ModelConfig::tiny(int vocabSize) {
  ModelConfig c;
  c.imageSize = 32;
  c.vision = VisionConfig{8, 32, 1, 2, 2, 1};
  c.decoder.vocabSize = vocabSize;
  c.decoder.dim = 32;
  c.decoder.nLayers = 2;
  c.decoder.nHeads = 4;
  c.decoder.nKvHeads = 2;
  c.decoder.hiddenDim = 64;
  c.decoder.maxSeqLen = 128;
  c.lora.rank = 4;
  c.lora.alpha = 8;
  c.lora.dropout = 0.0;
  c.contrastive.projDim = 16;
  c.prompt.tokenGrid = 2;
  c.validate();
  return c;
}

}  // namespace fedmrg::engine
