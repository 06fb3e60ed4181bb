// The patient banner's identity: read back from the store after a real DICOM import (name, ID,
// birth date, sex, study date, accession), the age at the study date, and the formatting rules.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/patient_identity.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;
using fedmrg::testing::TestDicom;
using fedmrg::testing::writeTestDicom;

class TstPatientIdentity : public QObject {
  Q_OBJECT

 private slots:
  void importedStudyGivesTheBannerIdentity() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto site = Site::create(dir.filePath("site"), "identity passphrase", "Identity Site", "admin", "Admin", "adminpass1");
    TestDicom d;
    d.width = d.height = 32;
    d.studyUid = "1.2.3.7.1";
    d.patientName = "Doe^Jane^Q^Dr";
    d.patientId = "PID-77";
    d.patientSex = "F";
    d.patientBirthDate = "19700315";
    d.studyDate = "20260314";
    d.accessionNumber = "ACC-2026-001";
    writeTestDicom(dir.filePath("one.dcm").toStdString(), d);
    d.studyUid = "1.2.3.7.2";
    d.sopUid = "1.2.3.7.2.1.1";
    d.patientName = "Roe^Rick";
    d.patientId = "PID-88";
    d.patientSex.clear();
    d.patientBirthDate.clear();
    d.accessionNumber.clear();
    writeTestDicom(dir.filePath("two.dcm").toStdString(), d);
    QCOMPARE(DicomImporter(*site).importPaths({dir.filePath("one.dcm"), dir.filePath("two.dcm")}).imported, 2);

    const auto studies = listStudies(*site);
    QCOMPARE(int(studies.size()), 2);
    for (const auto& s : studies) {
      const auto found = findStudy(*site, s.id);
      QVERIFY(found.has_value());
      QCOMPARE(found->studyUid, s.studyUid);
      QCOMPARE(found->patientId, s.patientId);
      QCOMPARE(found->accessionNumber, s.accessionNumber);
    }
    QVERIFY(!findStudy(*site, studies[0].id + studies[1].id + 1).has_value());

    const auto jane = std::find_if(studies.begin(), studies.end(), [](const StudySummary& s) { return s.patientId == "PID-77"; });
    QVERIFY(jane != studies.end());
    const PatientIdentity id = patientIdentity(*jane);
    QCOMPARE(id.studyId, jane->id);
    QCOMPARE(id.name, std::string("Doe, Jane Q"));
    QCOMPARE(id.patientId, std::string("PID-77"));
    QCOMPARE(id.birthDate, std::string("1970-03-15"));
    QCOMPARE(id.age, std::string("55 y"));  // one day before the 56th birthday
    QCOMPARE(id.sex, std::string("female"));
    QCOMPARE(id.studyDate, std::string("2026-03-14"));
    QCOMPARE(id.accessionNumber, std::string("ACC-2026-001"));

    // Values absent from the file stay empty rather than invented.
    const auto rick = std::find_if(studies.begin(), studies.end(), [](const StudySummary& s) { return s.patientId == "PID-88"; });
    QVERIFY(rick != studies.end());
    const PatientIdentity other = patientIdentity(*rick);
    QCOMPARE(other.name, std::string("Roe, Rick"));
    QVERIFY(other.birthDate.empty() && other.age.empty() && other.sex.empty() && other.accessionNumber.empty());
  }

  void agesAndFormats() {
    QCOMPARE(ageOn("20000101", "20260101"), std::string("26 y"));
    QCOMPARE(ageOn("20000102", "20260101"), std::string("25 y"));
    QCOMPARE(ageOn("20240301", "20260228"), std::string("23 mo"));
    QCOMPARE(ageOn("20251215", "20260114"), std::string("30 d"));
    QCOMPARE(ageOn("20251215", "20260115"), std::string("1 mo"));
    QCOMPARE(ageOn("20260101", "20260101"), std::string("0 d"));
    QVERIFY(ageOn("20270101", "20260101").empty());  // born after the study: no age
    QVERIFY(ageOn("", "20260101").empty());
    QVERIFY(ageOn("1970", "20260101").empty());
    QCOMPARE(displayPersonName("Smith"), std::string("Smith"));
    QCOMPARE(displayPersonName("^Anna"), std::string("Anna"));
    QCOMPARE(displayPersonName("Smith^"), std::string("Smith"));
    QCOMPARE(displayDate("20260110"), std::string("2026-01-10"));
    QCOMPARE(displayDate("2026"), std::string("2026"));
  }
};

QTEST_APPLESS_MAIN(TstPatientIdentity)
#include "tst_patient_identity.moc"
