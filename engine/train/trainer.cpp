#include "engine/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include "engine/core/torch_runtime.h"
#include "engine/text/bpe_tokenizer.h"
#include "engine/model/model_folder.h"
#include "engine/train/losses.h"
#include "engine/train/scope_notices.h"

namespace fedmrg::engine {
namespace fs = std::filesystem;

struct Trainer::Impl {
  ModelConfig config;
  net::ReportNet model{nullptr};
  torch::Tensor prototypes;  // [K, p]
  torch::Tensor protoValid;  // [K] bool
  torch::Tensor protoFixed;  // [K] bool: supplied from outside, not updated here

  void ensurePrototypes(int sites) {
    const int64_t p = config.contrastive.projDim;
    if (prototypes.defined() && prototypes.size(0) >= sites) return;
    torch::Tensor np = torch::zeros({sites, p}), nv = torch::zeros({sites}, torch::kBool), nf = nv.clone();
    if (prototypes.defined()) {
      const int64_t k = prototypes.size(0);
      np.narrow(0, 0, k).copy_(prototypes.cpu());
      nv.narrow(0, 0, k).copy_(protoValid.cpu());
      nf.narrow(0, 0, k).copy_(protoFixed.cpu());
    }
    prototypes = np, protoValid = nv, protoFixed = nf;
  }

  // The prototype table under the checkpoint's keys (train()'s checkpoints and saveState share them).
  void writePrototypes(torch::serialize::OutputArchive& ar) const {
    ar.write("prototypes", prototypes);
    ar.write("prototype_valid", protoValid);
    ar.write("prototype_fixed", protoFixed);
  }
  void readPrototypes(torch::serialize::InputArchive& ar) {
    auto readTensor = [&](const char* key) {
      torch::Tensor t;  // undefined: the archive assigns rather than resizing
      ar.read(key, t);
      return t.clone();
    };
    prototypes = readTensor("prototypes");
    protoValid = readTensor("prototype_valid");
    protoFixed = readTensor("prototype_fixed");
  }

  void updatePrototypes(const torch::Tensor& feats, const torch::Tensor& rows, double momentum) {
    torch::NoGradGuard g;
    torch::Tensor f = torch::nn::functional::normalize(feats.cpu(), torch::nn::functional::NormalizeFuncOptions().dim(-1));
    torch::Tensor r = rows.cpu();
    std::vector<int64_t> seen;
    for (int64_t i = 0; i < r.size(0); ++i) {
      int64_t s = r[i].item<int64_t>();
      if (std::find(seen.begin(), seen.end(), s) == seen.end()) seen.push_back(s);
    }
    for (int64_t s : seen) {
      if (protoFixed[s].item<bool>()) continue;
      torch::Tensor mean = f.index_select(0, r.eq(s).nonzero().view({-1})).mean(0);
      if (!protoValid[s].item<bool>()) {
        prototypes[s].copy_(mean);
        protoValid[s] = true;
      } else {
        prototypes[s].copy_(prototypes[s] * momentum + mean * (1.0 - momentum));
      }
    }
  }
};

namespace {

using Clock = std::chrono::steady_clock;

void validateExample(const ModelConfig& c, const TrainExample& e, size_t index, int numSites) {
  auto fail = [&](const std::string& why) { throw TrainError("training example " + std::to_string(index) + ": " + why); };
  const size_t pixels = size_t(c.vision.channels) * size_t(c.imageSize) * size_t(c.imageSize);
  if (e.image.size() != pixels)
    fail("image has " + std::to_string(e.image.size()) + " values, the model needs " + std::to_string(pixels));
  if (e.reportIds.empty()) fail("empty report");
  const size_t len = size_t(c.visualPrefixRows()) + e.promptIds.size() + e.reportIds.size();
  if (len > size_t(c.decoder.maxSeqLen))
    fail("sequence of " + std::to_string(len) + " rows exceeds decoder.max_seq_len " + std::to_string(c.decoder.maxSeqLen));
  for (const std::vector<int>* ids : {&e.promptIds, &e.reportIds})
    for (int id : *ids)
      if (id < 0 || id >= c.decoder.vocabSize) fail("token id " + std::to_string(id) + " outside the vocabulary");
  if (e.site < 0 || e.site >= numSites)
    fail("site " + std::to_string(e.site) + " outside the prototype table of " + std::to_string(numSites) + " sites");
}

train::Batch makeBatch(const ModelConfig& c, const std::vector<TrainExample>& data, const std::vector<size_t>& idx,
                       const torch::Device& dev) {
  const int64_t B = int64_t(idx.size()), C = c.vision.channels, S = c.imageSize;
  torch::Tensor images = torch::empty({B, C, S, S});
  torch::Tensor states = torch::empty({B, int64_t(kNumObservations)}, torch::kLong);
  torch::Tensor sites = torch::empty({B}, torch::kLong);
  train::Batch b;
  for (int64_t i = 0; i < B; ++i) {
    const TrainExample& e = data[idx[size_t(i)]];
    std::copy(e.image.begin(), e.image.end(), images[i].data_ptr<float>());
    for (int k = 0; k < kNumObservations; ++k) states[i][k] = int64_t(e.states[size_t(k)]);
    sites[i] = int64_t(e.site);
    b.prompt.emplace_back(e.promptIds.begin(), e.promptIds.end());
    b.report.emplace_back(e.reportIds.begin(), e.reportIds.end());
  }
  b.images = images.to(dev);
  b.states = states.to(dev);
  b.siteRow = sites.to(dev);
  return b;
}

// Deterministic sample order: a fresh permutation per epoch drawn from the seed.
class Sampler {
 public:
  Sampler(size_t n, uint64_t seed) : n_(n), seed_(seed) {}
  size_t at(uint64_t k) {
    const uint64_t epoch = k / n_;
    if (epoch != epoch_ || perm_.empty()) {
      perm_.resize(n_);
      for (size_t i = 0; i < n_; ++i) perm_[i] = i;
      std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ull + epoch + 1);
      for (size_t i = n_; i > 1; --i) std::swap(perm_[i - 1], perm_[size_t(rng() % i)]);
      epoch_ = epoch;
    }
    return perm_[size_t(k % n_)];
  }

