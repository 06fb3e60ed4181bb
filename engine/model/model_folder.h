#pragma once
// The one owner of a model folder's layout: which file holds the config, the base weights, each adapter (with its
// metadata) and the tokenizer, whether a folder is a fedmrg model or a LLaMA-family checkpoint, and reading and
// writing them. Every reader and writer of a model folder goes through this class. No LibTorch types here.
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/model/chest_gate_statistics.h"
#include "engine/model/model_config.h"

namespace fedmrg::engine {

class BpeTokenizer;
namespace net {
class ReportNetImpl;
}

class ModelFolderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The two LoRA adapters of the decoder: the generic one is federated, the specialized one stays at the site.
enum class AdapterKind { Generic, Specialized };
inline constexpr AdapterKind kAdapterKinds[] = {AdapterKind::Generic, AdapterKind::Specialized};
const char* adapterName(AdapterKind a);  // "generic", "specialized"

// What an adapter file says about itself (its safetensors metadata).
struct AdapterInfo {
  AdapterKind kind = AdapterKind::Generic;
  int rank = 0;
  double alpha = 0;
};

class ModelFolder {
 public:
  enum class Kind {
    None,             // no config: not a model folder
    Fedmrg,           // this project's report model: config, base weights, adapters, tokenizer
    LlamaCheckpoint,  // a Hugging Face LLaMA-family checkpoint: its config and one weights file or shards
  };

  explicit ModelFolder(std::string dir);
  const std::string& dir() const { return dir_; }

  // The files of the layout (whether or not they exist).
  std::string configPath() const;
  std::string weightsPath() const;  // base weights (float32); a LLaMA checkpoint's single weights file
  std::string adapterPath(AdapterKind a) const;
  std::string tokenizerPath() const;
  std::string shardIndexPath() const;  // a LLaMA checkpoint's list of weight shards
  std::string chestGatePath() const;   // the chest gate's feature statistics (optional)
  std::string provenancePath() const;  // what the model was trained on (optional)
  // Every file a fedmrg model folder may hold, for copying a folder or describing it (the top level; a federated
  // model's per-site parts are under sitesDir()).
  std::vector<std::string> files() const;

  // A federated model's per-site parts (docs/model.md, "Per-site parts"): what each seen site keeps to itself
  // after FedMRG, under sites/<site id>/: its specialized adapter and its site-local heads (the site head s and
  // the report-text head, base tensors that FedMRG does not share). The top-level files are one complete model
  // (the base, the federated generic adapter and heads, and one site's own parts); a reader that knows nothing of
  // sites/ loads that model. An empty site, or one without a folder, means the top-level files.
  std::string sitesDir() const;
  std::string siteDir(const std::string& site) const;
  std::string siteHeadsPath(const std::string& site) const;
  bool hasSite(const std::string& site) const;
  std::vector<std::string> sites() const;  // the ids with a folder under sites/, sorted
  // The specialized adapter's file for a site: its own when the folder has its parts, else the top-level one.
  std::string adapterPath(AdapterKind a, const std::string& site) const;

  // Kind::LlamaCheckpoint when the config looks like a Hugging Face LLaMA-family config (it has hidden_size).
  Kind kind() const;
  bool isLlamaCheckpoint() const { return kind() == Kind::LlamaCheckpoint; }
  // Empty when the folder can be loaded as a model; else why not, naming the folder or the missing file.
  std::string problem() const;

  // Each throws (ModelConfigError, TokenizerError, SafetensorsError, ModelFolderError) naming the file.
  ModelConfig loadConfig() const;
  void saveConfig(const ModelConfig& config) const;  // creates the folder
  BpeTokenizer loadTokenizer() const;
  void saveTokenizer(const BpeTokenizer& tokenizer) const;
  bool hasAdapter(AdapterKind a) const;
  // The adapter file's metadata; rank and alpha fall back to config's when the file does not say.
  AdapterInfo adapterInfo(AdapterKind a, const LoraConfig& config) const;

  // The chest gate's statistics (ChestGateStatistics); a folder without them has no image check.
  bool hasChestGate() const;
  ChestGateStatistics loadChestGate() const;  // throws ChestGateStatisticsError naming the file
  void saveChestGate(const ChestGateStatistics& statistics) const;

  // The provenance file's statement of the data the model was trained on (e.g. "synthetic images only"),
  // shown with every draft; empty when the folder does not say. Throws ModelFolderError naming the file when
  // the file is there but unreadable or without the statement.
  std::string trainingData() const;
  // What a draft shows when the folder does not say what the model was trained on.
  static constexpr const char* kUnknownTrainingData = "unknown training data";

  // The LibTorch model (training path). save writes the config, the base weights and every adapter the config
  // has (with its metadata), and the tokenizer when given.
  void save(net::ReportNetImpl& model, const BpeTokenizer* tokenizer = nullptr) const;
  // Loads the weights into model: the base weights must hold every base tensor; a missing adapter file leaves that
  // adapter as it is (B = 0 in a fresh model: no adapter). Errors name the file and the tensor.
  void loadWeights(net::ReportNetImpl& model) const;
  // The same, then the site's own parts over them when the folder has them (hasSite).
  void loadWeights(net::ReportNetImpl& model, const std::string& site) const;
  // Takes the complete model folder a site trained (e.g. its FedMRG model) as that site's own parts: copies its
  // specialized adapter and its site-local heads into sites/<site>/. Throws naming the file that is missing.
  void importSite(const ModelFolder& siteModel, const std::string& site) const;

 private:
  std::string file(const char* name) const;
  std::string dir_;
};

}  // namespace fedmrg::engine
