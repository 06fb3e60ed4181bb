// fedmrg-cli generate: drafts a report for one DICOM study with a model folder.
#include <cstdio>
#include <fstream>

#include "app/cli/generate_args.h"
#include "engine/core/json.h"
#include "engine/infer/report_generator.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::cli {
namespace {

int runGenerate(const Args& a) {
  const std::string model = a.require("model");
  if (a.positional().size() != 1) throw UsageError("generate needs exactly one DICOM file");
  const std::string file = a.positional()[0];
#ifndef FEDMRG_HAVE_DCMTK
  (void)model;
  throw std::runtime_error(file + ": this build has no DICOM support (DCMTK)");
#else
  engine::ReportGenerator gen(model, generateargs::generatorOptions(a));
  const engine::GenerationOptions o = generateargs::generationOptions(a, gen);

  // Decoded as the workstation's draft path decodes it: checked, at no more than the model's resolution.
  engine::Draft d = gen.draft(engine::readDicomImage(file, engine::draftDecodeOptions(gen.config().imageSize)), o);
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
    engine::Json j = engine::Json::object();
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
    std::ofstream out(*path);
    out << j.dump(2) << "\n";
    if (!out) throw std::runtime_error(*path + ": cannot write");
  }
  return 0;
#endif
}

const CommandRegistration reg(
    {"generate", "draft a report for a DICOM study (prints the draft and the 14 predicted states)",
     "--model DIR [--beam N] [--max-new N] [--json OUT] study.dcm",
     generateargs::withGenerateOptions({{"json", true, "also write the draft and the states as JSON"}}),
     runGenerate});

}  // namespace
}  // namespace fedmrg::cli
