#pragma once
// Loaders for the image-report data sets a site may bring (IU X-ray in two layouts, MIMIC-CXR-JPG,
// a folder of DICOM files with a CSV of reports) and for FL-MRG-Synth, all into one in-memory form.
// A missing or corrupt file is reported with its path and reason and skipped, never a crash.
#include <string>
#include <vector>

#include "engine/labeler/observations.h"

namespace fedmrg::engine {

struct DatasetRecord {
  std::string id;          // study or report id within the data set
  std::string imagePath;   // the frontal image (PNG, JPEG or DICOM), resolved against the data set root
  std::string report;      // report text (findings and impression)
  bool hasStates = false;  // true when the data set ships labels
  ObservationStates states{};
  std::string split;       // "train", "val", "test" or "" when the data set has none
  std::string site;        // data set or site name
};

struct LoadIssue {
  std::string path;
  std::string reason;
};

struct LoadResult {
  std::vector<DatasetRecord> records;
  int loaded = 0;
  int skipped = 0;
  std::vector<LoadIssue> issues;  // one per skipped item (and per unreadable table)
};

// R2Gen's annotation.json ({"train": [{"id", "report", "image_path": [...]}], "val": ..., "test": ...})
// with images under imageRoot. The first listed image is taken as the frontal one.
LoadResult loadR2GenAnnotation(const std::string& annotationJson, const std::string& imageRoot,
                               const std::string& site = "iu_xray");

// IU X-ray as indiana_reports.csv (uid, findings, impression, ...) + indiana_projections.csv
// (uid, filename, projection) with the images in imageDir. One record per report, frontal image.
LoadResult loadIndianaCsv(const std::string& reportsCsv, const std::string& projectionsCsv,
                          const std::string& imageDir);

// MIMIC-CXR-JPG: jpgRoot holds mimic-cxr-2.0.0-split.csv, optionally mimic-cxr-2.0.0-chexpert.csv
// and mimic-cxr-2.0.0-metadata.csv (ViewPosition), and files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg;
// reportsRoot holds files/pXX/pSUBJECT/sSTUDY.txt (MIMIC-CXR's reports). One record per study.
LoadResult loadMimicCxrJpg(const std::string& jpgRoot, const std::string& reportsRoot);

// A folder of DICOM files and a CSV with columns file (relative to the folder) and report, and
// optionally split, site and any of the 14 observations (positive/negative/uncertain/blank or
// 1/0/-1/empty). DICOM files that no CSV row names are counted as skipped ("no report").
LoadResult loadDicomFolder(const std::string& folder, const std::string& reportsCsv);

// FL-MRG-Synth output (manifest.json + each site's reports.jsonl).
LoadResult loadSynthDataset(const std::string& root);

// Parses a label cell: "1", "1.0", "positive" -> Positive; "0" -> Negative; "-1" -> Uncertain;
// "" -> Blank. Returns false for anything else.
bool parseStateCell(const std::string& cell, ObservationState& state);

}  // namespace fedmrg::engine
