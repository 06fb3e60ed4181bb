// fedmrg-cli generate: drafts a report for one DICOM study with a model folder.
#include <cstdio>
#include <fstream>
#include <optional>

#include "app/cli/bench_common.h"
#include "app/cli/generate_args.h"
#include "engine/core/json.h"
#include "engine/infer/chest_gate.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_folder.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::cli {
namespace {

// Exit status when the chest gate refuses the image: no draft was written.
constexpr int kNotChest = 3;

engine::Json gateJson(const engine::ChestGateResult& g) {
  engine::Json j = engine::Json::object();
  j["decision"] = engine::chestGateDecisionName(g.decision);
  j["reason"] = g.reason;
  j["score"] = g.score ? engine::Json(*g.score) : engine::Json(nullptr);
  j["accept_below"] = g.acceptBelow;
  j["refuse_above"] = g.refuseAbove;
  return j;
}

void writeJson(const engine::Json& j, const std::string& path) {
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  if (!out) throw std::runtime_error(path + ": cannot write");
}

int runGenerate(const Args& a) {
  if (a.positional().size() != 1) throw UsageError("generate needs exactly one DICOM file");
  // Without --model: the default model installed with the program (<prefix>/share/fedmrg/models/default
  // beside <prefix>/bin), or the checkout's when run from a build folder; said, so the user knows which.
  const std::optional<std::string> chosen = a.get("model");
  const std::string model = chosen ? *chosen : bench::modelFolder(a);
  if (!chosen) std::printf("Model folder: %s (no --model given: the default model)\n", model.c_str());
  const std::string file = a.positional()[0];
#ifndef FEDMRG_HAVE_DCMTK
  (void)model;
  throw std::runtime_error(file + ": this build has no DICOM support (DCMTK)");
#else
  engine::ReportGenerator gen(model, generateargs::generatorOptions(a));
  const engine::GenerationOptions o = generateargs::generationOptions(a, gen);

  const engine::ModelFolder folder(model);
  std::string trainingData = folder.trainingData();
  if (trainingData.empty()) trainingData = engine::ModelFolder::kUnknownTrainingData;
  const std::optional<engine::ChestGateStatistics> stats =
      folder.hasChestGate() ? std::optional(folder.loadChestGate()) : std::nullopt;
  // Decoded as the workstation's draft path decodes it: checked, at no more than the model's resolution.
  const engine::DicomImage image = engine::readDicomImage(file, engine::draftDecodeOptions(gen.config().imageSize));
  const engine::ChestGateResult gate = engine::checkChestImage(gen, stats ? &*stats : nullptr, image);
  engine::Json j = engine::Json::object();
  j["chest_gate"] = gateJson(gate);
  j["training_data"] = trainingData;
  if (!gate.drafts()) {
    std::printf(
        "NO DRAFT: %s does not look like a chest radiograph, and the model drafts only chest radiographs.\n"
        "Chest radiograph check: %s\n",
        file.c_str(), gate.summary().c_str());
    if (auto path = a.get("json")) {
      j["draft"] = false;
      writeJson(j, *path);
    }
    return kNotChest;
  }
  engine::Draft d = gen.draft(image, o);
  std::printf("Chest radiograph check: %s\n", gate.summary().c_str());
  if (gate.decision == engine::ChestGateDecision::Uncertain)
    std::printf("WARNING: the model may not be reading a chest radiograph it knows: %s\n", gate.reason.c_str());
  std::printf("Model trained on: %s\n\n", trainingData.c_str());
  std::printf("DRAFT - machine-generated, not reviewed; a radiologist must check and sign it\n\n%s\n\n", d.text.c_str());
  std::printf("Predicted observations (probability of the predicted state; blank/positive/negative/uncertain):\n");
  for (int i = 0; i < engine::kNumObservations; ++i) {
    const float* p = d.probabilities.data() + i * 4;
    const auto s = d.states[size_t(i)];
    std::printf("  %-27s %-9s %.2f   (%.2f %.2f %.2f %.2f)\n", engine::observationName(i), engine::stateName(s),
                p[int(s)], p[0], p[1], p[2], p[3]);
  }
  std::printf("\n%zu tokens in %.3f s (%s)\n", d.tokens.size(), d.seconds, gen.description().c_str());
  if (auto path = a.get("json")) {
    j["draft"] = true;
    j["text"] = d.text;
    j["prompt"] = d.prompt;
    engine::Json obs = engine::Json::object();
    for (int i = 0; i < engine::kNumObservations; ++i) {
      engine::Json o2 = engine::Json::object();
      o2["state"] = engine::stateName(d.states[size_t(i)]);
      engine::Json probs = engine::Json::array();
      for (int k = 0; k < 4; ++k) probs.push_back(double(d.probabilities[size_t(i * 4 + k)]));
      o2["probabilities"] = probs;
      obs[engine::observationKey(i)] = o2;
    }
    j["observations"] = obs;
    j["seconds"] = d.seconds;
    writeJson(j, *path);
  }
  return 0;
#endif
}

const CommandRegistration reg(
    {"generate",
     "draft a report for a DICOM study (prints the chest check, the model's training data, the draft and the 14 "
     "predicted states; exit status 3 and no draft when the image is not a chest radiograph)",
     "[--model DIR] [--beam N] [--max-new N] [--json OUT] study.dcm",
     generateargs::withGenerateOptions({{"json", true, "also write the draft and the states as JSON"}}), runGenerate});

}  // namespace
}  // namespace fedmrg::cli