 private:
  size_t n_;
  uint64_t seed_;
  uint64_t epoch_ = 0;
  std::vector<size_t> perm_;
};

double learningRateAt(const TrainOptions& o, int step) {
  if (step < o.warmupSteps) return o.learningRate * double(step + 1) / double(o.warmupSteps);
  const int decay = std::max(1, o.steps - o.warmupSteps);
  const double t = std::min(1.0, double(step - o.warmupSteps) / double(decay));
  const double minLr = o.learningRate * o.minLearningRateRatio;
  return minLr + 0.5 * (o.learningRate - minLr) * (1.0 + std::cos(M_PI * t));
}

void accumulate(TrainLosses& sum, const train::LossValues& v, double w) {
  sum.total += w * v.total;
  sum.lm += w * v.lm;
  sum.diagnosis += w * v.diagnosis;
  sum.imageReport += w * v.imageReport;
  sum.sitePrototype += w * v.sitePrototype;
  sum.mutualBoosting += w * v.mutualBoosting;
}

std::string clockText(double seconds) {
  const long s = long(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

}  // namespace

std::string formatProgress(const TrainProgress& p) {
  char buf[320];
  const TrainLosses& l = p.losses;
  std::snprintf(buf, sizeof buf,
                "step %d/%d  loss %.4f (lm %.4f diag %.4f img-rep %.4f site %.4f mb %.4f)  lr %.2e  %.1f samples/s  "
                "elapsed %s  ETA %s",
                p.step, p.steps, l.total, l.lm, l.diagnosis, l.imageReport, l.sitePrototype, l.mutualBoosting,
                p.learningRate, p.samplesPerSecond, clockText(p.elapsedSeconds).c_str(), clockText(p.etaSeconds).c_str());
  return buf;
}

Trainer::Trainer(std::unique_ptr<Impl> d) : d_(std::move(d)) {}

Trainer::Trainer(const ModelConfig& config, uint64_t seed) : d_(std::make_unique<Impl>()) {
  config.validate();
  torch::manual_seed(seed);
  d_->config = config;
  d_->model = net::ReportNet(config);
}

Trainer Trainer::fromFolder(const std::string& dir) {
  auto d = std::make_unique<Impl>();
  d->model = net::loadReportNet(ModelFolder(dir));
  d->config = d->model->config;
  return Trainer(std::move(d));
}

Trainer::~Trainer() = default;
Trainer::Trainer(Trainer&&) noexcept = default;
Trainer& Trainer::operator=(Trainer&&) noexcept = default;

const ModelConfig& Trainer::config() const { return d_->config; }

TrainResult Trainer::train(const std::vector<TrainExample>& data, const TrainOptions& o,
                           const std::function<bool(const TrainProgress&)>& progress) {
  if (data.empty()) throw TrainError("no training examples");
  if (o.steps <= 0 || o.batchSize <= 0 || o.accumulation <= 0)
    throw TrainError("steps, batch size and accumulation must be positive");
  const ModelConfig& c = d_->config;
  const int sites = std::max(o.numSites, 1);
  for (size_t i = 0; i < data.size(); ++i) validateExample(c, data[i], i, sites);
  configureTorchThreads(o.threads);
  const torch::Device dev(deviceName(resolveDevice(o.device)));

  Impl& d = *d_;
  net::ReportNetImpl& m = *d.model;
  d.ensurePrototypes(sites);
  for (const auto& [row, values] : o.externalPrototypes) {
    if (row < 0 || row >= sites || int64_t(values.size()) != c.contrastive.projDim)
      throw TrainError("external prototype for site " + std::to_string(row) + " has the wrong site or size");
    d.prototypes[row].copy_(torch::tensor(values));
    d.protoValid[row] = true;
    d.protoFixed[row] = true;
  }
  m.to(dev);
  m.train();
  const bool adapters = o.scope == TrainOptions::Scope::Adapters;
  net::setTrainScope(m, adapters ? net::TrainScope::Adapters : net::TrainScope::Base);
  std::vector<torch::Tensor> decay, noDecay;
  for (auto& p : m.parameters())
    if (p.requires_grad()) (p.dim() >= 2 ? decay : noDecay).push_back(p);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                 torch::optim::AdamWOptions(o.learningRate).weight_decay(o.weightDecay)));
  groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(o.learningRate).weight_decay(0.0)));
  torch::optim::AdamW opt(groups, torch::optim::AdamWOptions(o.learningRate));
  std::vector<torch::Tensor> trainable = decay;
  trainable.insert(trainable.end(), noDecay.begin(), noDecay.end());
  // FedProx's anchor: the trainable values this call starts from.
  std::vector<torch::Tensor> anchor;
  if (o.proximalMu > 0)
    for (const auto& p : trainable) anchor.push_back(p.detach().clone());
  auto proximal = [&]() {
    torch::Tensor sum = torch::zeros({}, trainable.front().options());
    for (size_t i = 0; i < trainable.size(); ++i) sum = sum + (trainable[i] - anchor[i]).pow(2).sum();
    return sum * (0.5 * o.proximalMu);
  };

  TrainResult result;
  result.notices = scopeNotices(c, o.scope);
  const std::string ckpt = o.checkpointDir.empty() ? "" : (fs::path(o.checkpointDir) / "checkpoint.pt").string();
  int start = 0;
  if (!ckpt.empty() && o.resume && fs::exists(ckpt)) {
    torch::serialize::InputArchive ar, mAr, oAr;
    ar.load_from(ckpt);
    ar.read("model", mAr);
    m.load(mAr);
    ar.read("optimizer", oAr);
    opt.load(oAr);
    auto readTensor = [&](const char* key) {
      torch::Tensor t;  // undefined: the archive assigns rather than resizing
      ar.read(key, t);
      return t.clone();
    };
    start = int(readTensor("step").item<int64_t>());
    d.readPrototypes(ar);
    m.to(dev);
  }
  auto checkpoint = [&](int step) {
    if (ckpt.empty()) return;
    fs::create_directories(o.checkpointDir);
    torch::serialize::OutputArchive ar, mAr, oAr;
    m.save(mAr);
    opt.save(oAr);
    ar.write("model", mAr);
    ar.write("optimizer", oAr);
    ar.write("step", torch::tensor(int64_t(step)));
    d.writePrototypes(ar);
    ar.save_to(ckpt + ".tmp");
    fs::rename(ckpt + ".tmp", ckpt);
  };

  Sampler sampler(data.size(), o.seed);
  const auto t0 = Clock::now();
  result.startStep = start;
  int step = start;
  for (; step < o.steps; ++step) {
    const double lr = learningRateAt(o, step);
    for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
    torch::manual_seed(o.seed * 1000003ull + uint64_t(step));  // dropout: the same on resume
    opt.zero_grad();
    TrainLosses stepLosses;
    for (int micro = 0; micro < o.accumulation; ++micro) {
      std::vector<size_t> idx;
      const uint64_t first = (uint64_t(step) * uint64_t(o.accumulation) + uint64_t(micro)) * uint64_t(o.batchSize);
      for (int i = 0; i < o.batchSize; ++i) idx.push_back(sampler.at(first + uint64_t(i)));
      train::Batch b = makeBatch(c, data, idx, dev);
      train::LossResult r = train::computeLosses(m, b, o.padId, adapters, d.prototypes.to(dev), d.protoValid.to(dev));
      torch::Tensor total = anchor.empty() ? r.total : r.total + proximal();
      (total / double(o.accumulation)).backward();
      accumulate(stepLosses, r.values, 1.0 / o.accumulation);
      d.updatePrototypes(r.siteFeatures, b.siteRow, c.contrastive.prototypeMomentum);
    }
    if (o.gradClip > 0) torch::nn::utils::clip_grad_norm_(trainable, o.gradClip);
    opt.step();
    if (step == start) result.first = stepLosses;
    result.last = stepLosses;
    result.steps = step + 1;

    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    const int done = step + 1 - start;
    TrainProgress p;
    p.step = step + 1;
    p.steps = o.steps;
    p.losses = stepLosses;
    p.learningRate = lr;
    p.elapsedSeconds = elapsed;
    p.etaSeconds = elapsed / done * (o.steps - step - 1);
    p.samplesPerSecond = double(done) * o.batchSize * o.accumulation / std::max(elapsed, 1e-9);
    if (o.checkpointEvery > 0 && (step + 1) % o.checkpointEvery == 0 && step + 1 < o.steps) checkpoint(step + 1);
    const bool report = progress && (o.progressEvery <= 1 || (step + 1) % o.progressEvery == 0 || step + 1 == o.steps);
    if (report && !progress(p)) {
      result.cancelled = true;
      ++step;
      break;
    }
  }
  checkpoint(step);
  result.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  result.samplesPerSecond =
      double(step - start) * o.batchSize * o.accumulation / std::max(result.seconds, 1e-9);
  m.eval();
  m.to(torch::kCPU);
  return result;
}

