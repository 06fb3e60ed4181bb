// Import: folders (recursive), DICOMDIR, de-duplication by SOP Instance UID, per-file errors,
// cancel, images copied into the managed folder.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/site/worklist_model.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;
using fedmrg::testing::TestDicom;
using fedmrg::testing::writeTestDicom;

class TstDicomImporter : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;

  std::unique_ptr<Site> freshSite(const QString& name) {
    return Site::create(dir_.filePath(name), "import passphrase", "Import Site", "admin", "Admin", "adminpass1");
  }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void importsFoldersDeduplicatesAndReportsErrors() {
    auto site = freshSite("site1");
    const QString in = dir_.filePath("in1");
    QVERIFY(QDir().mkpath(in + "/a/b"));
    TestDicom d;
    d.width = d.height = 64;
    d.studyUid = "1.2.3.4.1";
    writeTestDicom((in + "/one.dcm").toStdString(), d);
    writeTestDicom((in + "/a/two.dcm").toStdString(), d);
    d.studyUid = "1.2.3.4.2";
    d.patientName = "Second^Pat";
    d.sopUid = "1.2.3.4.2.1.1";
    writeTestDicom((in + "/a/b/three.dcm").toStdString(), d);
    QFile::copy(in + "/a/b/three.dcm", in + "/a/three-again.dcm");
    fedmrg::testing::writeUnsupportedTransferSyntax((in + "/mpeg2.dcm").toStdString());
    QFile junk(in + "/junk.bin");
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(300, 'x'));
    junk.close();

    const auto files = DicomImporter::collectFiles({in, dir_.filePath("does-not-exist.dcm")});
    QCOMPARE(files.size(), 7);
    int lastDone = 0;
    const auto r = DicomImporter(*site).importFiles(files, [&](int done, int total) {
      QCOMPARE(total, 7);
      QCOMPARE(done, lastDone + 1);
      lastDone = done;
    });
    QCOMPARE(lastDone, 7);
    QCOMPARE(r.imported, 3);
    QCOMPARE(r.duplicates, 1);
    QCOMPARE(r.studiesAdded, 2);
    QCOMPARE(int(r.errors.size()), 3);
    QStringList reasons;
    for (const auto& e : r.errors) reasons << QFileInfo(e.file).fileName() + ": " + e.reason;
    reasons.sort();
    QVERIFY2(reasons[0].startsWith("does-not-exist.dcm: no such file"), qPrintable(reasons[0]));
    QVERIFY2(reasons[1].startsWith("junk.bin: not a DICOM file"), qPrintable(reasons[1]));
    QVERIFY2(reasons[2].startsWith("mpeg2.dcm: ") && reasons[2].contains("transfer syntax 1.2.840.10008.1.2.4.100"),
             qPrintable(reasons[2]));

    // A second import of the same folder adds nothing.
    const auto again = DicomImporter(*site).importPaths({in});
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.duplicates, 4);
    QCOMPARE(int(again.errors.size()), 2);

    const auto studies = listStudies(*site);
    QCOMPARE(int(studies.size()), 2);
    WorklistModel model(site.get());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.statusCounts().at(ReportStatus::New), 2);
    const int row = model.rowOfStudy(studies[0].id);
    QVERIFY(row >= 0);
    WorklistFilter filter;
    filter.setSourceModel(&model);
    filter.setSearchText("second");
    QCOMPARE(filter.rowCount(), 1);
    filter.setSearchText("");
    filter.setStatusFilter(ReportStatus::Final);
    QCOMPARE(filter.rowCount(), 0);
    filter.setStatusFilter(ReportStatus::New);
    QCOMPARE(filter.rowCount(), 2);
    QCOMPARE(filter.index(0, WorklistModel::Status).data().toString(), QString("new"));
    filter.setStatusFilter(std::nullopt);
    QCOMPARE(filter.rowCount(), 2);

    // Images live in the site's managed folder, not at their source.
    for (const auto& s : studies)
      for (const auto& image : studyImages(*site, s.id)) {
        QVERIFY2(image.file.startsWith(site->imageDir()), qPrintable(image.file));
        QVERIFY(QFile::exists(image.file));
      }
  }

  void dicomdirImportsTheMediaItIndexes() {
    auto site = freshSite("site2");
    const QString media = dir_.filePath("media");
    QVERIFY(QDir().mkpath(media + "/DICOM/ST1"));
    TestDicom d;
    d.width = d.height = 32;
    d.studyUid = "1.2.3.9";
    writeTestDicom((media + "/DICOM/ST1/IM1").toStdString(), d);
    writeTestDicom((media + "/DICOM/ST1/IM2").toStdString(), d);
    QFile dicomdir(media + "/DICOMDIR");
    QVERIFY(dicomdir.open(QIODevice::WriteOnly));
    dicomdir.write("placeholder index");
    dicomdir.close();
    const auto files = DicomImporter::collectFiles({media + "/DICOMDIR"});
    QCOMPARE(files.size(), 2);  // the index itself is not an image
    const auto r = DicomImporter(*site).importFiles(files);
    QCOMPARE(r.imported, 2);
    QVERIFY(r.errors.empty());
  }

  void cancelStopsBetweenFiles() {
    auto site = freshSite("site3");
    const QString in = dir_.filePath("in3");
    QVERIFY(QDir().mkpath(in));
    TestDicom d;
    d.width = d.height = 32;
    for (int i = 0; i < 5; ++i) writeTestDicom((in + QString("/f%1.dcm").arg(i)).toStdString(), d);
    std::atomic<bool> cancel{false};
    const auto r = DicomImporter(*site).importPaths({in}, [&](int done, int) { if (done == 2) cancel = true; }, &cancel);
    QVERIFY(r.cancelled);
    QCOMPARE(r.imported, 2);
    QCOMPARE(site->store().queryInt("SELECT count(*) FROM images"), int64_t(2));
  }
};

QTEST_APPLESS_MAIN(TstDicomImporter)
#include "tst_dicom_importer.moc"
