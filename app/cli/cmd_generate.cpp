// fedmrg-cli generate: drafts a report for one DICOM study with a model folder.
#include <cstdio>
#include <fstream>

#include "app/cli/cli.h"
#include "engine/core/json.h"
#include "engine/model/report_generator.h"
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
  engine::ReportGenerator::Options go;
  go.generic = !a.has("no-generic");
  go.specialized = !a.has("no-specialized");
  go.threads = int(a.getInt("threads", 0));
  go.torchThreads = int(a.getInt("encoder-threads", 1));
  engine::ReportGenerator gen(model, go);
  engine::GenerationOptions o = gen.defaultOptions();
  o.beamSize = int(a.getInt("beam", o.beamSize));
  o.maxNewTokens = int(a.getInt("max-new", o.maxNewTokens));
  o.minNewTokens = int(a.getInt("min-new", o.minNewTokens));
  o.repetitionPenalty = float(a.getDouble("repetition-penalty", o.repetitionPenalty));
  o.noRepeatNgramSize = int(a.getInt("no-repeat-ngram", o.noRepeatNgramSize));
  o.lengthPenalty = float(a.getDouble("length-penalty", o.lengthPenalty));
  if (o.beamSize < 1 || o.maxNewTokens < 1) throw UsageError("--beam and --max-new must be >= 1");

  engine::Draft d = gen.draft(engine::readDicomImage(file), o);
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
     {{"model", true, "model folder"},
      {"beam", true, "beam size (default 1: greedy)"},
      {"max-new", true, "maximum new tokens (default 160)"},
      {"min-new", true, "minimum new tokens before the end token (default 0)"},
      {"repetition-penalty", true, "CTRL repetition penalty (default 1.1)"},
      {"no-repeat-ngram", true, "forbid repeated n-grams of this size (default 4)"},
      {"length-penalty", true, "beam length penalty exponent (default 1.0)"},
      {"no-generic", false, "leave out the generic adapter"},
      {"no-specialized", false, "leave out the specialized adapter"},
      {"threads", true, "decoder threads (default: every core)"},
      {"encoder-threads", true, "LibTorch threads of the image encoder (default 1)"},
      {"json", true, "also write the draft and the states as JSON"}},
     runGenerate});

}  // namespace
}  // namespace fedmrg::cli
