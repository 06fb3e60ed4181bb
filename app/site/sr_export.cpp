#include "app/site/sr_export.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "app/site/report_service.h"
#include "app/site/site.h"

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

}  // namespace

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
  for (const auto& v : reports.versions(studyId)) {
    if (v.kind != ReportKind::Addendum) continue;
    check(tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Text, DSRCodedEntryValue("121106", "DCM", "Comment")),
          "addendum");
    check(tree.getCurrentContentItem().setStringValue("Addendum " + v.createdAt + ": " + v.findings, false), "addendum");
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
  const std::string signer = latest->author.empty() ? std::string("Unknown") : latest->author;
  check(doc.verifyDocument(signer, site.name().empty() ? std::string("FedMRG site") : site.name()), "verification");
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