TrainLosses Trainer::evaluate(const std::vector<TrainExample>& data, const TrainOptions& o) {
  if (data.empty()) throw TrainError("no examples to evaluate");
  const ModelConfig& c = d_->config;
  for (size_t i = 0; i < data.size(); ++i) validateExample(c, data[i], i, std::max(o.numSites, 1));
  configureTorchThreads(o.threads);
  const torch::Device dev(deviceName(resolveDevice(o.device)));
  net::ReportNetImpl& m = *d_->model;
  d_->ensurePrototypes(std::max(o.numSites, 1));
  m.to(dev);
  m.eval();
  torch::NoGradGuard g;
  TrainLosses sum;
  const bool adapters = o.scope == TrainOptions::Scope::Adapters;
  for (size_t at = 0; at < data.size(); at += size_t(o.batchSize)) {
    std::vector<size_t> idx;
    for (size_t i = at; i < std::min(data.size(), at + size_t(o.batchSize)); ++i) idx.push_back(i);
    train::Batch b = makeBatch(c, data, idx, dev);
    train::LossResult r =
        train::computeLosses(m, b, o.padId, adapters, d_->prototypes.to(dev), d_->protoValid.to(dev));
    accumulate(sum, r.values, double(idx.size()) / double(data.size()));
  }
  m.to(torch::kCPU);
  return sum;
}

