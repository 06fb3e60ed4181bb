#pragma once
// Brings studies from a PACS into the site: each study is retrieved into a temporary folder and
// then goes through the same import as files (DicomImporter: de-duplication, checks, the managed
// folder), so that a study from the PACS and a study from a disc are the same thing in the worklist.
#include <atomic>
#include <functional>
#include <string>

#include "app/site/dicom_importer.h"
#include "app/site/pacs_client.h"

namespace fedmrg::app {

class Site;

struct StudyRetrieval {
  std::string studyUid;
  int received = 0;          // instances that arrived from the PACS
  int failedAtPacs = 0;      // sub-operations the PACS reported as failed
  ImportResult import;       // what the import made of them (errors name each refused file)
  std::string error;         // why the study could not be retrieved at all; empty when it was
  bool cancelled = false;
};

class PacsRetriever {
 public:
  PacsRetriever(Site& site, DicomImporter& importer, PacsClient client)
      : site_(site), importer_(importer), client_(std::move(client)) {}

  // (received, expected) while the study arrives; expected is 0 while unknown.
  using Progress = std::function<void(int received, int expected)>;
  // Never throws for a PACS or file failure: it is in the result.
  StudyRetrieval retrieve(const std::string& studyUid, const Progress& progress = {},
                          const std::atomic<bool>* cancel = nullptr);

 private:
  Site& site_;
  DicomImporter& importer_;
  PacsClient client_;
};

}  // namespace fedmrg::app
