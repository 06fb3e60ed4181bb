#include "app/site/pacs_client.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/dstorscp.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/oflog/oflog.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>

namespace fedmrg::app {
namespace {

// The storage classes a retrieve accepts: the radiographs this workstation reads, the other common
// image classes a chest study may hold, and the SR documents reports travel in.
const char* const kStorageClasses[] = {
    UID_ComputedRadiographyImageStorage, UID_DigitalXRayImageStorageForPresentation,
    UID_DigitalXRayImageStorageForProcessing, UID_SecondaryCaptureImageStorage, UID_CTImageStorage,
    UID_MRImageStorage, UID_UltrasoundImageStorage, UID_DigitalMammographyXRayImageStorageForPresentation,
    UID_BasicTextSRStorage, UID_EnhancedSRStorage, UID_ComprehensiveSRStorage};

// Each storage class gets one presentation context per transfer syntax, so that the PACS can send
// every instance as it holds it (pixel data byte for byte) instead of converting it.
const char* const kTransferSyntaxes[] = {
    UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
    UID_JPEGProcess14SV1TransferSyntax, UID_RLELosslessTransferSyntax, UID_JPEGLSLosslessTransferSyntax,
    UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEGProcess1TransferSyntax};

OFList<OFString> uncompressed() {
  OFList<OFString> ts;
  ts.push_back(UID_LittleEndianExplicitTransferSyntax);
  ts.push_back(UID_LittleEndianImplicitTransferSyntax);
  return ts;
}

bool isUid(const std::string& s) {
  static const std::regex uid("^[0-9]+(\\.[0-9]+)*$");
  return !s.empty() && s.size() <= 64 && std::regex_match(s, uid);
}

std::string str(DcmItem* item, const DcmTagKey& tag) {
  OFString v;
  if (item && item->findAndGetOFStringArray(tag, v).good()) return std::string(v.c_str());
  return {};
}

std::string hex(Uint16 v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04X", unsigned(v));
  return buf;
}

// A DICOM date range ("from-to", "from-", "-to") or a single date.
std::string dateRange(const std::string& from, const std::string& to) {
  if (from.empty() && to.empty()) return {};
  if (from == to) return from;
  return from + "-" + to;
}

// DcmSCU with the hooks a workstation needs: cancel between answers, count what arrives, refuse a
// received instance whose SOP Instance UID is no UID (it names the file written).
class Scu : public DcmSCU {
 public:
  const std::atomic<bool>* cancel = nullptr;
  PacsClient::Progress progress;
  mutable std::vector<std::string> files;
  mutable int expected = 0;
  int failed = 0;
  bool cancelled = false;

  bool cancelRequested() const { return cancel && cancel->load(); }

 protected:
  OFCondition handleFINDResponse(const T_ASC_PresentationContextID presID, QRResponse* response,
                                 OFBool& waitForNextResponse) override {
    const OFCondition c = DcmSCU::handleFINDResponse(presID, response, waitForNextResponse);
    if (cancelRequested()) {
      cancelled = true;
      waitForNextResponse = OFFalse;
    }
    return c;
  }
  OFCondition handleCGETResponse(const T_ASC_PresentationContextID presID, RetrieveResponse* response,
                                 OFBool& continueSession) override {
    return afterRetrieveAnswer(DcmSCU::handleCGETResponse(presID, response, continueSession), *response, continueSession);
  }
  OFCondition handleMOVEResponse(const T_ASC_PresentationContextID presID, RetrieveResponse* response,
                                 OFBool& waitForNextResponse) override {
    return afterRetrieveAnswer(DcmSCU::handleMOVEResponse(presID, response, waitForNextResponse), *response,
                               waitForNextResponse);
  }
  OFCondition handleSTORERequestFile(T_ASC_PresentationContextID* presID, const OFString& filename,
                                     T_DIMSE_C_StoreRQ* request) override {
    if (!isUid(request->AffectedSOPInstanceUID)) return DIMSE_BADDATA;  // answered "cannot understand"
    return DcmSCU::handleSTORERequestFile(presID, filename, request);
  }
  void notifyInstanceStored(const OFString& filename, const OFString&, const OFString&) const override {
    files.emplace_back(filename.c_str());
    if (progress) progress(int(files.size()), expected);
  }

