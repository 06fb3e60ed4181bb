#include "engine/infer/report_generator.h"

#include <chrono>
#include <mutex>

#include "engine/core/torch_runtime.h"
#include "engine/infer/fast_decoder.h"
#include "engine/infer/generator.h"
#include "engine/infer/model_loader.h"
#include "engine/model/diagnosis_calibration.h"
#include "engine/model/model_folder.h"
#include "engine/model/prompt_builder.h"
#include "engine/model/report_net.h"
#include "engine/text/bpe_tokenizer.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::engine {
namespace {

// The images of a batch back to back, each checked to have the model's number of values.
std::vector<float> stackImages(const std::vector<std::vector<float>>& images, size_t pixels) {
  std::vector<float> batch;
  batch.reserve(pixels * images.size());
  for (size_t i = 0; i < images.size(); ++i) {
    if (images[i].size() != pixels)
      throw GeneratorError("image " + std::to_string(i) + " has " + std::to_string(images[i].size()) +
                           " values, the model needs " + std::to_string(pixels));
    batch.insert(batch.end(), images[i].begin(), images[i].end());
  }
  return batch;
}

}  // namespace

struct ReportGenerator::Impl {
  ModelConfig config;
  net::ReportNet model{nullptr};
  BpeTokenizer tokenizer;
  std::unique_ptr<FastDecoder> decoder;
  std::string description;
  torch::Device device{torch::kCPU};
  mutable std::mutex mutex;
};

ReportGenerator::ReportGenerator(const std::string& modelDir) : ReportGenerator(modelDir, Options{}) {}

ReportGenerator::ReportGenerator(const std::string& modelDir, const Options& o) : d_(std::make_unique<Impl>()) {
  try {
    if (o.torchThreads >= 0) configureTorchThreads(o.torchThreads);
    const ModelFolder folder(modelDir);
    d_->model = net::loadReportNet(folder, o.site);
    d_->model->eval();
    d_->config = d_->model->config;
    {  // The fast decoder holds the decoder: drop LibTorch's copy (only the encoder side runs here).
      torch::NoGradGuard noGrad;
      for (auto& p : d_->model->decoder->parameters()) p.set_data(torch::empty({0}));
    }
    d_->device = torch::Device(deviceName(resolveDevice(o.device)));
    d_->model->to(d_->device);
    d_->tokenizer = folder.loadTokenizer();
    if (d_->tokenizer.vocabSize() > d_->config.decoder.vocabSize)
      throw GeneratorError("tokenizer has " + std::to_string(d_->tokenizer.vocabSize()) +
                           " tokens, more than decoder.vocab_size " + std::to_string(d_->config.decoder.vocabSize));
    LoadedDecoder ld = loadDecoder(modelDir, AdapterChoice{o.generic, o.specialized, o.site});
    d_->decoder = std::make_unique<FastDecoder>(ld.config, ld.weights, o.threads, o.decoderPrecision);
    d_->description = ld.description;
  } catch (const GeneratorError& e) {
    throw GeneratorError(modelDir + ": " + e.what());
  } catch (const std::exception& e) {
    throw GeneratorError(std::string("cannot load the model in ") + modelDir + ": " + e.what());
  }
}

ReportGenerator::~ReportGenerator() = default;

const ModelConfig& ReportGenerator::config() const { return d_->config; }
std::string ReportGenerator::description() const { return d_->description; }

GenerationOptions ReportGenerator::defaultOptions() const {
  GenerationOptions o;
  const GenerationDefaults& g = d_->config.generation;
  o.eosToken = d_->tokenizer.tokenId(d_->config.specialTokens.eos);
  o.maxNewTokens = g.maxNewTokens;
  o.beamSize = g.beamSize;
  o.repetitionPenalty = float(g.repetitionPenalty);
  o.noRepeatNgramSize = g.noRepeatNgramSize;
  o.lengthPenalty = float(g.lengthPenalty);
  return o;
}

std::vector<std::vector<float>> ReportGenerator::diagnoseFromPixels(const std::vector<std::vector<float>>& images) const {
  return encodeBatch(images, false);
}

