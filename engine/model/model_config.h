#pragma once
// The report model's sizes and switches, read from and written to a model folder's config file (ModelFolder
// owns where it lies; docs/design.md, section 3; fields in docs/model.md). Validation errors name the field and
// the reason.
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/model/decoder_tensors.h"
#include "engine/model/diagnosis_calibration.h"

namespace fedmrg::engine {

class ModelConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct VisionConfig {
  int patch = 16;
  int dim = 192;
  int layers = 4;
  int heads = 3;
  int mlpRatio = 4;
  int channels = 1;
};

struct DecoderConfig {
  int vocabSize = 4000;
  int dim = 256;
  int nLayers = 6;
  int nHeads = 4;
  int nKvHeads = 2;
  int hiddenDim = 688;
  int maxSeqLen = 512;
  double ropeTheta = 10000.0;
  double normEps = 1e-5;
  bool tieEmbeddings = false;
  int headDim() const { return dim / nHeads; }
};

struct LoraConfig {
  int rank = 8;
  double alpha = 16;
  double dropout = 0.05;
  // Projections that carry adapters (decoder_tensors::kProjections names them); by default all of them.
  std::vector<std::string> targets =
      std::vector<std::string>(std::begin(decoder_tensors::kProjections), std::end(decoder_tensors::kProjections));
  bool generic = true;      // the federated adapter exists
  bool specialized = true;  // the site-local adapter exists
  double scale() const { return alpha / rank; }
};

struct ContrastiveConfig {
  int projDim = 128;
  double temperature = 0.07;       // image-report InfoNCE
  double siteTemperature = 0.1;    // site-prototype InfoNCE
  double prototypeMomentum = 0.9;  // running mean of the own site's prototype
};

// One loss term: included when enabled, scaled by weight.
struct LossTerm {
  bool enabled = true;
  double weight = 1.0;
};

struct LossConfig {
  LossTerm lm{true, 1.0};
  LossTerm diagnosis{true, 1.0};
  LossTerm imageReport{true, 0.1};
  LossTerm sitePrototype{true, 0.1};
  LossTerm mutualBoosting{true, 0.5};  // weight of the symmetric KL; the two LM terms use lm.weight
};

struct PromptConfig {
  bool diagnosisPrompt = true;  // put the 14 states between the visual tokens and the instruction
  int tokenGrid = 7;            // visual tokens are average-pooled to tokenGrid x tokenGrid
  bool siteTokens = true;       // append the projected g and s features as two more prefix rows
  std::string instruction = "Write the radiology report.";
};

// Decoding a model was validated with: the defaults of every draft made with this model folder.
struct GenerationDefaults {
  int maxNewTokens = 160;
  int beamSize = 1;
  double repetitionPenalty = 1.0;  // synthetic and real reports repeat "There is no ..." on purpose
  int noRepeatNgramSize = 0;
  double lengthPenalty = 1.0;
};

struct SpecialTokens {
  std::string bos = "<bos>";
  std::string eos = "<eos>";
  std::string pad = "<pad>";
};

struct ModelConfig {
  int imageSize = 224;
  int numObservations = 14;
  int numStates = 4;
  // diagnosis.calibration: decision offsets per observation (absent: the plain argmax, as trained).
  DiagnosisCalibration calibration;
  VisionConfig vision;
  DecoderConfig decoder;
  LoraConfig lora;
  ContrastiveConfig contrastive;
  LossConfig losses;
  PromptConfig prompt;
  GenerationDefaults generation;
  SpecialTokens specialTokens;

  int patchGrid() const { return imageSize / vision.patch; }
  int visualTokens() const { return prompt.tokenGrid * prompt.tokenGrid; }
  // Prefix rows before any text: visual tokens plus the g and s rows.
  int visualPrefixRows() const { return visualTokens() + (prompt.siteTokens ? 2 : 0); }

  // Throws ModelConfigError naming the first bad field ("decoder.n_heads: must divide dim 256").
  void validate() const;
  static ModelConfig fromJson(const Json& j);  // absent fields keep their defaults; validates
  static ModelConfig load(const std::string& path);
  Json toJson() const;
  void save(const std::string& path) const;
  // A tiny configuration for tests and smoke runs (32x32 images, d=32, 2 layers).
  static ModelConfig tiny(int vocabSize);
};

}  // namespace fedmrg::engine