 private:
  // After each C-GET or C-MOVE answer: what the PACS counts, and a cancel stops the session.
  OFCondition afterRetrieveAnswer(const OFCondition& c, const RetrieveResponse& r, OFBool& goOn) {
    const int total = int(r.m_numberOfRemainingSubops + r.m_numberOfCompletedSubops + r.m_numberOfFailedSubops +
                          r.m_numberOfWarningSubops);
    if (total > 0) expected = total;
    failed = int(r.m_numberOfFailedSubops);
    if (cancelRequested()) stop(goOn);
    return c;
  }
  void stop(OFBool& goOn) {
    cancelled = true;
    goOn = OFFalse;
    sendCANCELRequest(1);  // polite; the association is aborted afterwards anyway
  }
};

// The storage SCP a C-MOVE sends to: listens on the workstation's port until stopped, writes each
// instance bit for bit into the folder, named by its SOP Instance UID.
class MoveReceiver : public DcmStorageSCP {
 public:
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::vector<std::string> files;
  PacsClient::Progress progress;
  std::atomic<int> expected{0};

 protected:
  OFBool stopAfterConnectionTimeout() override { return stopping.load(); }
  OFBool stopAfterCurrentAssociation() override { return stopping.load(); }
  void notifyInstanceStored(const OFString& filename, const OFString&, const OFString&, DcmDataset*) const override {
    auto* self = const_cast<MoveReceiver*>(this);
    int n;
    {
      std::lock_guard<std::mutex> lock(self->mutex);
      self->files.emplace_back(filename.c_str());
      n = int(self->files.size());
    }
    if (progress) progress(n, expected.load());
  }
};

}  // namespace

PacsClient::PacsClient(LocalAe local, PacsNode node, PacsTimeouts timeouts)
    : local_(std::move(local)), node_(std::move(node)), timeouts_(timeouts) {
  // dcmnet narrates every association on stdout; each failure reaches the user as a PacsError instead.
  static const bool quiet = [] {
    OFLog::getLogger("dcmtk.dcmnet").setLogLevel(OFLogger::FATAL_LOG_LEVEL);
    return true;
  }();
  (void)quiet;
}

std::string PacsClient::where() const {
  return "PACS \"" + node_.name + "\" (" + node_.aeTitle + "@" + node_.host + ":" + std::to_string(node_.port) + ")";
}

namespace {

void configure(DcmSCU& scu, const LocalAe& local, const PacsNode& node, const PacsTimeouts& t) {
  scu.setAETitle(local.aeTitle.c_str());
  scu.setPeerAETitle(node.aeTitle.c_str());
  scu.setPeerHostName(node.host.c_str());
  scu.setPeerPort(Uint16(node.port));
  scu.setConnectionTimeout(Sint32(t.connectSeconds));
  scu.setACSETimeout(Uint32(t.connectSeconds));
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  scu.setDIMSETimeout(Uint32(t.dimseSeconds));
}

// Why an association could not be made, in words a user can act on.
std::string associationProblem(const OFCondition& c, const PacsNode& node, const LocalAe& local,
                               const PacsTimeouts& t) {
  const std::string text = c.text();
  if (c == DUL_ASSOCIATIONREJECTED)
    return "refused the association: check that it knows the workstation's AE title \"" + local.aeTitle +
           "\" and that its own AE title is \"" + node.aeTitle + "\"";
  if (text.find("refused") != std::string::npos)
    return "nothing listens at " + node.host + ":" + std::to_string(node.port) + " (connection refused): is the PACS running?";
  if (text.find("imeout") != std::string::npos || c == DUL_READTIMEOUT)
    return "did not answer within " + std::to_string(t.connectSeconds) + " s (" + text + ")";
  if (c == NET_EC_NoAcceptablePresentationContexts)
    return "accepted none of the services asked for (" + text + ")";
  return "cannot be reached: " + text;
}

}  // namespace

void PacsClient::connect(DcmSCU& scu) const {
  configure(scu, local_, node_, timeouts_);
  OFCondition c = scu.initNetwork();
  if (c.good()) c = scu.negotiateAssociation();
  if (c.bad()) throw PacsError(where() + " " + associationProblem(c, node_, local_, timeouts_));
}

void PacsClient::echo() {
  DcmSCU scu;
  scu.addPresentationContext(UID_VerificationSOPClass, uncompressed());
  connect(scu);
  const T_ASC_PresentationContextID pc = scu.findPresentationContextID(UID_VerificationSOPClass, "");
  if (pc == 0) throw PacsError(where() + " does not offer the verification service (C-ECHO)");
  const OFCondition c = scu.sendECHORequest(pc);
  scu.releaseAssociation();
  if (c.bad()) throw PacsError(where() + " did not answer the C-ECHO: " + c.text());
}

namespace {

// Runs one C-FIND and returns the matching datasets; throws PacsError on a failure status.
std::vector<std::unique_ptr<DcmDataset>> runFind(Scu& scu, DcmDataset& keys, const std::string& where,
                                                 std::string level) {
  const T_ASC_PresentationContextID pc = scu.findPresentationContextID(UID_FINDStudyRootQueryRetrieveInformationModel, "");
  if (pc == 0) throw PacsError(where + " does not offer Study Root queries (C-FIND)");
  OFList<QRResponse*> responses;
  const OFCondition c = scu.sendFINDRequest(pc, &keys, &responses);
  std::vector<std::unique_ptr<DcmDataset>> out;
  Uint16 finalStatus = 0;
  for (QRResponse* r : responses) {
    if (r->m_dataset && DICOM_PENDING_STATUS(r->m_status)) {
      out.emplace_back(r->m_dataset);
      r->m_dataset = nullptr;
    } else if (!DICOM_PENDING_STATUS(r->m_status)) {
      finalStatus = r->m_status;
    }
    delete r;
  }
  if (c.bad()) throw PacsError(where + " failed the " + level + " query: " + c.text());
  if (!scu.cancelled && finalStatus != STATUS_Success && finalStatus != STATUS_FIND_Cancel_MatchingTerminatedDueToCancelRequest)
    throw PacsError(where + " refused the " + level + " query with status " + hex(finalStatus));
  return out;
}

void addFindContexts(DcmSCU& scu) {
  scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel, uncompressed());
}

}  // namespace

