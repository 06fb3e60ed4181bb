#include "engine/infer/chest_gate.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "engine/infer/report_generator.h"
#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#endif

namespace fedmrg::engine {
namespace {

// Words of a tag, upper case, split at anything that is not a letter or a digit.
std::set<std::string> words(const std::string& text) {
  std::set<std::string> out;
  std::string w;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += char(std::toupper(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      out.insert(w);
      w.clear();
    }
  }
  return out;
}

// Words that name the chest, and words that name another part of the body or another kind of study. A tag
// with words of both kinds (e.g. "CHEST AND ABDOMEN") says nothing either way.
const std::set<std::string> kChestWords{"CHEST", "THORAX", "LUNG", "LUNGS", "CXR", "TORAX", "THORAXAP", "THORAXPA"};
const std::set<std::string> kOtherWords{
    "HEAD",   "BRAIN",    "SKULL",       "FACE",    "DENTAL",  "TEETH",   "TOOTH",  "PANORAMIC", "PANO",   "OPG",
    "JAW",    "MANDIBLE", "SINUS",       "ORBIT",   "NECK",    "SPINE",   "CSPINE", "TSPINE",    "LSPINE", "ABDOMEN",
    "ABD",    "PELVIS",   "HIP",         "KNEE",    "ANKLE",   "FOOT",    "HAND",   "WRIST",     "ELBOW",  "SHOULDER",
    "FEMUR",  "TIBIA",    "FIBULA",      "HUMERUS", "FOREARM", "LEG",     "ARM",    "EXTREMITY", "FINGER", "TOE",
    "BREAST", "MAMMO",    "MAMMOGRAPHY", "LIVER",   "KIDNEY",  "BLADDER", "UTERUS", "PROSTATE",  "HEEL"};

enum class Says { Nothing, Chest, Other };

Says classify(const std::string& tag) {
  bool chest = false, other = false;
  for (const std::string& w : words(tag)) {
    chest = chest || kChestWords.count(w);
    other = other || kOtherWords.count(w);
  }
  if (chest == other) return Says::Nothing;
  return chest ? Says::Chest : Says::Other;
}

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string format(const char* f, double a, double b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

std::string size(const ChestGateInput& in) { return std::to_string(in.width) + "x" + std::to_string(in.height); }

// A chest film is about as wide as it is tall (14 x 17 inches either way round, or 14 x 14); a dental
// panoramic or a long-leg film is not.
constexpr double kMinAspect = 0.6, kMaxAspect = 1.67;

ChestGateResult result(ChestGateDecision d, std::string reason) {
  ChestGateResult r;
  r.decision = d;
  r.reason = std::move(reason);
  return r;
}

// What the tags and the image's shape alone say: a refusal, or nothing against a chest radiograph (and
// whether some tag names the chest).
std::optional<ChestGateResult> refusalByTags(const ChestGateInput& in, bool& chestTagged) {
  const std::string modality = upper(in.modality);
  if (!modality.empty() && modality != "CR" && modality != "DX" && modality != "OT")
    return result(ChestGateDecision::No, "the modality is " + in.modality + ", not a radiograph (CR or DX)");
  if (in.frames > 1)
    return result(ChestGateDecision::No,
                  "the image has " + std::to_string(in.frames) + " frames; a chest radiograph has one");
  const std::string photometric = upper(in.photometric);
  if (!photometric.empty() && photometric != "MONOCHROME1" && photometric != "MONOCHROME2")
    return result(ChestGateDecision::No, "the image is in colour (" + in.photometric + "); a radiograph is grey");
  const std::pair<const char*, const std::string*> tags[] = {{"body part examined", &in.bodyPart},
                                                             {"study description", &in.studyDescription},
                                                             {"series description", &in.seriesDescription}};
  chestTagged = false;
  for (const auto& [name, value] : tags) {
    const Says says = classify(*value);
    if (says == Says::Other)
      return result(ChestGateDecision::No, std::string("the ") + name + " is \"" + *value + "\", not the chest");
    chestTagged = chestTagged || says == Says::Chest;
  }
  if (words(in.imageType).count("LOCALIZER"))
    return result(ChestGateDecision::No, "the image type is " + in.imageType + ", a localizer");
  const std::string view = upper(in.viewPosition);
  if (view == "CC" || view == "MLO" || view == "ML" || view == "LM" || view == "XCC")
    return result(ChestGateDecision::No, "the view position is " + in.viewPosition + ", a mammography view");
  if (in.width > 0 && in.height > 0) {
    const double aspect = double(in.width) / double(in.height);
    if (aspect < kMinAspect || aspect > kMaxAspect) {
      if (!chestTagged)
        return result(ChestGateDecision::No,
                      "the image is " + size(in) + " pixels; a chest radiograph is about as wide as it is tall");
    }
  }
  return std::nullopt;
}

}  // namespace

const char* chestGateDecisionName(ChestGateDecision d) {
  switch (d) {
    case ChestGateDecision::Yes: return "yes";
    case ChestGateDecision::No: return "no";
    case ChestGateDecision::Uncertain: return "uncertain";
  }
  return "uncertain";
}

std::string ChestGateResult::summary() const {
  std::string s = chestGateDecisionName(decision);
  if (score)
    s += format(" (image distance %.2f; like the training images up to %.2f", *score, acceptBelow) +
         format(", unlike all of them above %.2f)", refuseAbove, 0);
  else s += " (no image check)";
  return s + ": " + reason;
}

ChestGateResult decideChestGate(const ChestGateInput& in, const ChestGateStatistics* stats,
                                std::optional<double> score) {
  bool chestTagged = false;
  std::optional<ChestGateResult> r = refusalByTags(in, chestTagged);
  const double aspect = in.width > 0 && in.height > 0 ? double(in.width) / double(in.height) : 1.0;
  const bool oddShape = aspect < kMinAspect || aspect > kMaxAspect;
  if (!r) {
    if (!stats || !score) {
      r = result(ChestGateDecision::Uncertain,
                 chestTagged
                     ? "the tags say chest, but the image was not checked (the model folder has no chest gate "
                       "statistics)"
                     : "neither the tags nor the image were checked (no tag names the chest and the model folder "
                       "has no chest gate statistics)");
    } else if (*score > stats->refuseAbove) {
      r = chestTagged ? result(ChestGateDecision::Uncertain,
                               "the tags say chest, but the image is unlike every chest image the model was trained on")
                      : result(ChestGateDecision::No,
                               "the image is unlike every chest radiograph the model was trained "
                               "on, and no tag names the chest");
    } else if (*score > stats->acceptBelow) {
      r = result(ChestGateDecision::Uncertain, "the image is less like the model's chest training images than usual");
    } else if (oddShape) {
      r = result(ChestGateDecision::Uncertain,
                 "the tags say chest, but the image is " + size(in) + " pixels, not about as wide as it is tall");
    } else {
      r = result(ChestGateDecision::Yes, chestTagged ? "the tags say chest and the image is like the model's chest "
                                                       "training images"
                                                     : "the image is like the model's chest training images (no tag "
                                                       "names the chest)");
    }
  }
  r->score = stats ? score : std::nullopt;
  if (stats) r->acceptBelow = stats->acceptBelow, r->refuseAbove = stats->refuseAbove;
  return *r;
}

#ifdef FEDMRG_HAVE_DCMTK
ChestGateInput chestGateInput(const DicomImage& image) {
  const DicomMetadata& m = image.meta;
  ChestGateInput in;
  in.modality = m.modality;
  in.bodyPart = m.bodyPart;
  in.viewPosition = m.viewPosition;
  in.studyDescription = m.studyDescription;
  in.seriesDescription = m.seriesDescription;
  in.imageType = m.imageType;
  in.photometric = m.photometricInterpretation;
  in.frames = m.frames;
  in.width = image.width;
  in.height = image.height;
  return in;
}

ChestGateResult checkChestImage(const ReportGenerator& generator, const ChestGateStatistics* statistics,
                                const DicomImage& image) {
  const ChestGateInput in = chestGateInput(image);
  std::optional<double> score;
  if (statistics) {
    const std::vector<float> pixels = generator.pixels(image);
    const int size = generator.config().imageSize;
    score = statistics->score(statistics->feature(generator.pooledFeatures({pixels}).at(0), pixels, size));
  }
  return decideChestGate(in, statistics, score);
}
#endif

}  // namespace fedmrg::engine
