// The reading order: next / previous follow the worklist's rows as shown (sorted, filtered), and
// the next study to sign skips final reports, goes on from the top, and is 0 when none is left.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/reading_order.h"
#include "app/site/report_service.h"
#include "app/site/worklist_model.h"
#include "app/worklist_site.h"

using namespace fedmrg::app;

class TstReadingOrder : public QObject {
  Q_OBJECT

 private slots:
  void followsTheListAsShown() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto site =
        fedmrg::testing::siteWithPatients(dir, {"Alpha^Anna", "Bravo^Ben", "Charlie^Carl", "Delta^Dora"}, "1.2.3.7");
    QVERIFY(site);
    WorklistModel model(site.get());
    WorklistFilter list;
    list.setSourceModel(&model);
    list.sort(WorklistModel::Patient, Qt::DescendingOrder);  // Delta, Charlie, Bravo, Alpha
    auto id = [&](const char* patientId) {
      for (int r = 0; r < model.rowCount(); ++r)
        if (model.study(r).patientId == patientId) return model.study(r).id;
      return int64_t(0);
    };
    const int64_t a = id("P1"), b = id("P2"), c = id("P3"), dd = id("P4");
    QCOMPARE(adjacentStudy(list, dd, 1), c);
    QCOMPARE(adjacentStudy(list, c, -1), dd);
    QCOMPARE(adjacentStudy(list, a, 1), int64_t(0));    // past the end
    QCOMPARE(adjacentStudy(list, dd, -1), int64_t(0));  // before the start
    QCOMPARE(adjacentStudy(list, 0, 1), dd);            // nothing open: the first row
    QCOMPARE(adjacentStudy(list, 0, -1), a);            // ... or the last
    list.setSearchText("l");                            // Alpha, Charlie, Delta: Bravo has no "l"
    QCOMPARE(adjacentStudy(list, c, -1), dd);
    QCOMPARE(adjacentStudy(list, c, 1), a);  // Bravo is not listed
    list.setSearchText("");

    // Final reports are skipped; after the last row the top comes next; the current never.
    ReportService reports(*site, 1);
    for (int64_t s : {c, b}) {
      reports.save(s, "Clear lungs.", "Normal.", "", "human");
      reports.sign(s, ReportStatus::Final);
    }
    model.reload();
    QCOMPARE(nextUnsignedStudy(list, dd), a);  // Charlie and Bravo are final
    QCOMPARE(nextUnsignedStudy(list, a), dd);  // from the top
    QCOMPARE(nextUnsignedStudy(list, 0), dd);
    reports.save(dd, "Clear lungs.", "Normal.", "", "human");
    reports.sign(dd, ReportStatus::Preliminary);  // preliminary is still to sign
    model.reload();
    QCOMPARE(nextUnsignedStudy(list, a), dd);
    reports.sign(dd, ReportStatus::Final);
    model.reload();
    QCOMPARE(nextUnsignedStudy(list, a), int64_t(0));  // none left but the current one
  }
};

QTEST_GUILESS_MAIN(TstReadingOrder)
#include "tst_reading_order.moc"
