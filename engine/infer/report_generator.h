#pragma once
// The workstation's entry to the report model: load a model folder once, then draft a report from an
// image. Encoder, diagnosis head and projector run in LibTorch; the decoder runs on the fast plain-C++
// path (engine/infer). Thread-safe (one draft at a time per generator), cancellable between stages.
// No LibTorch types in this header.
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/core/torch_runtime.h"
#include "engine/infer/decoder_precision.h"
#include "engine/infer/generation_options.h"
#include "engine/labeler/observations.h"
#include "engine/model/model_config.h"

namespace fedmrg::engine {

struct DicomImage;

struct Draft {
  std::string text;                 // the generated report: a draft for a radiologist to review
  ObservationStates states{};       // predicted state per observation (argmax, after diagnosis.calibration)
  std::vector<float> probabilities; // [14 x 4] row-major, softmax over the states (the model's, uncalibrated)
  std::string prompt;               // the diagnosis-driven prompt the decoder was given
  std::vector<int> tokens;          // generated ids without the end token
  bool endedWithEos = false;
  bool cancelled = false;           // true: text is empty
  double seconds = 0;
};

class GeneratorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ReportGenerator {
 public:
  struct Options {
    bool generic = true;      // merge the generic adapter when the folder has it
    bool specialized = true;  // merge the specialized adapter when the folder has it
    // A federated model's seen site whose own parts (sites/<id>/: specialized adapter, site heads) to use; empty,
    // or a site without parts: the folder's top-level model.
    std::string site;
    int threads = 0;          // fast decoder threads; 0: every core
    int torchThreads = -1;    // LibTorch threads (process-wide!); 0: every core; < 0: leave as they are
    // Device of the LibTorch part (encoder, diagnosis head, projector); Auto: CUDA when this LibTorch build has a
    // GPU. The decoder always runs on the CPU fast path: at batch 1 a decode step is ~30 small matrix-vector
    // products, which a GPU spends in kernel launches rather than arithmetic.
    ComputeDevice device = ComputeDevice::Cpu;
    // Storage of the decoder's matrices: F32 (exact; what the parity tests check) or F16 (half the bytes read per
    // token, so faster when other work on the machine evicts the weights from cache; logits within ~1e-3).
    DecoderPrecision decoderPrecision = DecoderPrecision::F32;
  };
  // Throws GeneratorError naming the folder and the reason (missing file, bad config, shapes).
  explicit ReportGenerator(const std::string& modelDir);
  ReportGenerator(const std::string& modelDir, const Options& options);
  ~ReportGenerator();
  ReportGenerator(const ReportGenerator&) = delete;
  ReportGenerator& operator=(const ReportGenerator&) = delete;

  const ModelConfig& config() const;
  std::string description() const;  // what was loaded (folder kind and merged adapter files), for logs

  // image: channels x image_size x image_size values in [0, 1] (engine::modelInput's output).
  // promptStates: when given, the prompt uses these states (e.g. findings the radiologist set) instead of
  // the predicted ones; the returned states and probabilities stay the model's prediction.
  Draft draftFromPixels(const std::vector<float>& image, const GenerationOptions& options,
                        const std::atomic<bool>* cancel = nullptr,
                        const ObservationStates* promptStates = nullptr) const;
#ifdef FEDMRG_HAVE_DCMTK
  Draft draft(const DicomImage& image, const GenerationOptions& options, const std::atomic<bool>* cancel = nullptr,
              const ObservationStates* promptStates = nullptr) const;
#endif
  // Drafts of several images at once (the benchmark's evaluation): the encoder runs on the batch and greedy
  // decoding advances every draft in one pass over the weights per token (generateGreedyBatch). Greedy only
  // (options.beamSize 1); each draft is draftFromPixels's up to float rounding (the batched kernels sum in another
  // order). Prompts use the predicted states.
  std::vector<Draft> draftBatchFromPixels(const std::vector<std::vector<float>>& images,
                                          const GenerationOptions& options) const;
  // The diagnosis head alone (no decoding) for a batch of images, each as draftFromPixels takes it; returns
  // one row-major [14 x 4] probability vector per image (uncalibrated: decide with decideStates).
  std::vector<std::vector<float>> diagnoseFromPixels(const std::vector<std::vector<float>>& images) const;
  // The encoder's pooled feature v (vision.dim values) of each image: what the chest gate measures.
  std::vector<std::vector<float>> pooledFeatures(const std::vector<std::vector<float>>& images) const;
#ifdef FEDMRG_HAVE_DCMTK
  // The model's input for a DICOM image: resampled to image_size, repeated over the channels.
  std::vector<float> pixels(const DicomImage& image) const;
#endif
  // Greedy options with the model's end token and a length limit that fits max_seq_len.
  GenerationOptions defaultOptions() const;

 private:
  std::vector<std::vector<float>> encodeBatch(const std::vector<std::vector<float>>& images, bool pooled) const;
  // One image's decoder prefix (visual rows, then the prompt's token embeddings) from its encoder outputs; fills
  // the draft's probabilities, states and prompt.
  std::vector<float> prefixRows(const float* probabilities, size_t probabilityCount, const float* visual, int visualRows,
                                Draft& draft, const ObservationStates* promptStates, int& rows) const;
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace fedmrg::engine
