#include "engine/synth/synth_site.h"

namespace fedmrg::engine {

const char* transferSyntaxName(TransferSyntax ts) {
  switch (ts) {
    case TransferSyntax::ExplicitLittle: return "explicit-le";
    case TransferSyntax::JpegLossless: return "jpeg-lossless";
    case TransferSyntax::Rle: return "rle";
  }
  return "?";
}

namespace {

// Prevalences in CheXpert order (No Finding first, derived, so 0).
using Prev = std::array<double, kNumObservations>;

const char* layoutName(ReportingProfile::Layout l) {
  switch (l) {
    case ReportingProfile::Layout::Sections: return "sections";
    case ReportingProfile::Layout::Narrative: return "narrative";
    case ReportingProfile::Layout::Structured: return "structured";
  }
  return "?";
}

}  // namespace

std::vector<SiteProfile> builtinSites() {
  std::vector<SiteProfile> sites;
  {
    SiteProfile s;  // a large general hospital with modern flat-panel DR
    s.id = "site-a";
    s.institution = "Northgate General Hospital";
    auto& a = s.acquisition;
    a.modality = "DX"; a.manufacturer = "Synthetic Imaging Co"; a.model = "FlatPanel 4343";
    a.aspect = 1.0; a.fieldOfViewMm = 430; a.bitsStored = 12; a.monochrome1 = false;
    a.transferSyntax = TransferSyntax::ExplicitLittle;
    a.curveCenter = 0.62; a.curveGain = 3.2; a.gamma = 1.0; a.equalization = 0.35; a.edgeEnhance = 0.5;
    a.noise = 0.010; a.blurRadiusMm = 0.3; a.collimation = 0.03; a.gridAmplitude = 0; a.sideMarker = true;
    a.apFraction = 0.15;
    auto& r = s.reporting;
    r.layout = ReportingProfile::Layout::Sections; r.verbosity = 0.75; r.technicalTerms = true;
    r.negativeStyle = 0; r.hedgeStyle = 0; r.metricSizes = true; r.comparisonRate = 0.5; r.upperCaseHeaders = true;
    s.prevalence = Prev{0, .07, .14, .06, .18, .10, .07, .05, .14, .05, .18, .03, .04, .18};
    s.uncertainRate = 0.12; s.meanAge = 58; s.femaleFraction = 0.5;
    sites.push_back(s);
  }
  {
    SiteProfile s;  // a community hospital with an older computed-radiography reader
    s.id = "site-b";
    s.institution = "Riverside Community Hospital";
    auto& a = s.acquisition;
    a.modality = "CR"; a.manufacturer = "Synthetic Imaging Co"; a.model = "PlateReader CR-2";
    a.aspect = 0.82; a.fieldOfViewMm = 400; a.bitsStored = 10; a.monochrome1 = true;
    a.transferSyntax = TransferSyntax::JpegLossless;
    a.curveCenter = 0.55; a.curveGain = 5.5; a.gamma = 1.15; a.equalization = 0.05; a.edgeEnhance = 0.1;
    a.noise = 0.022; a.blurRadiusMm = 0.7; a.collimation = 0.07; a.gridAmplitude = 0.025; a.gridPeriodPx = 3;
    a.sideMarker = true; a.apFraction = 0.25;
    auto& r = s.reporting;
    r.layout = ReportingProfile::Layout::Narrative; r.verbosity = 0.35; r.technicalTerms = false;
    r.negativeStyle = 1; r.hedgeStyle = 1; r.metricSizes = false; r.comparisonRate = 0.2; r.upperCaseHeaders = false;
    s.prevalence = Prev{0, .06, .18, .05, .20, .08, .09, .08, .12, .03, .15, .04, .05, .12};
    s.uncertainRate = 0.15; s.meanAge = 66; s.femaleFraction = 0.55;
    sites.push_back(s);
  }
  {
    SiteProfile s;  // a university hospital with many ICU portable films
    s.id = "site-c";
    s.institution = "St Ives University Medical Center";
    auto& a = s.acquisition;
    a.modality = "DX"; a.manufacturer = "Synthetic Imaging Co"; a.model = "Mobile DR 35";
    a.aspect = 1.0; a.fieldOfViewMm = 350; a.bitsStored = 14; a.monochrome1 = false;
    a.transferSyntax = TransferSyntax::Rle;
    a.curveCenter = 0.66; a.curveGain = 2.4; a.gamma = 0.85; a.equalization = 0.5; a.edgeEnhance = 0.3;
    a.noise = 0.016; a.blurRadiusMm = 0.45; a.collimation = 0.02; a.gridAmplitude = 0; a.sideMarker = true;
    a.apFraction = 0.65;
    auto& r = s.reporting;
    r.layout = ReportingProfile::Layout::Structured; r.verbosity = 0.9; r.technicalTerms = true;
    r.negativeStyle = 2; r.hedgeStyle = 2; r.metricSizes = true; r.comparisonRate = 0.8; r.upperCaseHeaders = true;
    s.prevalence = Prev{0, .10, .22, .04, .28, .22, .12, .08, .25, .09, .32, .03, .03, .55};
    s.uncertainRate = 0.10; s.meanAge = 64; s.femaleFraction = 0.42;
    sites.push_back(s);
  }
  {
    SiteProfile s;  // an outpatient imaging centre: mostly normal studies, nodules followed up
    s.id = "site-d";
    s.institution = "Lakeshore Outpatient Imaging";
    auto& a = s.acquisition;
    a.modality = "DX"; a.manufacturer = "Synthetic Imaging Co"; a.model = "Upright DR 43";
    a.aspect = 0.9; a.fieldOfViewMm = 430; a.bitsStored = 16; a.monochrome1 = false;
    a.transferSyntax = TransferSyntax::ExplicitLittle;
    a.curveCenter = 0.58; a.curveGain = 4.2; a.gamma = 1.25; a.equalization = 0.25; a.edgeEnhance = 0.9;
    a.noise = 0.008; a.blurRadiusMm = 0.25; a.collimation = 0.05; a.gridAmplitude = 0; a.sideMarker = false;
    a.apFraction = 0.02;
    auto& r = s.reporting;
    r.layout = ReportingProfile::Layout::Sections; r.verbosity = 0.5; r.technicalTerms = false;
    r.negativeStyle = 1; r.hedgeStyle = 0; r.metricSizes = true; r.comparisonRate = 0.4; r.upperCaseHeaders = false;
    s.prevalence = Prev{0, .03, .08, .10, .08, .03, .03, .03, .07, .02, .06, .04, .05, .04};
    s.uncertainRate = 0.15; s.meanAge = 52; s.femaleFraction = 0.58;
    sites.push_back(s);
  }
  {
    SiteProfile s;  // held out: a regional hospital whose data no training round ever sees
    s.id = "site-e";
    s.institution = "Mount Carrow Regional Hospital";
    s.heldOut = true;
    auto& a = s.acquisition;
    a.modality = "CR"; a.manufacturer = "Synthetic Imaging Co"; a.model = "PlateReader CR-1";
    a.aspect = 0.86; a.fieldOfViewMm = 380; a.bitsStored = 12; a.monochrome1 = true;
    a.transferSyntax = TransferSyntax::Rle;
    a.curveCenter = 0.50; a.curveGain = 4.8; a.gamma = 0.9; a.equalization = 0.15; a.edgeEnhance = 0.2;
    a.noise = 0.018; a.blurRadiusMm = 0.55; a.collimation = 0.09; a.gridAmplitude = 0.035; a.gridPeriodPx = 4;
    a.sideMarker = true; a.apFraction = 0.3;
    auto& r = s.reporting;
    r.layout = ReportingProfile::Layout::Narrative; r.verbosity = 0.6; r.technicalTerms = true;
    r.negativeStyle = 2; r.hedgeStyle = 1; r.metricSizes = false; r.comparisonRate = 0.3; r.upperCaseHeaders = true;
    s.prevalence = Prev{0, .08, .16, .06, .22, .12, .08, .07, .15, .05, .20, .03, .05, .20};
    s.uncertainRate = 0.12; s.meanAge = 62; s.femaleFraction = 0.5;
    sites.push_back(s);
  }
  return sites;
}

Json siteToJson(const SiteProfile& site) {
  const auto& a = site.acquisition;
  const auto& r = site.reporting;
  Json acq = Json::object();
  acq["modality"] = a.modality;
  acq["manufacturer"] = a.manufacturer;
  acq["model"] = a.model;
  acq["aspect"] = a.aspect;
  acq["field_of_view_mm"] = a.fieldOfViewMm;
  acq["bits_stored"] = a.bitsStored;
  acq["photometric"] = a.monochrome1 ? "MONOCHROME1" : "MONOCHROME2";
  acq["transfer_syntax"] = transferSyntaxName(a.transferSyntax);
  acq["curve_center"] = a.curveCenter;
  acq["curve_gain"] = a.curveGain;
  acq["gamma"] = a.gamma;
  acq["equalization"] = a.equalization;
  acq["edge_enhance"] = a.edgeEnhance;
  acq["noise"] = a.noise;
  acq["blur_radius_mm"] = a.blurRadiusMm;
  acq["collimation"] = a.collimation;
  acq["grid_amplitude"] = a.gridAmplitude;
  acq["grid_period_px"] = a.gridPeriodPx;
  acq["side_marker"] = a.sideMarker;
  acq["ap_fraction"] = a.apFraction;
  Json rep = Json::object();
  rep["layout"] = layoutName(r.layout);
  rep["verbosity"] = r.verbosity;
  rep["technical_terms"] = r.technicalTerms;
  rep["negative_style"] = r.negativeStyle;
  rep["hedge_style"] = r.hedgeStyle;
  rep["metric_sizes"] = r.metricSizes;
  rep["comparison_rate"] = r.comparisonRate;
  Json prev = Json::object();
  for (int i = 1; i < kNumObservations; ++i) prev[observationKey(i)] = site.prevalence[size_t(i)];
  Json j = Json::object();
  j["id"] = site.id;
  j["institution"] = site.institution;
  j["held_out"] = site.heldOut;
  j["acquisition"] = acq;
  j["reporting"] = rep;
  j["prevalence"] = prev;
  j["uncertain_rate"] = site.uncertainRate;
  j["mean_age"] = site.meanAge;
  j["female_fraction"] = site.femaleFraction;
  return j;
}

}  // namespace fedmrg::engine
