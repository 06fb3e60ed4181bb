#pragma once
// A site in a temporary folder holding one single-image study per patient name, patient IDs P1,
// P2, ... in the order given: the worklist suites' common start.
#include <QTemporaryDir>
#include <initializer_list>
#include <memory>

#include "app/site/dicom_importer.h"
#include "app/site/site.h"
#include "app/test_dicom.h"

namespace fedmrg::testing {

// `uidRoot` keeps one suite's study UIDs apart from another's; nullptr when the import did not
// take every study.
inline std::unique_ptr<app::Site> siteWithPatients(const QTemporaryDir& dir, std::initializer_list<const char*> names,
                                                   const std::string& uidRoot) {
  auto site =
      app::Site::create(dir.filePath("site"), "worklist passphrase", "Worklist Site", "admin", "Admin", "adminpass1");
  TestDicom d;
  d.width = d.height = 32;
  int n = 0;
  for (const char* name : names) {
    ++n;
    d.studyUid = uidRoot + "." + std::to_string(n);
    d.sopUid = d.studyUid + ".1.1";
    d.patientName = name;
    d.patientId = "P" + std::to_string(n);
    writeTestDicom(dir.filePath(QString("s%1.dcm").arg(n)).toStdString(), d);
  }
  if (app::DicomImporter(*site).importPaths({dir.path()}).imported != n) return nullptr;
  return site;
}

}  // namespace fedmrg::testing
