#include "app/site/sr_export.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <algorithm>

#include "app/site/chest_check.h"
#include "app/site/person_name.h"
#include "app/site/site.h"
#include "app/site/stored_time.h"

namespace fedmrg::app {
namespace {

void check(const OFCondition& c, const std::string& what) {
  if (c.bad()) throw StoreError("SR export: " + what + ": " + c.text());
}

// A titled container with one text item; `first` puts it below the root, otherwise after the
// previous section. The cursor ends on the container.
void addSection(DSRDocumentTree& tree, bool first, const DSRCodedEntryValue& title, const DSRCodedEntryValue& item,
                const std::string& text) {
  const auto container = DSRCodedEntryValue(title);
  check(first ? tree.addChildContentItem(DSRTypes::RT_contains, DSRTypes::VT_Container, container)
              : tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Container, container),
        "section");
  check(tree.addChildContentItem(DSRTypes::RT_contains, DSRTypes::VT_Text, item), "text item");
  check(tree.getCurrentContentItem().setStringValue(text, false), "text");
  tree.goUp();
}

// "A", "A and B", "A, B and C".
std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

}  // namespace

std::string draftingStatement(const std::vector<ReportVersion>& versions, const std::string& signer) {
  auto last = std::find_if(versions.rbegin(), versions.rend(), [](const ReportVersion& v) { return v.kind == ReportKind::Report; });
  if (last == versions.rend()) return {};
  const bool drafted = last->origin != "human";
  // The people who saved the text as a draft since the model last drafted it (or since the start).
  std::vector<std::string> editors;
  for (auto it = last; it != versions.rend() && !(drafted && it->origin == "model"); ++it) {
    const bool edit = it->kind == ReportKind::Report && it->status == ReportStatus::Draft && !it->requestedBy.empty();
    if (edit && std::find(editors.begin(), editors.end(), it->requestedBy) == editors.end())
      editors.insert(editors.begin(), it->requestedBy);
  }
  const std::string signedBy = signer.empty() ? std::string("an unknown user") : signer;
  if (!drafted) {
    if (editors.empty() || editors == std::vector<std::string>{signer})
      return "Findings and impression were written and verified by " + signedBy + ", without a model draft.";
    return "Findings and impression were written by " + listed(editors) + " without a model draft and verified by " +
           signedBy + ".";
  }
  const std::string model = "Findings and impression were drafted by the report model " + last->model.label();
  if (last->origin == "model") return model + " and verified by " + signedBy + " without edits.";
  if (editors.empty() || editors == std::vector<std::string>{signer})
    return model + ", then edited and verified by " + signedBy + ".";
  return model + ", edited by " + listed(editors) + " and verified by " + signedBy + ".";
}

SrExportResult exportFinalReportAsSr(Site& site, int64_t studyId, const QString& file, int64_t userId) {
  ReportService reports(site, userId);
  const auto latest = reports.latest(studyId);
  if (!latest || latest->status != ReportStatus::Final) throw StoreError("only a final report can be exported as DICOM SR");

  auto st = site.store().prepare(
      "SELECT study_uid, patient_name, patient_id, patient_sex, patient_birth_date, study_date, study_time, "
      "description, accession_number FROM studies WHERE id = ?");
  st.bind(1, studyId);
  if (!st.step()) throw StoreError("no study with id " + std::to_string(studyId));
  const std::string studyUid = st.text(0);

  DSRDocument doc(DSRTypes::DT_BasicTextSR);
  check(doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8), "character set");
  check(doc.createNewSeriesInStudy(studyUid), "study UID");
  doc.setPatientName(st.text(1), false);
  doc.setPatientID(st.text(2), false);
  doc.setPatientSex(st.text(3), false);
  doc.setPatientBirthDate(st.text(4), false);
  doc.setStudyDate(st.text(5), false);
  doc.setStudyTime(st.text(6), false);
  doc.setStudyDescription(st.text(7), false);
  doc.setAccessionNumber(st.text(8), false);
  doc.setSeriesDescription("Radiology report", false);
  doc.setManufacturer("FedMRG Workstation", false);

  DSRDocumentTree& tree = doc.getTree();
  check(tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) ? EC_Normal : EC_IllegalCall, "root");
  check(tree.getCurrentContentItem().setConceptName(DSRCodedEntryValue("18748-4", "LN", "Diagnostic Imaging Report")),
        "title");
  addSection(tree, true, DSRCodedEntryValue("121070", "DCM", "Findings"), DSRCodedEntryValue("121071", "DCM", "Finding"),
             latest->findings);
  addSection(tree, false, DSRCodedEntryValue("121072", "DCM", "Impressions"),
             DSRCodedEntryValue("121073", "DCM", "Impression"), latest->impression);
  const auto signOff = reports.signOff(studyId);
  const std::string signer = signOff ? signOff->signer : std::string();
  const auto versions = reports.versions(studyId);
  const DSRCodedEntryValue comment("121106", "DCM", "Comment");
  check(tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Text, comment), "drafting");
  check(tree.getCurrentContentItem().setStringValue(draftingStatement(versions, signer), false), "drafting");
  // A model draft was made only after the chest radiograph check said yes or uncertain: a reader of the
  // SR (outside this program) learns that the model itself was unsure the image is a chest radiograph.
  if (latest->origin != "human" && !latest->chestCheck.empty()) {
    check(tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Text, comment), "chest check");
    check(tree.getCurrentContentItem().setStringValue(chestCheckStatement(latest->chestCheck), false), "chest check");
  }
  for (const auto& v : versions) {
    if (v.kind != ReportKind::Addendum) continue;
    check(tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Text, comment), "addendum");
    check(tree.getCurrentContentItem().setStringValue("Addendum " + v.createdAt + " (" + v.author + "): " + v.findings, false),
          "addendum");
  }

  SrExportResult result;
  result.file = file;
  auto images = site.store().prepare(
      "SELECT r.series_uid, i.sop_class_uid, i.sop_uid FROM images i JOIN series r ON i.series_id = r.id "
      "WHERE r.study_id = ? ORDER BY i.id");
  images.bind(1, studyId);
  while (images.step()) {
    check(doc.getCurrentRequestedProcedureEvidence().addItem(studyUid, images.text(0), images.text(1), images.text(2)),
          "evidence");
    ++result.referencedImages;
  }

  check(doc.completeDocument(), "completion");
  // The observer is the person who signed final (never a model), named as PN, at the sign-off's time.
  const std::string observer = signer.empty() ? std::string("Unknown") : dicomPersonName(signer);
  const std::string verifiedAt = signOff ? dicomDateTime(signOff->signedAt) : std::string();
  // LO: no backslash, at most 64 characters.
  QString organization = QString::fromStdString(site.name().empty() ? std::string("FedMRG site") : site.name());
  organization = organization.remove(QLatin1Char('\\')).left(64);
  // Unchecked by DCMTK: its 3.6.7 check refuses the UTC offset "+0000", which DICOM's DT allows; the
  // values are valid by construction (dicomPersonName, dicomDateTime, the LO above).
  check(doc.verifyDocument(observer, organization.toStdString(), verifiedAt, OFFalse), "verification");
  doc.createNewSOPInstance();
  DcmFileFormat out;
  check(doc.write(*out.getDataset()), "encode");
  check(out.saveFile(file.toStdString().c_str(), EXS_LittleEndianExplicit), file.toStdString());
  OFString uid;
  doc.getSOPInstanceUID(uid);
  result.sopInstanceUid = uid.c_str();
  site.audit(userId, "report.export.sr", studyId, "version " + std::to_string(latest->version));
  return result;
}

}  // namespace fedmrg::app
