// A final report exported as DICOM Basic Text SR re-reads with dcmsr and with dsrdump.
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "app/site/dicom_importer.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/sr_export.h"
#include "app/site/user_directory.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;

class TstSrExport : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int64_t user_ = 0, study_ = 0;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "sr passphrase", "SR Site", "admin", "Admin", "adminpass1");
    const int64_t admin = UserDirectory(*site_).authenticate("admin", "adminpass1")->id;
    user_ = UserDirectory(*site_, admin).addUser("jdoe", "Doe^Jane", Role::Radiologist, "radpass123");
    fedmrg::testing::TestDicom d;
    d.studyUid = "1.2.826.0.1.3680043.10.99.555";
    d.patientName = "Export^Ed";
    d.patientId = "E555";
    fedmrg::testing::writeTestDicom(dir_.filePath("img.dcm").toStdString(), d);
    const auto r = DicomImporter(*site_, user_).importPaths({dir_.filePath("img.dcm")});
    QCOMPARE(r.imported, 1);
    study_ = site_->store().queryInt("SELECT id FROM studies");
  }

  void refusesANonFinalReport() {
    ReportService reports(*site_, user_);
    reports.save(study_, "Mild cardiomegaly. Lungs are clear.", "Mild cardiomegaly.", "cardiomegaly=positive");
    QVERIFY_THROWS_EXCEPTION(StoreError, exportFinalReportAsSr(*site_, study_, dir_.filePath("no.dcm"), user_));
    QVERIFY(!QFile::exists(dir_.filePath("no.dcm")));
  }

  void exportsAndReReads() {
    ReportService reports(*site_, user_);
    reports.sign(study_, ReportStatus::Final);
    reports.addAddendum(study_, "Compared with prior: unchanged.");
    const QString file = dir_.filePath("report-sr.dcm");
    const auto result = exportFinalReportAsSr(*site_, study_, file, user_);
    QCOMPARE(result.referencedImages, 1);
    QVERIFY(!result.sopInstanceUid.empty());

    DcmFileFormat ff;
    QVERIFY(ff.loadFile(file.toStdString().c_str()).good());
    DSRDocument doc;
    QVERIFY(doc.read(*ff.getDataset()).good());
    QCOMPARE(int(doc.getDocumentType()), int(DSRTypes::DT_BasicTextSR));
    QCOMPARE(int(doc.getCompletionFlag()), int(DSRTypes::CF_Complete));
    QCOMPARE(int(doc.getVerificationFlag()), int(DSRTypes::VF_Verified));
    OFString value;
    QVERIFY(doc.getStudyInstanceUID(value).good());
    QCOMPARE(QString(value.c_str()), QString("1.2.826.0.1.3680043.10.99.555"));
    QVERIFY(doc.getPatientID(value).good());
    QCOMPARE(QString(value.c_str()), QString("E555"));
    QCOMPARE(int(doc.getCurrentRequestedProcedureEvidence().getNumberOfInstances()), 1);
    QStringList texts;
    DSRDocumentTree& tree = doc.getTree();
    if (tree.gotoRoot() > 0) {
      do {
        if (tree.getCurrentContentItem().getValueType() == DSRTypes::VT_Text)
          texts << QString::fromStdString(tree.getCurrentContentItem().getStringValue().c_str());
      } while (tree.iterate());
    }
    QCOMPARE(texts.size(), 3);
    QCOMPARE(texts[0], QString("Mild cardiomegaly. Lungs are clear."));
    QCOMPARE(texts[1], QString("Mild cardiomegaly."));
    QVERIFY(texts[2].contains("Compared with prior: unchanged."));

    const QString dsrdump = QStandardPaths::findExecutable("dsrdump");
    if (dsrdump.isEmpty()) QSKIP("dsrdump (package dcmtk) is not installed");
    QProcess p;
    p.start(dsrdump, {"+Pl", "+Pc", file});
    QVERIFY(p.waitForFinished(30000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(out.contains("Basic Text SR"), qPrintable(out));
    QVERIFY2(out.contains("VERIFIED"), qPrintable(out));
    QVERIFY2(out.contains("18748-4,LN,\"Diagnostic Imaging Report\""), qPrintable(out));
    QVERIFY2(out.contains("121070,DCM,\"Findings\""), qPrintable(out));
    QVERIFY2(out.contains("Mild cardiomegaly. Lungs are clear."), qPrintable(out));
  }
};

QTEST_APPLESS_MAIN(TstSrExport)
#include "tst_sr_export.moc"