std::vector<StudyMatch> PacsClient::findStudies(const StudyQuery& q, const std::atomic<bool>* cancel) {
  Scu scu;
  scu.cancel = cancel;
  addFindContexts(scu);
  connect(scu);
  DcmDataset keys;
  keys.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  keys.putAndInsertString(DCM_StudyInstanceUID, q.studyUid.c_str());
  keys.putAndInsertString(DCM_PatientName, q.patientName.c_str());
  keys.putAndInsertString(DCM_PatientID, q.patientId.c_str());
  keys.putAndInsertString(DCM_AccessionNumber, q.accessionNumber.c_str());
  keys.putAndInsertString(DCM_StudyDate, dateRange(q.fromDate, q.toDate).c_str());
  keys.putAndInsertString(DCM_ModalitiesInStudy, q.modality.c_str());
  keys.putAndInsertString(DCM_StudyDescription, "");
  keys.putAndInsertString(DCM_NumberOfStudyRelatedInstances, "");
  std::vector<StudyMatch> out;
  try {
    for (const auto& ds : runFind(scu, keys, where(), "study")) {
      StudyMatch m;
      m.studyUid = str(ds.get(), DCM_StudyInstanceUID);
      m.patientName = str(ds.get(), DCM_PatientName);
      m.patientId = str(ds.get(), DCM_PatientID);
      m.accessionNumber = str(ds.get(), DCM_AccessionNumber);
      m.studyDate = str(ds.get(), DCM_StudyDate);
      m.modalities = str(ds.get(), DCM_ModalitiesInStudy);
      m.description = str(ds.get(), DCM_StudyDescription);
      m.images = std::atoi(str(ds.get(), DCM_NumberOfStudyRelatedInstances).c_str());
      if (isUid(m.studyUid)) out.push_back(std::move(m));  // an answer without a usable UID cannot be retrieved
    }
  } catch (...) {
    scu.abortAssociation();
    throw;
  }
  if (scu.cancelled) scu.abortAssociation();
  else scu.releaseAssociation();
  return out;
}

std::vector<InstanceMatch> PacsClient::findInstances(const std::string& studyUid) {
  if (!isUid(studyUid)) throw PacsError("\"" + studyUid + "\" is no Study Instance UID");
  Scu scu;
  addFindContexts(scu);
  connect(scu);
  std::vector<InstanceMatch> out;
  try {
    DcmDataset seriesKeys;
    seriesKeys.putAndInsertString(DCM_QueryRetrieveLevel, "SERIES");
    seriesKeys.putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
    seriesKeys.putAndInsertString(DCM_SeriesInstanceUID, "");
    seriesKeys.putAndInsertString(DCM_Modality, "");
    for (const auto& series : runFind(scu, seriesKeys, where(), "series")) {
      const std::string seriesUid = str(series.get(), DCM_SeriesInstanceUID);
      if (!isUid(seriesUid)) continue;
      DcmDataset keys;
      keys.putAndInsertString(DCM_QueryRetrieveLevel, "IMAGE");
      keys.putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
      keys.putAndInsertString(DCM_SeriesInstanceUID, seriesUid.c_str());
      keys.putAndInsertString(DCM_SOPInstanceUID, "");
      keys.putAndInsertString(DCM_SOPClassUID, "");
      for (const auto& ds : runFind(scu, keys, where(), "instance"))
        out.push_back({studyUid, seriesUid, str(ds.get(), DCM_SOPInstanceUID), str(ds.get(), DCM_SOPClassUID),
                       str(series.get(), DCM_Modality)});
    }
  } catch (...) {
    scu.abortAssociation();
    throw;
  }
  scu.releaseAssociation();
  return out;
}

