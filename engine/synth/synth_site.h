#pragma once
// FL-MRG-Synth: what makes one synthetic hospital different from another, in its images
// (acquisition profile), its patients and findings (prevalences), and its reports (reporting profile).
#include <array>
#include <string>
#include <vector>

#include "engine/core/json.h"
#include "engine/labeler/observations.h"

namespace fedmrg::engine {

enum class TransferSyntax { ExplicitLittle, JpegLossless, Rle };
const char* transferSyntaxName(TransferSyntax ts);  // "explicit-le", "jpeg-lossless", "rle"

struct AcquisitionProfile {
  std::string modality = "DX";        // "CR" or "DX"
  std::string manufacturer, model;
  double aspect = 1.0;                // columns / rows; rows = the requested size
  double fieldOfViewMm = 430;         // detector height covered by the rows
  int bitsStored = 12;
  bool monochrome1 = false;           // stored values inverted (high = dark)
  TransferSyntax transferSyntax = TransferSyntax::ExplicitLittle;
  // Detector response: display value = sigmoid((density - center) * gain), then gamma.
  double curveCenter = 0.55, curveGain = 4.0, gamma = 1.0;
  double equalization = 0.3;          // dynamic range compression (large-scale)
  double edgeEnhance = 0.4;           // unsharp masking (small-scale)
  double noise = 0.012;               // quantum noise at unit density
  double blurRadiusMm = 0.4;          // system blur
  double collimation = 0.04;          // collimated border, fraction of the field
  double gridAmplitude = 0.0;         // anti-scatter grid line contrast (0: none)
  int gridPeriodPx = 3;
  bool sideMarker = true;
  double apFraction = 0.2;            // portable AP films (sicker patients)
};

struct ReportingProfile {
  enum class Layout { Sections, Narrative, Structured };
  Layout layout = Layout::Sections;
  double verbosity = 0.6;             // probability of stating each pertinent negative
  bool technicalTerms = true;         // "cardiomegaly" vs "the cardiac silhouette is enlarged"
  int negativeStyle = 0;              // 0 "No X.", 1 "There is no X.", 2 "Negative for X."
  int hedgeStyle = 0;                 // 0 "possible", 1 "cannot be excluded", 2 "may represent"
  bool metricSizes = true;            // "12 mm nodule" vs "small nodule"
  double comparisonRate = 0.5;        // probability of a comparison sentence
  bool upperCaseHeaders = true;
};

struct SiteProfile {
  std::string id;                     // "site-a"
  std::string institution;            // synthetic institution name
  bool heldOut = false;
  AcquisitionProfile acquisition;
  ReportingProfile reporting;
  // Prevalence of each observation (index by observation; No Finding is derived).
  std::array<double, kNumObservations> prevalence{};
  double uncertainRate = 0.1;         // fraction of present findings written and drawn as uncertain
  double meanAge = 60, ageSd = 15;
  double femaleFraction = 0.5;
};

// The built-in sites: 4 training sites and 1 held-out site.
std::vector<SiteProfile> builtinSites();

Json siteToJson(const SiteProfile& site);

}  // namespace fedmrg::engine
