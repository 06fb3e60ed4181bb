// The prior's report as the reader sees it: the final version with its addenda, else the latest
// preliminary sign-off (marked as such), never a draft; and the COMPARISON line that names the
// prior, inserted before the findings or replacing an existing COMPARISON line.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/prior_report.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/site/user_directory.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;

class TstPriorReport : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<ReportService> reports_;

  // Imports a one-image study; returns its id.
  int64_t addStudy(const std::string& uid) {
    fedmrg::testing::TestDicom d;
    d.width = d.height = 16;
    d.studyUid = uid;
    d.sopUid = uid + ".1.1";
    const QString file = dir_.filePath(QString::fromStdString("in-" + uid + ".dcm"));
    fedmrg::testing::writeTestDicom(file.toStdString(), d);
    if (DicomImporter(*site_).importPaths({file}).imported != 1) return 0;
    for (const auto& s : listStudies(*site_))
      if (s.studyUid == uid) return s.id;
    return 0;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ =
        Site::create(dir_.filePath("site"), "prior report passphrase", "Prior Site", "admin", "Admin", "adminpass1");
    const int64_t rad = UserDirectory(*site_).addUser("rad", "Dr Rad", Role::Radiologist, "radpass123");
    reports_ = std::make_unique<ReportService>(*site_, rad);
  }

  void finalReportComesWithItsAddenda() {
    const int64_t study = addStudy("1.2.3.200");
    reports_->save(study, "Small left effusion.", "Effusion.", "");
    reports_->sign(study, ReportStatus::Preliminary);
    reports_->sign(study, ReportStatus::Final);
    reports_->addAddendum(study, "Reviewed with the CT: unchanged.");
    reports_->addAddendum(study, "Called to Dr Who.");
    const auto signed_ = latestSignedReport(*reports_, study);
    QVERIFY(signed_.has_value());
    QVERIFY(signed_->report.status == ReportStatus::Final);
    QCOMPARE(signed_->report.findings, std::string("Small left effusion."));
    QCOMPARE(signed_->report.author, std::string("Dr Rad"));
    QCOMPARE(int(signed_->addenda.size()), 2);
    QCOMPARE(signed_->addenda[0].findings, std::string("Reviewed with the CT: unchanged."));
    QCOMPARE(signed_->addenda[1].findings, std::string("Called to Dr Who."));
  }

  void preliminaryWhenNeverFinalAndNeverADraft() {
    const int64_t study = addStudy("1.2.3.201");
    reports_->save(study, "Signed text.", "Signed impression.", "");
    reports_->sign(study, ReportStatus::Preliminary);
    reports_->save(study, "Later draft nobody signed.", "", "");
    const auto signed_ = latestSignedReport(*reports_, study);
    QVERIFY(signed_.has_value());
    QVERIFY(signed_->report.status == ReportStatus::Preliminary);
    QCOMPARE(signed_->report.findings, std::string("Signed text."));
    QVERIFY(signed_->addenda.empty());

    const int64_t draftOnly = addStudy("1.2.3.202");
    reports_->save(draftOnly, "Only a draft.", "", "");
    QVERIFY(!latestSignedReport(*reports_, draftOnly).has_value());
    QVERIFY(!latestSignedReport(*reports_, addStudy("1.2.3.203")).has_value());
  }

  void comparisonLineNamesThePrior() {
    StudySummary prior;
    prior.studyDate = "20250105";
    prior.description = "  CHEST  PA ";
    prior.modality = "CR";
    QCOMPARE(comparisonLine(prior), std::string("COMPARISON: 2025-01-05 CHEST PA."));
    prior.description.clear();
    QCOMPARE(comparisonLine(prior), std::string("COMPARISON: 2025-01-05 CR."));
    prior.studyDate.clear();
    QCOMPARE(comparisonLine(prior), std::string("COMPARISON: undated CR."));
  }

  void comparisonLineIsInsertedOrReplaced() {
    const std::string line = "COMPARISON: 2025-01-05 CHEST PA.";
    QCOMPARE(withComparisonLine("", line), line);
    QCOMPARE(withComparisonLine("Heart normal.\nLungs clear.", line), line + "\nHeart normal.\nLungs clear.");
    // An existing line is replaced where it stands, once; the rest is kept as it was.
    QCOMPARE(withComparisonLine("Comparison: none.\nHeart normal.", line), line + "\nHeart normal.");
    QCOMPARE(withComparisonLine("TECHNIQUE: PA.\n  COMPARISON : 2020-01-01.\nHeart normal.", line),
             "TECHNIQUE: PA.\n" + line + "\nHeart normal.");
    QCOMPARE(withComparisonLine(line + "\nHeart normal.", line), line + "\nHeart normal.");
    // A sentence that mentions a comparison is not the COMPARISON line.
    QCOMPARE(withComparisonLine("No comparison available.", line), line + "\nNo comparison available.");
  }
};

QTEST_APPLESS_MAIN(TstPriorReport)
#include "tst_prior_report.moc"