void Trainer::save(const std::string& dir, const BpeTokenizer* tokenizer) {
  ModelFolder(dir).save(*d_->model, tokenizer);
}

void Trainer::saveState(const std::string& file) const {
  Impl& d = *d_;
  d.ensurePrototypes(1);  // a model never trained has no table yet
  torch::serialize::OutputArchive ar, mAr;
  d.model->save(mAr);
  ar.write("model", mAr);
  d.writePrototypes(ar);
  ar.save_to(file + ".tmp");
  fs::rename(file + ".tmp", file);
}

void Trainer::loadState(const std::string& file) {
  Impl& d = *d_;
  try {
    torch::serialize::InputArchive ar, mAr;
    ar.load_from(file);
    ar.read("model", mAr);
    d.model->load(mAr);
    d.readPrototypes(ar);
  } catch (const c10::Error& e) {
    throw TrainError(file + ": not a trainer state of this model (" + e.what_without_backtrace() + ")");
  }
  d.model->to(torch::kCPU);
}

std::vector<float> Trainer::sitePrototype(int site) const {
  const Impl& d = *d_;
  if (!d.prototypes.defined() || site < 0 || site >= d.prototypes.size(0) || !d.protoValid[site].item<bool>()) return {};
  torch::Tensor row = d.prototypes[site].contiguous();
  return std::vector<float>(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
}

}  // namespace fedmrg::engine

