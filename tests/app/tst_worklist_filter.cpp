// The worklist filter: search and status narrow the list, and the pinned (open) study stays listed
// whatever they say, until another is pinned.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/site.h"
#include "app/site/worklist_model.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;

class TstWorklistFilter : public QObject {
  Q_OBJECT

 private slots:
  void pinnedStudyStaysListed() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto site = Site::create(dir.filePath("site"), "filter passphrase", "Filter Site", "admin", "Admin", "adminpass1");
    fedmrg::testing::TestDicom d;
    d.width = d.height = 32;
    const char* names[] = {"Alpha^Anna", "Bravo^Ben", "Charlie^Carl"};
    for (int i = 0; i < 3; ++i) {
      d.studyUid = "1.2.3.9." + std::to_string(i + 1);
      d.sopUid = d.studyUid + ".1.1";
      d.patientName = names[i];
      d.patientId = "P" + std::to_string(i + 1);
      fedmrg::testing::writeTestDicom(dir.filePath(QString("s%1.dcm").arg(i)).toStdString(), d);
    }
    QCOMPARE(DicomImporter(*site).importPaths({dir.path()}).imported, 3);
    WorklistModel model(site.get());
    WorklistFilter filter;
    filter.setSourceModel(&model);
    auto listed = [&] {
      QStringList ids;
      for (int r = 0; r < filter.rowCount(); ++r) ids << filter.index(r, WorklistModel::PatientId).data().toString();
      ids.sort();
      return ids;
    };
    const int64_t alpha = model.study(model.rowOfStudy(model.study(0).id)).id;
    const QString alphaId = QString::fromStdString(model.study(0).patientId);
    filter.setSearchText("nobody");
    QCOMPARE(filter.rowCount(), 0);
    filter.setPinnedStudy(alpha);
    QCOMPARE(filter.pinnedStudy(), alpha);
    QCOMPARE(listed(), QStringList{alphaId});
    filter.setStatusFilter(ReportStatus::Final);
    QCOMPARE(listed(), QStringList{alphaId});
    filter.setStatusFilter(std::nullopt);
    filter.setSearchText("bravo");
    QStringList both{alphaId, "P2"};
    both.removeDuplicates();
    both.sort();
    QCOMPARE(listed(), both);
    filter.setPinnedStudy(0);
    QCOMPARE(listed(), QStringList{"P2"});
    filter.setSearchText("");
    QCOMPARE(filter.rowCount(), 3);
  }
};

QTEST_APPLESS_MAIN(TstWorklistFilter)
#include "tst_worklist_filter.moc"
