// The versions dialog compares a report version with the report version before it, never with an
// addendum, and shows an addendum as its own text added, never as a replacement of the report.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/version_comparison.h"

using namespace fedmrg::app;

class TstVersionComparison : public QObject {
  Q_OBJECT

  static QString marked(const std::vector<DiffPiece>& pieces) {
    QString out;
    for (const auto& p : pieces)
      out += (p.kind == DiffPiece::Added     ? "+["
              : p.kind == DiffPiece::Removed ? "-["
                                             : "[") +
             QString::fromStdString(p.text) + "]";
    return out;
  }

 private slots:
  void addendaAreAddedTextOnly() {
    QTemporaryDir dir;
    auto site = Site::create(dir.filePath("site"), "compare passphrase", "Compare Site", "rad", "Dr Rad", "radpass123");
    auto st = site->store().prepare("INSERT INTO studies(study_uid, imported_at) VALUES('1.2.3.9', ?)");
    st.bind(1, nowUtc()).run();
    const int64_t study = site->store().lastInsertId();
    ReportService reports(*site, 1);
    reports.save(study, "Heart normal.", "Normal.", "");
    reports.save(study, "Heart enlarged.", "Cardiomegaly.", "cardiomegaly=positive");
    reports.sign(study, ReportStatus::Final);
    reports.addAddendum(study, "Prior reviewed.");
    reports.addAddendum(study, "Called the ward.");
    const auto versions = reports.versions(study);
    QCOMPARE(int(versions.size()), 5);

    QVERIFY(comparedWith(versions, 0) == nullptr);
    QCOMPARE(comparedWith(versions, 1), &versions[0]);
    QCOMPARE(comparedWith(versions, 2), &versions[1]);
    // Each addendum stands alone: not compared with the report, nor with the addendum before it.
    QVERIFY(comparedWith(versions, 3) == nullptr);
    QVERIFY(comparedWith(versions, 4) == nullptr);
    QCOMPARE(marked(versionDiff(versions, 4)), QString("+[ADDENDUM: Called the ward.]"));
    QCOMPARE(marked(versionDiff(versions, 1)),
             QString("[FINDINGS: Heart ]-[normal.\n]+[enlarged.\n][IMPRESSION: ]-[Normal.]+[Cardiomegaly.]"));
    QCOMPARE(marked(versionDiff(versions, 2)), QString("[FINDINGS: Heart enlarged.\nIMPRESSION: Cardiomegaly.]"));
    QVERIFY(versionDiff(versions, 9).empty());

    // A report version after an addendum is compared with the report version, skipping the addendum.
    std::vector<ReportVersion> later = versions;
    ReportVersion corrected = versions[2];
    corrected.version = 6;
    corrected.findings = "Heart mildly enlarged.";
    later.push_back(corrected);
    QCOMPARE(comparedWith(later, 5), &later[2]);
    QVERIFY(!marked(versionDiff(later, 5)).contains("ADDENDUM"));
  }
};

QTEST_APPLESS_MAIN(TstVersionComparison)
#include "tst_version_comparison.moc"
