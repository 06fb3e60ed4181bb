#pragma once
// Export of a signed final report as a DICOM Basic Text SR document in the same study: FINDINGS
// and IMPRESSION as text items, a comment saying who wrote them (which model drafted them, in which
// version, and who edited and signed), for a model's draft the chest radiograph check made before it
// (decision, reason, image distance), addenda as comments with their authors, the study's images
// as evidence, the radiologist who signed final as verifying observer (a DICOM person name) at the
// time of the sign-off. (It writes DICOM with dcmsr, the one DCMTK use in app.)
#include <QString>
#include <cstdint>
#include <string>
#include <vector>

#include "app/site/report_service.h"

namespace fedmrg::app {

class Site;

struct SrExportResult {
  QString file;
  std::string sopInstanceUid;
  int referencedImages = 0;
};

// Throws StoreError when the study has no final report or the file cannot be written.
SrExportResult exportFinalReportAsSr(Site& site, int64_t studyId, const QString& file, int64_t userId);

// Who wrote the signed report (the latest report version of `versions`, oldest first), as one
// sentence: "Findings and impression were drafted by the report model <name> <version>, edited by
// <users> and verified by <signer>." or "... were written by <users> without a model draft and
// verified by <signer>." (the editors are the users who saved a draft version).
std::string draftingStatement(const std::vector<ReportVersion>& versions, const std::string& signer);

}  // namespace fedmrg::app
