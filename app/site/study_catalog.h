#pragma once
// Read access to the studies and images of a site, for the worklist and the viewer.
#include <QString>
#include <optional>
#include <string>
#include <vector>

#include "app/site/report_status.h"

namespace fedmrg::app {

class Site;

struct StudySummary {
  int64_t id = 0;
  std::string studyUid, patientName, patientId, studyDate, modality, bodyPart, description;
  ReportStatus status = ReportStatus::New;
  int images = 0;
  // DICOM values as imported (PN with '^', DA as YYYYMMDD, CS sex code), for the patient banner.
  std::string patientSex, patientBirthDate, accessionNumber;
  std::string studyTime;  // DICOM TM as imported (HHMMSS.FFFFFF, possibly shorter); orders same-day studies
};

struct ImageEntry {
  int64_t id = 0;
  std::string sopUid, viewPosition;
  QString file;  // absolute path in the managed folder
  int rows = 0, columns = 0;
};

std::vector<StudySummary> listStudies(Site& site);
// One study by its id; nothing when the site has no such study.
std::optional<StudySummary> findStudy(Site& site, int64_t studyId);
std::vector<ImageEntry> studyImages(Site& site, int64_t studyId);

}  // namespace fedmrg::app
