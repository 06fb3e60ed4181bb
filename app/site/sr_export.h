#pragma once
// Export of a signed final report as a DICOM Basic Text SR document in the same study: FINDINGS
// and IMPRESSION as text items, addenda as comments, the study's images as evidence, the signing
// radiologist as verifying observer. (It writes DICOM with dcmsr, the one DCMTK use in app.)
#include <QString>
#include <cstdint>
#include <string>

namespace fedmrg::app {

class Site;

struct SrExportResult {
  QString file;
  std::string sopInstanceUid;
  int referencedImages = 0;
};

// Throws StoreError when the study has no final report or the file cannot be written.
SrExportResult exportFinalReportAsSr(Site& site, int64_t studyId, const QString& file, int64_t userId);

}  // namespace fedmrg::app
