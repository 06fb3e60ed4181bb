#pragma once
// A DICOM network client for one PACS node (DCMTK dcmnet): C-ECHO, Study Root C-FIND, retrieve by
// C-GET or by C-MOVE to the workstation's own storage SCP, and C-STORE. Every failure is a
// PacsError that says which node, what went wrong and what to check; nothing here crashes or hangs
// past the timeouts. Calls block: run them off the GUI thread.
#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/site/pacs_node.h"

class DcmSCU;

namespace fedmrg::app {

class PacsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PacsTimeouts {
  int connectSeconds = 5;  // TCP connect and association negotiation
  int dimseSeconds = 20;   // each answer of the peer
};

// What a Study Root query matches on; empty fields match anything. Dates are YYYYMMDD, either end
// of the range may be empty. Names may use the DICOM wildcards * and ?.
struct StudyQuery {
  std::string patientName, patientId, accessionNumber, fromDate, toDate, modality;
  std::string studyUid;
};

struct StudyMatch {
  std::string studyUid, patientName, patientId, accessionNumber, studyDate, modalities, description;
  int images = 0;  // Number of Study Related Instances (0: the PACS did not say)
};

struct InstanceMatch {
  std::string studyUid, seriesUid, sopInstanceUid, sopClassUid, modality;
};

struct RetrieveResult {
  std::vector<std::string> files;  // received files, in the order they arrived
  int failed = 0;                  // sub-operations the PACS reported as failed
  bool cancelled = false;
};

class PacsClient {
 public:
  PacsClient(LocalAe local, PacsNode node, PacsTimeouts timeouts = {});

  // C-ECHO; throws PacsError with the reason when the node does not answer.
  void echo();
  // Study level C-FIND. `cancel` stops the query between answers (the result is what came so far).
  std::vector<StudyMatch> findStudies(const StudyQuery& query, const std::atomic<bool>* cancel = nullptr);
  // The study's instances: series level, then image level within each series.
  std::vector<InstanceMatch> findInstances(const std::string& studyUid);

  // (received, expected; expected 0 while the PACS has not said) after each received instance.
  using Progress = std::function<void(int received, int expected)>;
  // Retrieves a study into `folder` (which must exist) by the node's method (C-GET, or C-MOVE to
  // the local AE's storage SCP), files written as received. `cancel` aborts the association.
  RetrieveResult retrieveStudy(const std::string& studyUid, const std::string& folder, const Progress& progress = {},
                               const std::atomic<bool>* cancel = nullptr);
  // C-STORE of one DICOM file; throws PacsError when the file cannot be read or the node refuses it.
  void store(const std::string& file);

  const PacsNode& node() const { return node_; }

 private:
  RetrieveResult get(const std::string& studyUid, const std::string& folder, const Progress& progress,
                     const std::atomic<bool>* cancel);
  RetrieveResult move(const std::string& studyUid, const std::string& folder, const Progress& progress,
                      const std::atomic<bool>* cancel);
  void connect(DcmSCU& scu) const;  // throws PacsError saying why no association was made
  std::string where() const;  // "PACS \"name\" (AE@host:port)"
  LocalAe local_;
  PacsNode node_;
  PacsTimeouts timeouts_;
};

}  // namespace fedmrg::app