namespace fedmrg::engine {
namespace {
bool isGenericHead(const std::string& name) { return name.rfind("heads.generic.", 0) == 0; }
}  // namespace

std::vector<std::pair<std::string, int64_t>> Trainer::parameterCounts() const {
  std::vector<std::pair<std::string, int64_t>> out{{"vision", 0},    {"diagnosis", 0},       {"heads", 0},
                                                   {"projector", 0}, {"decoder", 0},         {"generic adapter", 0},
                                                   {"specialized adapter", 0}};
  for (const auto& p : d_->model->named_parameters(true)) {
    const std::string& n = p.key();
    size_t part = 4;
    if (n.find(".generic_lora_") != std::string::npos) part = 5;
    else if (n.find(".specialized_lora_") != std::string::npos) part = 6;
    else if (n.rfind("vision.", 0) == 0) part = 0;
    else if (n.rfind("diagnosis.", 0) == 0) part = 1;
    else if (n.rfind("heads.", 0) == 0) part = 2;
    else if (n.rfind("projector.", 0) == 0) part = 3;
    out[part].second += p.value().numel();
  }
  return out;
}

HostTensors Trainer::federatedTensors() const {
  net::ReportNetImpl& m = *d_->model;
  std::map<std::string, torch::Tensor> all = net::adapterTensors(m, net::kGeneric);
  for (const auto& p : m.named_parameters(true))
    if (isGenericHead(p.key())) all[p.key()] = p.value();
  HostTensors out;
  for (const auto& [name, t] : all) {
    torch::Tensor c = t.detach().to(torch::kCPU).to(torch::kFloat).contiguous();
    out[name] = HostTensor{c.sizes().vec(), std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel())};
  }
  return out;
}

HostTensors Trainer::namedTensors(bool adapterScopeOnly) const {
  HostTensors out;
  for (const auto& p : d_->model->named_parameters(true)) {
    const std::string& n = p.key();
    if (adapterScopeOnly && !net::isAdapterParameter(n) && n.rfind("heads.", 0) != 0) continue;
    torch::Tensor c = p.value().detach().to(torch::kCPU).to(torch::kFloat).contiguous();
    out[n] = HostTensor{c.sizes().vec(), std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel())};
  }
  return out;
}

void Trainer::setNamedTensors(const HostTensors& tensors) {
  auto params = d_->model->named_parameters(true);
  torch::NoGradGuard g;
  for (const auto& [name, h] : tensors) {
    torch::Tensor* p = params.find(name);
    if (!p) throw TrainError("tensor " + name + ": the model has no such parameter");
    if (p->sizes().vec() != h.shape || int64_t(h.values.size()) != p->numel())
      throw TrainError("tensor " + name + ": its shape differs from the model's");
    p->copy_(torch::from_blob(const_cast<float*>(h.values.data()), h.shape, torch::kFloat).to(p->dtype()));
  }
}

void Trainer::setFederatedTensors(const HostTensors& tensors) {
  net::ReportNetImpl& m = *d_->model;
  std::map<std::string, torch::Tensor> adapter, heads;
  for (const auto& [name, h] : tensors) {
    int64_t n = 1;
    for (int64_t s : h.shape) n *= s;
    if (n != int64_t(h.values.size()))
      throw TrainError("federated tensor " + name + ": " + std::to_string(h.values.size()) +
                       " values do not fill its shape");
    torch::Tensor t = torch::from_blob(const_cast<float*>(h.values.data()), h.shape, torch::kFloat).clone();
    (isGenericHead(name) ? heads : adapter)[name] = t;
  }
  try {
    net::loadAdapterTensors(m, net::kGeneric, adapter);
    auto params = m.named_parameters(true);
    for (const auto& [name, t] : heads)
      if (!params.find(name)) throw std::runtime_error("tensor " + name + ": the model has no such head tensor");
    net::loadBaseTensors(m, heads, false);
  } catch (const std::runtime_error& e) {
    throw TrainError(std::string("federated tensors: ") + e.what());
  }
}

}  // namespace fedmrg::engine
