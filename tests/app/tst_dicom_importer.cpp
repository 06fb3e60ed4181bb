// Import: folders (recursive), DICOMDIR media (a real index written with DCMTK), de-duplication by SOP
// Instance UID and pixel content, per-file errors (corrupt pixel data with its reason), cancel, images
// copied into the managed folder.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcddirif.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcstack.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/dicom_importer.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/site/worklist_model.h"
#include "app/test_dicom.h"
#include "damaged_dicom.h"
#include "engine/imaging/jpeg2000_encoder.h"

using namespace fedmrg::app;
using fedmrg::testing::TestDicom;
using fedmrg::testing::writeTestDicom;

namespace {

// Writes <media>/DICOMDIR indexing `files` (paths relative to media, in the DICOM file-ID form) as a
// General Purpose CD-R file-set; type 1 record attributes the test files lack (study time, series and instance
// numbers) are invented by DCMTK, as dcmmkdir +I does. Returns an error text, empty on success.
QString writeDicomDir(const QString& media, const QStringList& files) {
  DicomDirInterface dir;
  dir.enableInventMode(OFTrue);
  const std::string path = (media + "/DICOMDIR").toStdString();
  OFCondition c = dir.createNewDicomDir(DicomDirInterface::AP_GeneralPurpose, path.c_str(), "FEDMRG_TEST");
  for (const QString& f : files) {
    if (c.bad()) break;
    c = dir.addDicomFile(f.toStdString().c_str(), media.toStdString().c_str());
  }
  if (c.good()) c = dir.writeDicomDir();
  return c.good() ? QString() : QString::fromLatin1(c.text());
}

// The SOP Instance UIDs a DICOMDIR's records reference, read back with DCMTK (empty when it is no DICOMDIR).
QStringList referencedSopUids(const QString& dicomdir) {
  DcmFileFormat file;
  if (file.loadFile(dicomdir.toStdString().c_str()).bad()) return {};
  OFString sopClass;
  file.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sopClass);
  if (sopClass != UID_MediaStorageDirectoryStorage) return {};
  DcmStack found;
  QStringList uids;
  if (file.getDataset()->findAndGetElements(DCM_ReferencedSOPInstanceUIDInFile, found).good()) {
    while (!found.empty()) {
      OFString uid;
      static_cast<DcmElement*>(found.pop())->getOFString(uid, 0);
      uids << QString::fromLatin1(uid.c_str());
    }
  }
  uids.sort();
  return uids;
}

}  // namespace

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

  // Pixel data that does not match its header is an import error naming the file and the reason, and nothing
  // of it is stored; the good file beside it imports.
  void corruptPixelDataIsRefusedWithItsReason() {
    using namespace fedmrg::testing;
    auto site = freshSite("site-corrupt");
    const QString in = dir_.filePath("in-corrupt");
    QVERIFY(QDir().mkpath(in));
    auto at = [&](const char* name) { return (in + "/" + name).toStdString(); };
    NativeSpec s;
    s.rows = s.columns = 512;
    s.shortBy = 12000;
    writeNativeDicom(at("short.dcm"), s);
    s = NativeSpec{};
    s.constant = true;
    writeNativeDicom(at("blank.dcm"), s);
    s = NativeSpec{};
    s.rows = s.columns = 32768;
    writeNativeDicom(at("huge.dcm"), s);
    s = NativeSpec{};
    s.bitsAllocated = s.bitsStored = 8;
    writeNativeDicom(dir_.filePath("plain8.dcm").toStdString(), s);
    compressDicom(dir_.filePath("plain8.dcm").toStdString(), at("zeroed-jpeg.dcm"), "jpeg-baseline");
    editFirstFragment(at("zeroed-jpeg.dcm"), [](std::vector<uint8_t>& b) { std::fill(b.begin(), b.end(), 0); });
    writeNativeDicom(at("good.dcm"), NativeSpec{});
    QStringList expected{"blank.dcm: every pixel of the image has the same value",
                         "huge.dcm: the header announces a 32768 × 32768 image, larger than",
                         "short.dcm: pixel data is 12,000 bytes shorter than its 512 × 512 16-bit image needs",
                         "zeroed-jpeg.dcm: the JPEG data does not start with a JPEG start-of-image marker"};
    if (fedmrg::engine::haveJpeg2000Encoder()) {
      writeNativeDicom(dir_.filePath("plain16.dcm").toStdString(), NativeSpec{});
      fedmrg::engine::writeJpeg2000Copy(dir_.filePath("plain16.dcm").toStdString(), at("resized-j2k.dcm"));
      editHeader(at("resized-j2k.dcm"), DCM_Columns, "80");
      expected << "resized-j2k.dcm: the JPEG 2000 data holds a 64 × 64 image but the header announces 80 × 64";
    }
    const auto r = DicomImporter(*site).importPaths({in});
    QCOMPARE(r.imported, 1);
    QStringList reasons;
    for (const auto& e : r.errors) reasons << QFileInfo(e.file).fileName() + ": " + e.reason;
    reasons.sort();
    expected.sort();
    QCOMPARE(reasons.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i) QVERIFY2(reasons[i].startsWith(expected[i]), qPrintable(reasons[i]));
    QCOMPARE(int(listStudies(*site).size()), 1);
  }

  // The same SOP Instance UID is the same image only when the pixels agree: a lossless re-compression of it is a
  // duplicate, a file with other pixels under that UID is refused with the reason, never silently skipped.
  void sameUidWithOtherPixelsIsRefused() {
    using namespace fedmrg::testing;
    auto site = freshSite("site-uid");
    NativeSpec s;
    s.sopUid = "1.2.3.4.77.1";
    writeNativeDicom(dir_.filePath("first.dcm").toStdString(), s);
    compressDicom(dir_.filePath("first.dcm").toStdString(), dir_.filePath("first-rle.dcm").toStdString(), "rle");
    s.rows = 60;  // other pixels, same UID
    writeNativeDicom(dir_.filePath("impostor.dcm").toStdString(), s);
    QCOMPARE(DicomImporter(*site).importFiles({dir_.filePath("first.dcm")}).imported, 1);
    const auto r = DicomImporter(*site).importFiles({dir_.filePath("first-rle.dcm"), dir_.filePath("impostor.dcm")});
    QCOMPARE(r.imported, 0);
    QCOMPARE(r.duplicates, 1);
    QCOMPARE(int(r.errors.size()), 1);
    QCOMPARE(QFileInfo(r.errors[0].file).fileName(), QString("impostor.dcm"));
    QVERIFY2(
        r.errors[0].reason.contains("SOP Instance UID 1.2.3.4.77.1 but other pixel content is already in the site"),
        qPrintable(r.errors[0].reason));
  }

  // A DICOMDIR stands for the media it indexes: the importer takes the files of its folder (recursively) and
  // never the index itself, which is a DICOM file without pixels. What it imports is what the index references.
  void dicomdirImportsTheMediaItIndexes() {
    auto site = freshSite("site2");
    const QString media = dir_.filePath("media");
    QVERIFY(QDir().mkpath(media + "/DICOM/ST1/SE1"));
    TestDicom d;
    d.width = d.height = 32;
    d.studyUid = "1.2.3.9";
    QStringList written;
    for (const char* f : {"DICOM/ST1/SE1/IM1", "DICOM/ST1/SE1/IM2"})
      written << QString::fromStdString(writeTestDicom((media + "/" + f).toStdString(), d));
    written.sort();
    const QString error = writeDicomDir(media, {"DICOM/ST1/SE1/IM1", "DICOM/ST1/SE1/IM2"});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(referencedSopUids(media + "/DICOMDIR"), written);  // a real index of both images

    const auto files = DicomImporter::collectFiles({media + "/DICOMDIR"});
    QCOMPARE(files, QStringList({media + "/DICOM/ST1/SE1/IM1", media + "/DICOM/ST1/SE1/IM2"}));
    const auto r = DicomImporter(*site).importFiles(files);
    QCOMPARE(r.imported, 2);
    QCOMPARE(r.studiesAdded, 1);
    QVERIFY(r.errors.empty());
    QStringList imported;
    auto st = site->store().prepare("SELECT sop_uid FROM images ORDER BY sop_uid");
    while (st.step()) imported << QString::fromStdString(st.text(0));
    QCOMPARE(imported, referencedSopUids(media + "/DICOMDIR"));

    // The media folder itself: the same images (already there), and the index is not an error.
    const auto again = DicomImporter(*site).importPaths({media});
    QCOMPARE(again.scanned, 2);
    QCOMPARE(again.duplicates, 2);
    QVERIFY(again.errors.empty());
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
