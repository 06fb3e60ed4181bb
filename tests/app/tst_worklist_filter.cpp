// The worklist filter: search and status narrow the list, and the pinned (open) study stays listed
// whatever they say, until another is pinned; listed only for being pinned, it is marked so.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/worklist_model.h"
#include "app/worklist_site.h"

using namespace fedmrg::app;

class TstWorklistFilter : public QObject {
  Q_OBJECT

 private slots:
  void pinnedStudyStaysListed() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto site = fedmrg::testing::siteWithPatients(dir, {"Alpha^Anna", "Bravo^Ben", "Charlie^Carl"}, "1.2.3.9");
    QVERIFY(site);
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

  // A pinned study that the search or the status filter would hide is marked (a flag before the
  // name, a tooltip, HiddenByFilterRole); a pinned study that matches, and every other row, is not.
  void pinnedStudyHiddenByTheFilterIsMarked() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto site = fedmrg::testing::siteWithPatients(dir, {"Alpha^Anna", "Bravo^Ben"}, "1.2.3.8");
    QVERIFY(site);
    WorklistModel model(site.get());
    WorklistFilter filter;
    filter.setSourceModel(&model);
    auto rowOf = [&](const QString& patientId) {
      for (int r = 0; r < filter.rowCount(); ++r)
        if (filter.index(r, WorklistModel::PatientId).data().toString() == patientId) return r;
      return -1;
    };
    auto marked = [&](const QString& patientId) {
      const int r = rowOf(patientId);
      return r >= 0 && filter.index(r, 0).data(WorklistFilter::HiddenByFilterRole).toBool();
    };
    const int64_t alpha = model.study(model.rowOfStudy(model.study(0).id)).id;
    const QString alphaId = QString::fromStdString(model.study(0).patientId);
    const QString otherId = alphaId == "P1" ? "P2" : "P1";
    filter.setPinnedStudy(alpha);
    QVERIFY(!marked(alphaId));  // listed because it matches
    QVERIFY(filter.index(rowOf(alphaId), WorklistModel::Patient).data(Qt::ToolTipRole).isNull());
    filter.setSearchText(otherId == "P1" ? "alpha" : "bravo");
    QCOMPARE(filter.rowCount(), 2);
    QVERIFY(marked(alphaId));
    QVERIFY(!marked(otherId));
    const QModelIndex patient = filter.index(rowOf(alphaId), WorklistModel::Patient);
    QVERIFY2(patient.data().toString().startsWith(QChar(0x2691)), qPrintable(patient.data().toString()));
    QVERIFY(patient.data().toString().endsWith(model.index(model.rowOfStudy(alpha), WorklistModel::Patient).data().toString()));
    QVERIFY(patient.data(Qt::ToolTipRole).toString().contains("hides it"));
    QCOMPARE(filter.index(rowOf(alphaId), WorklistModel::PatientId).data().toString(), alphaId);  // the ID unchanged
    QVERIFY(!filter.index(rowOf(otherId), WorklistModel::Patient).data().toString().startsWith(QChar(0x2691)));
    filter.setSearchText("");
    QVERIFY(!marked(alphaId));
    filter.setStatusFilter(ReportStatus::Final);
    QVERIFY(marked(alphaId));
    QCOMPARE(filter.rowCount(), 1);
  }

  // The Priors column counts the patient's earlier studies (the rule is prior_studies'), so that a
  // patient's history is visible in the list and sorts.
  void priorsColumnCountsEarlierStudies() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto site = Site::create(dir.filePath("site"), "priors passphrase", "Priors Site", "admin", "Admin", "adminpass1");
    QVERIFY(QDir(dir.path()).mkpath("in"));
    fedmrg::testing::TestDicom d;
    d.width = d.height = 16;
    d.patientBirthDate = "19600101";
    const char* dates[] = {"20240101", "20250101", "20260101"};
    for (int i = 0; i < 3; ++i) {
      d.studyUid = "1.2.3.10." + std::to_string(i + 1);
      d.sopUid = d.studyUid + ".1.1";
      d.studyDate = dates[i];
      d.patientId = i == 1 ? "OTHER-ID" : "P1";  // the middle one matches by name and birth date
      fedmrg::testing::writeTestDicom(dir.filePath(QString("in/s%1.dcm").arg(i)).toStdString(), d);
    }
    d.studyUid = "1.2.3.10.9";
    d.sopUid = "1.2.3.10.9.1.1";
    d.patientName = "Someone^Else";
    d.patientId = "P9";
    fedmrg::testing::writeTestDicom(dir.filePath("in/s9.dcm").toStdString(), d);
    QCOMPARE(DicomImporter(*site).importPaths({dir.filePath("in")}).imported, 4);
    WorklistModel model(site.get());
    QCOMPARE(model.headerData(WorklistModel::Priors, Qt::Horizontal).toString(), QString("Priors"));
    QStringList shown;
    for (int r = 0; r < model.rowCount(); ++r)
      shown << QString::fromStdString(model.study(r).studyDate + ":" + model.study(r).patientId) + "=" +
                   model.index(r, WorklistModel::Priors).data().toString();
    shown.sort();
    QCOMPARE(shown, QStringList({"20240101:P1=", "20250101:OTHER-ID=1", "20260101:P1=2", "20260101:P9="}));
    QCOMPARE(model.index(model.rowOfStudy(model.study(0).id), WorklistModel::Priors).data(Qt::EditRole).typeId(),
             QMetaType::Int);  // sorts as a number
  }
};

QTEST_APPLESS_MAIN(TstWorklistFilter)
#include "tst_worklist_filter.moc"
