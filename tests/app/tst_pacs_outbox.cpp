// Signed reports reach the PACS as Basic Text SR through the durable outbox, against a real Orthanc:
// the SR is found by an instance-level C-FIND and its text read back after a C-GET; with Orthanc
// stopped the addendum's SR stays queued with the reason and a back-off, and goes once Orthanc is back.
#include <QTemporaryDir>
#include <QtTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "app/pacs_fixture.h"
#include "app/site/pacs_client.h"
#include "app/site/dicom_importer.h"
#include "app/site/pacs_outbox.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;
using fedmrg::testing::OrthancServer;

namespace {

const std::string kStudyUid = "1.2.826.0.1.3680043.10.99.1616";

// Every text item of the SR documents in `files`, joined.
QString srText(const std::vector<std::string>& files) {
  QString all;
  for (const auto& f : files) {
    DcmFileFormat ff;
    DSRDocument doc;
    if (ff.loadFile(f.c_str()).bad() || doc.read(*ff.getDataset()).bad()) continue;
    DSRDocumentTree& tree = doc.getTree();
    if (tree.gotoRoot() > 0) do {
        if (tree.getCurrentContentItem().getValueType() == DSRTypes::VT_Text)
          all += QString::fromStdString(tree.getCurrentContentItem().getStringValue().c_str()) + "\n";
      } while (tree.iterate());
  }
  return all;
}

}  // namespace

class TstPacsOutbox : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<OrthancServer> orthanc_;
  std::unique_ptr<Site> site_;
  int workstationPort_ = 0;
  int64_t admin_ = 0, radiologist_ = 0, study_ = 0;

  PacsClient client() { return fedmrg::testing::orthancClient(*orthanc_, workstationPort_); }

  std::vector<InstanceMatch> srsInOrthanc() {
    std::vector<InstanceMatch> srs;
    for (const auto& i : client().findInstances(kStudyUid))
      if (i.sopClassUid == UID_BasicTextSRStorage) srs.push_back(i);
    return srs;
  }

  QString srTextInOrthanc() {
    const QString folder = dir_.filePath("readback-" + QString::number(QDateTime::currentMSecsSinceEpoch()));
    QDir().mkpath(folder);
    return srText(client().retrieveStudy(kStudyUid, folder.toStdString()).files);
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QString why;
    orthanc_ = fedmrg::testing::startedOrthanc(dir_.filePath("orthanc"), &workstationPort_, &why);
    if (!orthanc_) FEDMRG_ORTHANC_UNAVAILABLE(why);

    site_ = Site::create(dir_.filePath("site"), "outbox passphrase", "Outbox Site", "admin", "Admin", "adminpass1");
    admin_ = UserDirectory(*site_).authenticate("admin", "adminpass1")->id;
    radiologist_ = UserDirectory(*site_, admin_).addUser("rad", "Dr. Rae Diol", Role::Radiologist, "radpass123");
    PacsNodeStore nodes(*site_, admin_);
    nodes.setLocalAe(fedmrg::testing::workstationAe(workstationPort_));
    nodes.save(fedmrg::testing::orthancNode(*orthanc_));

    fedmrg::testing::TestDicom d;
    d.studyUid = kStudyUid;
    d.width = d.height = 32;
    const QString file = dir_.filePath("study.dcm");
    fedmrg::testing::writeTestDicom(file.toStdString(), d);
    QCOMPARE(DicomImporter(*site_, radiologist_).importPaths({file}).imported, 1);
    client().store(file.toStdString());  // the PACS holds the images the report is about
    study_ = site_->store().queryInt("SELECT id FROM studies");
  }

  void backoffDoublesUpToAnHour() {
    QCOMPARE(PacsOutbox::backoffSeconds(1), 30);
    QCOMPARE(PacsOutbox::backoffSeconds(2), 60);
    QCOMPARE(PacsOutbox::backoffSeconds(4), 240);
    QCOMPARE(PacsOutbox::backoffSeconds(50), 3600);
  }

  void refusesAReportThatIsNotFinal() {
    ReportService reports(*site_, radiologist_);
    reports.save(study_, "Heart size is normal. Lungs are clear.", "No acute disease.", "");
    QVERIFY_THROWS_EXCEPTION(StoreError, PacsOutbox(*site_, radiologist_).enqueue(study_));
  }

  void signedReportIsFoundInOrthanc() {
    ReportService(*site_, radiologist_).sign(study_, ReportStatus::Final);
    PacsOutbox outbox(*site_, radiologist_);
    outbox.enqueue(study_);
    QCOMPARE(outbox.pendingCount(), 1);
    const OutboxSummary s = outbox.sendDue();
    QVERIFY2(s.failed == 0, s.lastError.c_str());
    QCOMPARE(s.sent, 1);
    QCOMPARE(outbox.pendingCount(), 0);
    const auto srs = srsInOrthanc();
    QCOMPARE(int(srs.size()), 1);
    QCOMPARE(srs[0].sopInstanceUid, outbox.entries().front().sopInstanceUid);
    const QString text = srTextInOrthanc();
    QVERIFY2(text.contains("Heart size is normal. Lungs are clear.") && text.contains("No acute disease."),
             qPrintable(text));
  }

  void addendumWaitsWhileOrthancIsDownAndGoesAfterRestart() {
    ReportService(*site_, radiologist_).addAddendum(study_, "Addendum: compared with the prior, unchanged.");
    orthanc_->stop();
    PacsOutbox outbox(*site_, radiologist_);
    outbox.enqueue(study_);
    OutboxSummary s = outbox.sendDue(false, PacsTimeouts{2, 5});
    QCOMPARE(s.sent, 0);
    QCOMPARE(s.failed, 1);
    QVERIFY2(QString::fromStdString(s.lastError).contains("connection refused"), s.lastError.c_str());
    QCOMPARE(outbox.pendingCount(), 1);
    const OutboxEntry waiting = outbox.entries().front();
    QCOMPARE(waiting.attempts, 1);
    QVERIFY(waiting.sentAt.empty());
    QVERIFY(!waiting.lastError.empty());
    const auto due = outbox.nextDue();
    QVERIFY(due.has_value());
    QVERIFY(*due > QDateTime::currentDateTimeUtc().addSecs(20));
    // Not due yet: a second pass sends nothing and counts no new failure.
    s = outbox.sendDue();
    QCOMPARE(s.sent + s.failed, 0);

    // The queue is in the store: a new session (another PacsOutbox over a reopened site) finds it.
    site_.reset();
    site_ = Site::open(dir_.filePath("site"), "outbox passphrase");
    QString why;
    QVERIFY2(orthanc_->start(&why), qPrintable(why));
    PacsOutbox again(*site_, radiologist_);
    QCOMPARE(again.pendingCount(), 1);
    s = again.sendDue(true);
    QVERIFY2(s.failed == 0, s.lastError.c_str());
    QCOMPARE(s.sent, 1);
    QCOMPARE(again.pendingCount(), 0);
    QCOMPARE(int(srsInOrthanc().size()), 2);
    QVERIFY(srTextInOrthanc().contains("compared with the prior, unchanged"));
  }

  void cleanupTestCase() {
    if (orthanc_) orthanc_->stop();
  }
};

QTEST_GUILESS_MAIN(TstPacsOutbox)
#include "tst_pacs_outbox.moc"
