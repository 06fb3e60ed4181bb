// Which studies are one patient's, and which one is the prior: real DICOM studies imported into a
// real site. Same Patient ID matches; when the IDs differ, the same name (DICOM PN compared without
// case, spaces or trailing empty components) and the same birth date match; a name without a birth
// date, or with another birth date, does not. The prior is the newest study strictly before the
// current one (date, then time, then import order); an undated study is never the prior.
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "app/site/dicom_importer.h"
#include "app/site/prior_studies.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;
using fedmrg::testing::TestDicom;
using fedmrg::testing::writeTestDicom;

class TstPriorStudies : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int written_ = 0;

  // Writes one single-image study; its accession number names it in the assertions.
  void write(const std::string& accession, const std::string& name, const std::string& id, const std::string& born,
             const std::string& date, const std::string& time = {}) {
    TestDicom d;
    d.width = d.height = 16;
    d.studyUid = "1.2.826.0.1.3680043.10.97." + std::to_string(++written_);
    d.sopUid = d.studyUid + ".1.1";
    d.accessionNumber = accession;
    d.patientName = name;
    d.patientId = id;
    d.patientBirthDate = born;
    d.studyDate = date;
    d.studyTime = time;
    d.description = "CHEST " + accession;
    // Named in writing order, which the importer keeps (sorted names): the import order is the
    // writing order, not the date order.
    const QString file = QStringLiteral("incoming/%1-%2.dcm")
                             .arg(written_, 2, 10, QLatin1Char('0'))
                             .arg(QString::fromStdString(accession));
    writeTestDicom(dir_.filePath(file).toStdString(), d);
  }

  int64_t study(const std::string& accession) {
    for (const auto& s : listStudies(*site_))
      if (s.accessionNumber == accession) return s.id;
    return 0;
  }

  // The accession numbers of the patient's other studies, in the order patientStudies gives them.
  static QStringList accessions(const std::vector<StudySummary>& studies) {
    QStringList out;
    for (const auto& s : studies) out << QString::fromStdString(s.accessionNumber);
    return out;
  }

  QString priorOf(const std::string& accession) {
    const auto p = patientStudies(*site_, study(accession));
    return p.prior ? QString::fromStdString(p.prior->accessionNumber) : QString();
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "priors passphrase", "Priors Site", "admin", "Admin", "adminpass1");
    QVERIFY(QDir(dir_.path()).mkpath("incoming"));
    // Ann: three studies under one ID, imported out of date order.
    write("ANN-2025", "Smith^Ann", "ID-ANN", "19600101", "20250301");
    write("ANN-2026", "Smith^Ann", "ID-ANN", "19600101", "20260105");
    write("ANN-2024", "Smith^Ann", "ID-ANN", "19600101", "20240710");
    // Bob: two IDs (another hospital's), one name written two ways, one birth date.
    write("BOB-NEW", "Brown^Bob", "ID-BOB-1", "19700202", "20260110");
    write("BOB-OLD", "BROWN ^ bob ^^", "OTHER-77", "19700202", "20230405");
    // A namesake of Bob born on another day, and one without a birth date: never Bob's.
    write("BOB-TWIN", "Brown^Bob", "ID-BOB-2", "19700203", "20250101");
    write("BOB-NODOB", "Brown^Bob", "ID-BOB-3", "", "20240101");
    // Cat: two studies on one day (times order them), one on the same day and time imported
    // later, one undated study.
    write("CAT-PM", "Cole^Cat", "ID-CAT", "19800303", "20260201", "151500");
    write("CAT-AM", "Cole^Cat", "ID-CAT", "19800303", "20260201", "0830");
    write("CAT-PM2", "Cole^Cat", "ID-CAT", "19800303", "20260201", "151500");
    write("CAT-UNDATED", "Cole^Cat", "ID-CAT", "19800303", "");
    // Dan: no ID twice; the same name and birth date still match.
    write("DAN-1", "Dix^Dan", "", "19900404", "20250505");
    write("DAN-2", "Dix^Dan", "", "19900404", "20260505");
    // Eve and Fay: empty IDs and no birth dates: nothing matches.
    write("EVE", "Eve", "", "", "20250101");
    write("FAY", "Fay", "", "", "20240101");
    const auto result = DicomImporter(*site_).importPaths({dir_.filePath("incoming")});
    QCOMPARE(result.imported, 15);
  }

  void sameIdMatchesNewestFirst() {
    const auto p = patientStudies(*site_, study("ANN-2026"));
    QVERIFY(p.current.has_value());
    QCOMPARE(accessions(p.others), QStringList({"ANN-2025", "ANN-2024"}));
    QVERIFY(std::all_of(p.matches.begin(), p.matches.end(),
                        [](PatientMatch m) { return m == PatientMatch::SamePatientId; }));
    QCOMPARE(priorOf("ANN-2026"), QString("ANN-2025"));
    QCOMPARE(priorOf("ANN-2025"), QString("ANN-2024"));
  }

  void oldestStudyHasNoPrior() {
    const auto p = patientStudies(*site_, study("ANN-2024"));
    QVERIFY(!p.prior);
    QCOMPARE(accessions(p.others), QStringList({"ANN-2026", "ANN-2025"}));
    QCOMPARE(p.whyNoPrior, PatientStudies::NoPrior::OnlyLaterOrUndated);
  }

  void nameAndBirthDateMatchWhenIdsDiffer() {
    const auto p = patientStudies(*site_, study("BOB-NEW"));
    QCOMPARE(accessions(p.others), QStringList({"BOB-OLD"}));  // neither the namesake nor the one without birth date
    QCOMPARE(priorOf("BOB-NEW"), QString("BOB-OLD"));
    QCOMPARE(p.priorMatch, PatientMatch::SameNameAndBirthDate);
    QCOMPARE(accessions(patientStudies(*site_, study("DAN-2")).others), QStringList({"DAN-1"}));
    QCOMPARE(priorOf("DAN-2"), QString("DAN-1"));
  }

  void otherBirthDateOrNoBirthDateDoesNotMatch() {
    const auto twin = patientStudies(*site_, study("BOB-TWIN"));
    QVERIFY(twin.others.empty());
    QCOMPARE(twin.whyNoPrior, PatientStudies::NoPrior::NoOtherStudy);
    QVERIFY(patientStudies(*site_, study("BOB-NODOB")).others.empty());
    // Empty IDs never match each other, and names without birth dates never do.
    QVERIFY(patientStudies(*site_, study("EVE")).others.empty());
    QVERIFY(patientStudies(*site_, study("FAY")).others.empty());
  }

  void timeAndImportOrderBreakDateTies() {
    QCOMPARE(priorOf("CAT-PM"), QString("CAT-AM"));
    QCOMPARE(priorOf("CAT-PM2"), QString("CAT-PM"));  // same date and time: imported before it
    QVERIFY(priorOf("CAT-AM").isEmpty());
    const auto p = patientStudies(*site_, study("CAT-PM2"));
    QCOMPARE(accessions(p.others), QStringList({"CAT-PM", "CAT-AM", "CAT-UNDATED"}));
    QCOMPARE(p.undatedOthers, 1);
  }

  void undatedStudyIsListedNeverThePrior() {
    // CAT-AM's only earlier-imported study is undated: it is listed, not chosen.
    const auto am = patientStudies(*site_, study("CAT-AM"));
    QVERIFY(!am.prior);
    QVERIFY(accessions(am.others).contains("CAT-UNDATED"));
    QCOMPARE(am.whyNoPrior, PatientStudies::NoPrior::OnlyLaterOrUndated);
    // An undated study cannot say which studies came before it.
    const auto undated = patientStudies(*site_, study("CAT-UNDATED"));
    QVERIFY(!undated.prior);
    QCOMPARE(undated.others.size(), size_t(3));
    QCOMPARE(undated.whyNoPrior, PatientStudies::NoPrior::CurrentUndated);
  }

  void priorCountsAgreeWithThePrior() {
    const auto all = listStudies(*site_);
    const auto counts = priorCounts(all);
    QCOMPARE(counts.size(), all.size());
    auto countOf = [&](const std::string& accession) {
      for (size_t i = 0; i < all.size(); ++i)
        if (all[i].accessionNumber == accession) return counts[i];
      return -1;
    };
    QCOMPARE(countOf("ANN-2026"), 2);
    QCOMPARE(countOf("ANN-2025"), 1);
    QCOMPARE(countOf("ANN-2024"), 0);
    QCOMPARE(countOf("BOB-NEW"), 1);
    QCOMPARE(countOf("BOB-TWIN"), 0);
    QCOMPARE(countOf("CAT-PM2"), 2);
    QCOMPARE(countOf("CAT-UNDATED"), 0);
    QCOMPARE(countOf("DAN-2"), 1);
    QCOMPARE(countOf("EVE"), 0);
    // Every study with a prior counts at least one, and one without counts none.
    for (size_t i = 0; i < all.size(); ++i) QCOMPARE(counts[i] > 0, patientStudies(all, all[i].id).prior.has_value());
  }

  void namesCompareAsDicomPersonNames() {
    QCOMPARE(normalizedPersonName(" doe ^  john  ^^^"), std::string("DOE^JOHN"));
    QCOMPARE(normalizedPersonName("Doe^John=ドウ^ジョン"), std::string("DOE^JOHN"));
    QCOMPARE(normalizedPersonName("^^"), std::string());
    QVERIFY(normalizedPersonName("Doe^John") != normalizedPersonName("Doe John"));
  }
};

QTEST_APPLESS_MAIN(TstPriorStudies)
#include "tst_prior_studies.moc"
