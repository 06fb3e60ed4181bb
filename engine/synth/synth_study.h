#pragma once
// One synthetic study's ground truth: the patient, the view and every finding with its severity,
// side and location, sampled from a site's prevalences with realistic co-occurrence.
#include <array>
#include <cstdint>
#include <string>

#include "engine/core/json.h"
#include "engine/synth/synth_site.h"
#include "engine/labeler/observations.h"

namespace fedmrg::engine {

// Observation indices in CheXpert order (observations.h).
namespace obs {
enum : int {
  NoFinding = 0, EnlargedCardiomediastinum, Cardiomegaly, LungLesion, LungOpacity, Edema, Consolidation,
  Pneumonia, Atelectasis, Pneumothorax, PleuralEffusion, PleuralOther, Fracture, SupportDevices
};
}

enum class Side : uint8_t { None, Right, Left, Both };
const char* sideName(Side s);  // "", "right", "left", "bilateral"

enum class Zone : uint8_t { Upper, Middle, Lower };

// Support device bits.
enum : int { kDeviceEtTube = 1, kDeviceCentralLine = 2, kDevicePacemaker = 4, kDeviceNgTube = 8 };

struct Finding {
  bool present = false;
  bool uncertain = false;  // drawn subtly and written with a hedge
  int severity = 0;        // 1 mild/small, 2 moderate, 3 severe/large
  Side side = Side::None;
  Zone zone = Zone::Lower;
  double sizeMm = 0;       // lung lesion diameter
  int kind = 0;            // device bits; lesion 0 nodule / 1 mass; pleural other 0 thickening / 1 plaque
  int rib = 0;             // fracture: rib number 3..9
};

struct PatientParams {
  bool female = false;
  int ageYears = 60;
  double habitus = 0;       // -1 thin .. +1 broad
  double inspiration = 0;   // -1 poor .. +1 deep
  double rotation = 0;      // -1 .. +1, rotation about the vertical axis
  double shiftX = 0, shiftY = 0, scale = 1;  // positioning on the detector
  double ctr = 0.45;        // cardiothoracic ratio
  double mediastinumWidth = 0.14;  // superior mediastinum, fraction of the thorax width
  bool apView = false;
};

struct StudyTruth {
  uint64_t seed = 0;
  PatientParams patient;
  std::array<Finding, kNumObservations> findings{};
  bool anyPathology() const;  // a present finding other than No Finding and Support Devices
};

// Samples a study for `site` from `seed` (deterministic).
StudyTruth sampleStudy(const SiteProfile& site, uint64_t seed);

}  // namespace fedmrg::engine