std::vector<std::vector<float>> ReportGenerator::pooledFeatures(const std::vector<std::vector<float>>& images) const {
  return encodeBatch(images, true);
}

// The encoder over a batch: per image, the pooled feature (pooled) or the head's softmax probabilities.
std::vector<std::vector<float>> ReportGenerator::encodeBatch(const std::vector<std::vector<float>>& images,
                                                             bool pooled) const {
  const ModelConfig& c = d_->config;
  const size_t pixels = size_t(c.vision.channels) * size_t(c.imageSize) * size_t(c.imageSize);
  std::vector<float> batch = stackImages(images, pixels);
  std::vector<std::vector<float>> out;
  if (images.empty()) return out;
  std::lock_guard<std::mutex> lock(d_->mutex);
  torch::NoGradGuard noGrad;
  torch::Tensor img = torch::from_blob(batch.data(),
                                       {int64_t(images.size()), int64_t(c.vision.channels), int64_t(c.imageSize),
                                        int64_t(c.imageSize)},
                                       torch::kFloat);
  const net::Encoded e = d_->model->encode(img.to(d_->device));
  torch::Tensor probs = (pooled ? e.pooled : torch::softmax(e.diagLogits, -1)).to(torch::kCPU).contiguous();
  const int64_t per = probs.numel() / int64_t(images.size());
  const float* p = probs.data_ptr<float>();
  for (size_t i = 0; i < images.size(); ++i) out.emplace_back(p + int64_t(i) * per, p + int64_t(i + 1) * per);
  return out;
}

std::vector<float> ReportGenerator::prefixRows(const float* probabilities, size_t probabilityCount,
                                               const float* visual, int visualRows, Draft& draft,
                                               const ObservationStates* promptStates, int& nRows) const {
  const ModelConfig& c = d_->config;
  const int dim = c.decoder.dim;
  draft.probabilities.assign(probabilities, probabilities + probabilityCount);
  draft.states = decideStates(draft.probabilities, c.calibration);
  std::vector<float> rows(visual, visual + size_t(visualRows) * size_t(dim));
  nRows = visualRows;
  draft.prompt = promptText(promptStates ? *promptStates : draft.states, c.prompt.diagnosisPrompt, c.prompt.instruction);
  std::vector<int> ids{d_->tokenizer.tokenId(c.specialTokens.bos)};
  for (int id : d_->tokenizer.encode(draft.prompt)) ids.push_back(id);
  for (int id : ids) {
    const float* e = d_->decoder->tokenEmbedding(id);
    rows.insert(rows.end(), e, e + dim);
    ++nRows;
  }
  return rows;
}

Draft ReportGenerator::draftFromPixels(const std::vector<float>& image, const GenerationOptions& options,
                                       const std::atomic<bool>* cancel, const ObservationStates* promptStates) const {
  const ModelConfig& c = d_->config;
  const size_t pixels = size_t(c.vision.channels) * size_t(c.imageSize) * size_t(c.imageSize);
  if (image.size() != pixels)
    throw GeneratorError("image has " + std::to_string(image.size()) + " values, the model needs " +
                         std::to_string(pixels));
  std::lock_guard<std::mutex> lock(d_->mutex);
  const auto t0 = std::chrono::steady_clock::now();
  Draft draft;
  auto cancelled = [&] {
    if (!cancel || !cancel->load()) return false;
    draft.cancelled = true;
    return true;
  };
  if (cancelled()) return draft;

  std::vector<float> rows;
  int nRows = 0;
  {
    torch::NoGradGuard noGrad;
    torch::Tensor img = torch::from_blob(const_cast<float*>(image.data()),
                                         {1, int64_t(c.vision.channels), int64_t(c.imageSize), int64_t(c.imageSize)},
                                         torch::kFloat);
    net::Encoded e = d_->model->encode(img.to(d_->device));
    torch::Tensor probs = torch::softmax(e.diagLogits, -1).to(torch::kCPU).contiguous();
    torch::Tensor prefix = d_->model->visualPrefix(e).to(torch::kCPU).contiguous();
    rows = prefixRows(probs.data_ptr<float>(), size_t(probs.numel()), prefix.data_ptr<float>(), int(prefix.size(1)),
                      draft, promptStates, nRows);
  }
  if (cancelled()) return draft;
  GenerationResult r;
  try {
    r = generate(*d_->decoder, rows.data(), nRows, options);
  } catch (const DecoderError& e) {
    throw GeneratorError(e.what());
  }
  if (cancelled()) return draft;
  draft.tokens = r.tokens;
  draft.endedWithEos = r.endedWithEos;
  draft.text = d_->tokenizer.decode(r.tokens, true);
  draft.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return draft;
}