RetrieveResult PacsClient::retrieveStudy(const std::string& studyUid, const std::string& folder,
                                         const Progress& progress, const std::atomic<bool>* cancel) {
  if (!isUid(studyUid)) throw PacsError("\"" + studyUid + "\" is no Study Instance UID");
  return node_.retrieve == RetrieveMethod::Move ? move(studyUid, folder, progress, cancel)
                                                : get(studyUid, folder, progress, cancel);
}

namespace {

DcmDataset studyKeys(const std::string& studyUid) {
  DcmDataset keys;
  keys.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  keys.putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
  return keys;
}

// The final status of a retrieve's answers; throws PacsError when it failed altogether.
void checkRetrieve(OFList<RetrieveResponse*>& responses, const OFCondition& c, const Scu& scu, const std::string& what) {
  Uint16 finalStatus = STATUS_Success;
  for (RetrieveResponse* r : responses) {
    if (!DICOM_PENDING_STATUS(r->m_status)) finalStatus = r->m_status;
    delete r;
  }
  responses.clear();
  if (scu.cancelled) return;
  if (c.bad()) throw PacsError(what + " failed: " + c.text());
  // 0xB000: some sub-operations failed (counted in `failed`); 0xA7xx, 0xA9xx, 0xC0xx: none was done.
  if (finalStatus != STATUS_Success && finalStatus != STATUS_GET_Warning_SubOperationsCompleteOneOrMoreFailures &&
      scu.files.empty())
    throw PacsError(what + " was refused with status " + hex(finalStatus));
}

// The accepted context of the retrieve service; aborts and says what to choose instead when none.
T_ASC_PresentationContextID retrieveContext(Scu& scu, const char* service, const std::string& missing) {
  const T_ASC_PresentationContextID pc = scu.findPresentationContextID(service, "");
  if (pc == 0) {
    scu.abortAssociation();
    throw PacsError(missing);
  }
  return pc;
}

// Checks the answers, then ends the association: released after a complete retrieve, aborted after
// a cancel or a failure.
RetrieveResult finishRetrieve(Scu& scu, OFList<RetrieveResponse*>& responses, const OFCondition& c,
                              const std::string& what) {
  try {
    checkRetrieve(responses, c, scu, what);
  } catch (...) {
    scu.abortAssociation();
    throw;
  }
  if (scu.cancelled) scu.abortAssociation();
  else scu.releaseAssociation();
  return {scu.files, scu.failed, scu.cancelled};
}

}  // namespace

RetrieveResult PacsClient::get(const std::string& studyUid, const std::string& folder, const Progress& progress,
                               const std::atomic<bool>* cancel) {
  Scu scu;
  scu.cancel = cancel;
  scu.progress = progress;
  scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, uncompressed());
  for (const char* sopClass : kStorageClasses)
    for (const char* ts : kTransferSyntaxes) {
      OFList<OFString> one;
      one.push_back(ts);
      scu.addPresentationContext(sopClass, one, ASC_SC_ROLE_SCP);
    }
  scu.setStorageMode(DCMSCU_STORAGE_BIT_PRESERVING);
  scu.setStorageDir(folder.c_str());
  connect(scu);
  const T_ASC_PresentationContextID pc = retrieveContext(
      scu, UID_GETStudyRootQueryRetrieveInformationModel,
      where() + " does not offer C-GET: set the node's retrieve method to C-MOVE");
  DcmDataset keys = studyKeys(studyUid);
  OFList<RetrieveResponse*> responses;
  const OFCondition c = scu.sendCGETRequest(pc, &keys, &responses);
  return finishRetrieve(scu, responses, c, where() + " C-GET of study " + studyUid);
}

