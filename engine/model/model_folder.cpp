#include "engine/model/model_folder.h"

#include <algorithm>
#include <filesystem>

#include "engine/core/json.h"
#include "engine/core/safetensors.h"
#include "engine/model/report_net.h"
#include "engine/text/bpe_tokenizer.h"

namespace fedmrg::engine {
namespace fs = std::filesystem;
namespace {

// The layout: every file name of a model folder is spelled here and nowhere else.
constexpr const char* kConfigFile = "config.json";
constexpr const char* kWeightsFile = "model.safetensors";
constexpr const char* kTokenizerFile = "tokenizer.json";
constexpr const char* kShardIndexFile = "model.safetensors.index.json";  // LLaMA-family checkpoints only
constexpr const char* kAdapterExtension = ".safetensors";                 // after the adapter's name
constexpr const char* kChestGateFile = "chest_gate.json";
constexpr const char* kProvenanceFile = "provenance.json";
constexpr const char* kTrainingDataField = "training_data";
constexpr const char* kSitesDir = "sites";                        // a federated model's per-site parts
constexpr const char* kSiteHeadsFile = "site_heads.safetensors";  // in sites/<id>/
// The base tensors a FedMRG site trains and keeps (the generic head is federated; the projector is frozen).
constexpr const char* kSiteHeadPrefixes[] = {"heads.site.", "heads.text."};
// Safetensors metadata of the files this class writes.
constexpr const char* kFormatKey = "format";
constexpr const char* kFormatValue = "fedmrg-model";
constexpr const char* kAdapterKey = "adapter";
constexpr const char* kRankKey = "rank";
constexpr const char* kAlphaKey = "alpha";
// The field that tells a Hugging Face LLaMA-family config from ours.
constexpr const char* kLlamaConfigField = "hidden_size";

void writeTensors(const std::map<std::string, torch::Tensor>& tensors, const std::map<std::string, std::string>& meta,
                  const std::string& path) {
  SafetensorsWriter w;
  for (const auto& [k, v] : meta) w.setMetadata(k, v);
  for (const auto& [name, t] : tensors) {
    torch::Tensor c = t.detach().to(torch::kCPU).to(torch::kFloat).contiguous();
    w.addFloat32(name, c.sizes().vec(), c.data_ptr<float>());
  }
  w.write(path);
}

std::map<std::string, torch::Tensor> readTensors(const std::string& path) {
  SafetensorsFile f = SafetensorsFile::open(path);
  std::map<std::string, torch::Tensor> out;
  for (const std::string& name : f.names()) {
    const TensorView& v = f.at(name);
    std::vector<float> data = v.toFloat32();
    out[name] = torch::from_blob(data.data(), {int64_t(data.size())}, torch::kFloat).clone().view(v.shape);
  }
  return out;
}

// Runs f; an error that does not name the file yet (a shape mismatch, a missing tensor) gets the path in front.
template <typename F>
void namingFile(const std::string& path, F&& f) {
  try {
    f();
  } catch (const SafetensorsError&) {
    throw;
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

bool present(const LoraConfig& l, AdapterKind a) { return a == AdapterKind::Generic ? l.generic : l.specialized; }

bool siteHead(const std::string& name) {
  for (const char* prefix : kSiteHeadPrefixes)
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

// A site id names a folder: no path separators, no "." or "..", nothing empty.
void checkSiteId(const std::string& site) {
  if (site.empty() || site == "." || site == ".." || site.find_first_of("/\\") != std::string::npos)
    throw ModelFolderError("'" + site + "' is not a site id");
}

}  // namespace

const char* adapterName(AdapterKind a) { return a == AdapterKind::Generic ? "generic" : "specialized"; }

ModelFolder::ModelFolder(std::string dir) : dir_(std::move(dir)) {}

std::string ModelFolder::file(const char* name) const { return (fs::path(dir_) / name).string(); }
std::string ModelFolder::configPath() const { return file(kConfigFile); }
std::string ModelFolder::weightsPath() const { return file(kWeightsFile); }
std::string ModelFolder::tokenizerPath() const { return file(kTokenizerFile); }
std::string ModelFolder::shardIndexPath() const { return file(kShardIndexFile); }
std::string ModelFolder::chestGatePath() const { return file(kChestGateFile); }
std::string ModelFolder::provenancePath() const { return file(kProvenanceFile); }
std::string ModelFolder::adapterPath(AdapterKind a) const {
  return file((std::string(adapterName(a)) + kAdapterExtension).c_str());
}

std::string ModelFolder::sitesDir() const { return file(kSitesDir); }
std::string ModelFolder::siteDir(const std::string& site) const {
  checkSiteId(site);
  return (fs::path(sitesDir()) / site).string();
}
std::string ModelFolder::siteHeadsPath(const std::string& site) const {
  return (fs::path(siteDir(site)) / kSiteHeadsFile).string();
}

bool ModelFolder::hasSite(const std::string& site) const {
  std::error_code ec;
  return !site.empty() && fs::is_directory(siteDir(site), ec);
}

std::vector<std::string> ModelFolder::sites() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(sitesDir(), ec))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string ModelFolder::adapterPath(AdapterKind a, const std::string& site) const {
  if (a != AdapterKind::Specialized || !hasSite(site)) return adapterPath(a);
  return (fs::path(siteDir(site)) / (std::string(adapterName(a)) + kAdapterExtension)).string();
}

std::vector<std::string> ModelFolder::files() const {
  return {configPath(),
          weightsPath(),
          adapterPath(AdapterKind::Generic),
          adapterPath(AdapterKind::Specialized),
          tokenizerPath(),
          chestGatePath(),
          provenancePath()};
}

ModelFolder::Kind ModelFolder::kind() const {
  const std::string path = configPath();
  std::error_code ec;
  if (!fs::exists(path, ec)) return Kind::None;
  try {
    const Json j = Json::parseFile(path);
    if (j.isObject() && j.contains(kLlamaConfigField)) return Kind::LlamaCheckpoint;
  } catch (const JsonError&) {
    // Not readable as a checkpoint config: loading it as ours names the problem.
  }
  return Kind::Fedmrg;
}

std::string ModelFolder::problem() const {
  std::error_code ec;
  if (dir_.empty() || !fs::is_directory(dir_, ec)) return "no model folder at " + dir_;
  if (!fs::exists(configPath(), ec)) return dir_ + " has no " + kConfigFile;
  return {};
}

ModelConfig ModelFolder::loadConfig() const { return ModelConfig::load(configPath()); }

void ModelFolder::saveConfig(const ModelConfig& config) const {
  fs::create_directories(dir_);
  config.save(configPath());
}

BpeTokenizer ModelFolder::loadTokenizer() const { return BpeTokenizer::load(tokenizerPath()); }

void ModelFolder::saveTokenizer(const BpeTokenizer& tokenizer) const { tokenizer.save(tokenizerPath()); }

bool ModelFolder::hasAdapter(AdapterKind a) const {
  std::error_code ec;
  return fs::exists(adapterPath(a), ec);
}

AdapterInfo ModelFolder::adapterInfo(AdapterKind a, const LoraConfig& config) const {
  const std::string path = adapterPath(a);
  const SafetensorsFile f = SafetensorsFile::open(path);
  AdapterInfo info{a, config.rank, config.alpha};
  const auto& meta = f.metadata();
  try {
    if (auto it = meta.find(kAdapterKey); it != meta.end() && it->second != adapterName(a))
      throw ModelFolderError("metadata '" + std::string(kAdapterKey) + "' says '" + it->second + "', expected '" +
                             adapterName(a) + "'");
    if (auto it = meta.find(kRankKey); it != meta.end()) info.rank = std::stoi(it->second);
    if (auto it = meta.find(kAlphaKey); it != meta.end()) info.alpha = std::stod(it->second);
  } catch (const ModelFolderError& e) {
    throw ModelFolderError(path + ": " + e.what());
  } catch (const std::exception&) {
    throw ModelFolderError(path + ": metadata '" + std::string(kRankKey) + "' or '" + kAlphaKey +
                           "' is not a number");
  }
  return info;
}

bool ModelFolder::hasChestGate() const {
  std::error_code ec;
  return fs::exists(chestGatePath(), ec);
}

ChestGateStatistics ModelFolder::loadChestGate() const { return ChestGateStatistics::load(chestGatePath()); }

void ModelFolder::saveChestGate(const ChestGateStatistics& statistics) const {
  fs::create_directories(dir_);
  statistics.save(chestGatePath());
}

std::string ModelFolder::trainingData() const {
  const std::string path = provenancePath();
  std::error_code ec;
  if (!fs::exists(path, ec)) return {};
  try {
    const Json j = Json::parseFile(path);
    const Json* field = j.isObject() ? j.find(kTrainingDataField) : nullptr;
    if (!field || !field->isString() || field->asString().empty())
      throw ModelFolderError(std::string("no '") + kTrainingDataField + "' statement");
    return field->asString();
  } catch (const std::exception& e) {
    throw ModelFolderError(path + ": " + e.what());
  }
}

void ModelFolder::save(net::ReportNetImpl& m, const BpeTokenizer* tokenizer) const {
  saveConfig(m.config);
  writeTensors(net::baseTensors(m), {{kFormatKey, kFormatValue}}, weightsPath());
  const LoraConfig& l = m.config.lora;
  for (AdapterKind a : kAdapterKinds) {
    if (!present(l, a)) continue;
    const std::map<std::string, std::string> meta{
        {kAdapterKey, adapterName(a)}, {kRankKey, std::to_string(l.rank)}, {kAlphaKey, Json(l.alpha).dump()}};
    writeTensors(net::adapterTensors(m, int(a)), meta, adapterPath(a));
  }
  if (tokenizer) saveTokenizer(*tokenizer);
}

void ModelFolder::importSite(const ModelFolder& siteModel, const std::string& site) const {
  fs::create_directories(siteDir(site));
  SafetensorsWriter heads;
  heads.setMetadata(kFormatKey, kFormatValue);
  const SafetensorsFile weights = SafetensorsFile::open(siteModel.weightsPath());
  int found = 0;
  for (const std::string& name : weights.names()) {
    if (!siteHead(name)) continue;
    const TensorView& v = weights.at(name);
    const std::vector<float> values = v.toFloat32();
    heads.addFloat32(name, v.shape, values.data());
    ++found;
  }
  if (found == 0) throw ModelFolderError(siteModel.weightsPath() + ": no site-local head tensors");
  heads.write(siteHeadsPath(site));
  if (siteModel.hasAdapter(AdapterKind::Specialized))
    fs::copy_file(siteModel.adapterPath(AdapterKind::Specialized), adapterPath(AdapterKind::Specialized, site),
                  fs::copy_options::overwrite_existing);
}

void ModelFolder::loadWeights(net::ReportNetImpl& m, const std::string& site) const {
  loadWeights(m);
  if (!hasSite(site)) return;
  const std::string heads = siteHeadsPath(site);
  namingFile(heads, [&] {
    std::map<std::string, torch::Tensor> t = readTensors(heads);
    for (const auto& [name, v] : t)
      if (!siteHead(name)) throw ModelFolderError("tensor " + name + " is not a site-local head");
    net::loadBaseTensors(m, t, false);
  });
  const std::string path = adapterPath(AdapterKind::Specialized, site);
  std::error_code ec;
  if (present(m.config.lora, AdapterKind::Specialized) && fs::exists(path, ec))
    namingFile(path, [&] { net::loadAdapterTensors(m, int(AdapterKind::Specialized), readTensors(path)); });
}

void ModelFolder::loadWeights(net::ReportNetImpl& m) const {
  const std::string base = weightsPath();
  namingFile(base, [&] { net::loadBaseTensors(m, readTensors(base), true); });
  for (AdapterKind a : kAdapterKinds) {
    const std::string path = adapterPath(a);
    if (present(m.config.lora, a) && hasAdapter(a))
      namingFile(path, [&] { net::loadAdapterTensors(m, int(a), readTensors(path)); });
  }
}

}  // namespace fedmrg::engine