std::vector<Draft> ReportGenerator::draftBatchFromPixels(const std::vector<std::vector<float>>& images,
                                                        const GenerationOptions& options) const {
  if (options.beamSize > 1)
    throw GeneratorError("batched drafts are greedy; beam size " + std::to_string(options.beamSize) + " was asked");
  const ModelConfig& c = d_->config;
  const size_t pixels = size_t(c.vision.channels) * size_t(c.imageSize) * size_t(c.imageSize);
  std::vector<Draft> drafts(images.size());
  if (images.empty()) return drafts;
  std::vector<float> batch = stackImages(images, pixels);
  std::lock_guard<std::mutex> lock(d_->mutex);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::vector<float>> prefixes(images.size());
  std::vector<int> rows(images.size());
  {
    torch::NoGradGuard noGrad;
    torch::Tensor img = torch::from_blob(batch.data(),
                                         {int64_t(images.size()), int64_t(c.vision.channels), int64_t(c.imageSize),
                                          int64_t(c.imageSize)},
                                         torch::kFloat);
    net::Encoded e = d_->model->encode(img.to(d_->device));
    torch::Tensor probs = torch::softmax(e.diagLogits, -1).to(torch::kCPU).contiguous();
    torch::Tensor prefix = d_->model->visualPrefix(e).to(torch::kCPU).contiguous();
    const int64_t n = int64_t(images.size()), probsPer = probs.numel() / n, prefixPer = prefix.numel() / n;
    for (int64_t i = 0; i < n; ++i)
      prefixes[size_t(i)] = prefixRows(probs.data_ptr<float>() + i * probsPer, size_t(probsPer),
                                       prefix.data_ptr<float>() + i * prefixPer, int(prefix.size(1)),
                                       drafts[size_t(i)], nullptr, rows[size_t(i)]);
  }
  std::vector<const float*> starts;
  for (const auto& p : prefixes) starts.push_back(p.data());
  std::vector<GenerationResult> results;
  try {
    results = generateGreedyBatch(*d_->decoder, starts, rows, options);
  } catch (const DecoderError& e) {
    throw GeneratorError(e.what());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (size_t i = 0; i < drafts.size(); ++i) {
    drafts[i].tokens = results[i].tokens;
    drafts[i].endedWithEos = results[i].endedWithEos;
    drafts[i].text = d_->tokenizer.decode(results[i].tokens, true);
    drafts[i].seconds = seconds / double(drafts.size());  // the batch's time, shared
  }
  return drafts;
}

#ifdef FEDMRG_HAVE_DCMTK
std::vector<float> ReportGenerator::pixels(const DicomImage& image) const {
  const ModelConfig& c = d_->config;
  std::vector<float> plane = modelInput(image, c.imageSize);
  std::vector<float> input;
  input.reserve(plane.size() * size_t(c.vision.channels));
  for (int ch = 0; ch < c.vision.channels; ++ch) input.insert(input.end(), plane.begin(), plane.end());
  return input;
}

Draft ReportGenerator::draft(const DicomImage& image, const GenerationOptions& options,
                             const std::atomic<bool>* cancel, const ObservationStates* promptStates) const {
  return draftFromPixels(pixels(image), options, cancel, promptStates);
}
#endif

}  // namespace fedmrg::engine