RetrieveResult PacsClient::move(const std::string& studyUid, const std::string& folder, const Progress& progress,
                                const std::atomic<bool>* cancel) {
  MoveReceiver receiver;
  receiver.progress = progress;
  receiver.setAETitle(local_.aeTitle.c_str());
  receiver.setPort(Uint16(local_.port));
  receiver.setConnectionBlockingMode(DUL_NOBLOCK);
  receiver.setConnectionTimeout(1);  // how often the listener looks whether it should stop
  receiver.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  receiver.setDIMSETimeout(Uint32(timeouts_.dimseSeconds));
  receiver.setACSETimeout(Uint32(timeouts_.connectSeconds));
  receiver.setOutputDirectory(folder.c_str());
  receiver.setDatasetStorageMode(DcmStorageSCP::DGM_StoreBitPreserving);
  OFList<OFString> all;
  for (const char* ts : kTransferSyntaxes) all.push_back(ts);
  for (const char* sopClass : kStorageClasses) receiver.addPresentationContext(sopClass, all);
  // What DcmSCP::listen() does before accepting, split so that a port in use is reported at once.
  OFCondition listenResult = receiver.setAndCheckAssociationProfile("DEFAULT");
  if (listenResult.good()) listenResult = receiver.openListenPort();
  if (listenResult.bad())
    throw PacsError("the workstation cannot listen on port " + std::to_string(local_.port) +
                    " for the C-MOVE from " + where() + ": " + listenResult.text());
  std::thread listener([&] { listenResult = receiver.acceptAssociations(); });
  struct Join {
    MoveReceiver& r;
    std::thread& t;
    ~Join() {
      r.stopping = true;
      if (t.joinable()) t.join();
    }
  } join{receiver, listener};

  Scu scu;
  scu.cancel = cancel;
  scu.addPresentationContext(UID_MOVEStudyRootQueryRetrieveInformationModel, uncompressed());
  connect(scu);
  const T_ASC_PresentationContextID pc = retrieveContext(
      scu, UID_MOVEStudyRootQueryRetrieveInformationModel,
      where() + " does not offer C-MOVE: set the node's retrieve method to C-GET");
  DcmDataset keys = studyKeys(studyUid);
  OFList<RetrieveResponse*> responses;
  const OFCondition c = scu.sendMOVERequest(pc, local_.aeTitle.c_str(), &keys, &responses);
  {
    std::lock_guard<std::mutex> lock(receiver.mutex);
    scu.files = receiver.files;
  }
  return finishRetrieve(scu, responses, c, where() + " C-MOVE of study " + studyUid + " to " + local_.aeTitle);
}

void PacsClient::store(const std::string& file) {
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str()).bad()) throw PacsError(file + ": not a readable DICOM file");
  DcmDataset* ds = ff.getDataset();
  const std::string sopClass = str(ds, DCM_SOPClassUID);
  if (!isUid(sopClass) || !isUid(str(ds, DCM_SOPInstanceUID)))
    throw PacsError(file + ": no SOP Class or SOP Instance UID, nothing a PACS can store");
  // The file's own transfer syntax in a context of its own, so that a PACS that takes it gets the
  // object as written; the uncompressed ones as the fallback DCMTK converts to.
  const std::string fileTs = DcmXfer(ds->getOriginalXfer()).getXferID();
  DcmSCU scu;
  if (!fileTs.empty()) {
    OFList<OFString> own;
    own.push_back(fileTs.c_str());
    scu.addPresentationContext(sopClass.c_str(), own);
  }
  scu.addPresentationContext(sopClass.c_str(), uncompressed());
  connect(scu);
  T_ASC_PresentationContextID pc = fileTs.empty() ? 0 : scu.findPresentationContextID(sopClass.c_str(), fileTs.c_str());
  if (pc == 0) pc = scu.findAnyPresentationContextID(sopClass.c_str(), UID_LittleEndianExplicitTransferSyntax);
  if (pc == 0) {
    scu.abortAssociation();
    throw PacsError(where() + " does not accept " + dcmFindNameOfUID(sopClass.c_str(), sopClass.c_str()) + " objects");
  }
  Uint16 status = 0;
  const OFCondition c = scu.sendSTORERequest(pc, file.c_str(), nullptr, status);
  if (c.bad()) {
    scu.abortAssociation();
    throw PacsError(where() + " C-STORE failed: " + c.text());
  }
  scu.releaseAssociation();
  if (status != STATUS_Success && (status & 0xF000) != 0xB000)
    throw PacsError(where() + " refused to store the object (status " + hex(status) + ")");
}

}  // namespace fedmrg::app
