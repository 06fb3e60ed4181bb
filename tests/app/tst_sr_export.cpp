// A final report exported as DICOM Basic Text SR re-reads with dcmsr and with dsrdump; its verifying
// observer is the final signer as a DICOM person name at the sign-off's time, and it says which model
// (and version) drafted the text, or that none did.
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include "app/site/chest_check.h"
#include "app/site/dicom_importer.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/sr_export.h"
#include "app/site/stored_time.h"
#include "app/site/user_directory.h"
#include "app/test_dicom.h"

using namespace fedmrg::app;

class TstSrExport : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int64_t user_ = 0, study_ = 0;

  int64_t importStudy(const std::string& uid, const std::string& patientId) {
    fedmrg::testing::TestDicom d;
    d.studyUid = uid;
    d.patientName = "Export^Ed";
    d.patientId = patientId;
    const QString file = dir_.filePath(QString::fromStdString(patientId) + ".dcm");
    fedmrg::testing::writeTestDicom(file.toStdString(), d);
    if (DicomImporter(*site_, user_).importPaths({file}).imported != 1) return 0;
    auto st = site_->store().prepare("SELECT id FROM studies WHERE study_uid = ?");
    st.bind(1, uid);
    return st.step() ? st.int64(0) : 0;
  }

  // The SR's text items, in document order.
  static QStringList srTexts(DSRDocument& doc) {
    QStringList texts;
    DSRDocumentTree& tree = doc.getTree();
    if (tree.gotoRoot() > 0) {
      do {
        if (tree.getCurrentContentItem().getValueType() == DSRTypes::VT_Text)
          texts << QString::fromStdString(tree.getCurrentContentItem().getStringValue().c_str());
      } while (tree.iterate());
    }
    return texts;
  }

  static bool readSr(const QString& file, DcmFileFormat& ff, DSRDocument& doc) {
    return ff.loadFile(file.toStdString().c_str()).good() && doc.read(*ff.getDataset()).good();
  }

  // The text items of the study's final report exported as `name` and read back (none when unreadable).
  QStringList exportedTexts(int64_t study, const char* name) {
    const QString file = dir_.filePath(name);
    exportFinalReportAsSr(*site_, study, file, user_);
    DcmFileFormat ff;
    DSRDocument doc;
    return readSr(file, ff, doc) ? srTexts(doc) : QStringList();
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "sr passphrase", "SR Site", "admin", "Admin", "adminpass1");
    const int64_t admin = UserDirectory(*site_).authenticate("admin", "adminpass1")->id;
    user_ = UserDirectory(*site_, admin).addUser("jdoe", "Dr. Jane Doe", Role::Radiologist, "radpass123");
    study_ = importStudy("1.2.826.0.1.3680043.10.99.555", "E555");
    QVERIFY(study_ > 0);
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
    DSRDocument doc;
    QVERIFY(readSr(file, ff, doc));
    QCOMPARE(int(doc.getDocumentType()), int(DSRTypes::DT_BasicTextSR));
    QCOMPARE(int(doc.getCompletionFlag()), int(DSRTypes::CF_Complete));
    QCOMPARE(int(doc.getVerificationFlag()), int(DSRTypes::VF_Verified));
    OFString value;
    QVERIFY(doc.getStudyInstanceUID(value).good());
    QCOMPARE(QString(value.c_str()), QString("1.2.826.0.1.3680043.10.99.555"));
    QVERIFY(doc.getPatientID(value).good());
    QCOMPARE(QString(value.c_str()), QString("E555"));
    QCOMPARE(int(doc.getCurrentRequestedProcedureEvidence().getNumberOfInstances()), 1);
    const QStringList texts = srTexts(doc);
    QCOMPARE(texts.size(), 4);
    QCOMPARE(texts[0], QString("Mild cardiomegaly. Lungs are clear."));
    QCOMPARE(texts[1], QString("Mild cardiomegaly."));
    // No model drafted this report: the SR says so, and names no model.
    QCOMPARE(texts[2], QString("Findings and impression were written and verified by Dr. Jane Doe, without a model draft."));
    QVERIFY(!texts.join('|').contains("drafted by"));
    QVERIFY(!texts.join('|').contains("Chest check"));  // no model draft: no chest check to report
    QVERIFY(texts[3].contains("Compared with prior: unchanged."));
    QVERIFY(texts[3].contains("Dr. Jane Doe"));
    // The verifying observer is the final signer as a person name, verified when the final sign-off was made.
    QCOMPARE(int(doc.getNumberOfVerifyingObservers()), 1);
    OFString when, observer, organization;
    QVERIFY(doc.getVerifyingObserver(1, when, observer, organization).good());
    QCOMPARE(QString(observer.c_str()), QString("Doe^Jane^^Dr."));
    QCOMPARE(QString(organization.c_str()), QString("SR Site"));
    const auto signOff = reports.signOff(study_);
    QVERIFY(signOff.has_value());
    QCOMPARE(std::string(when.c_str()), dicomDateTime(signOff->signedAt));
    QVERIFY(!std::string(when.c_str()).empty());

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
    QVERIFY2(out.contains("Doe^Jane^^Dr."), qPrintable(out));
  }

  void namesTheModelThatDraftedTheReport() {
    const int64_t study = importStudy("1.2.826.0.1.3680043.10.99.556", "E556");
    QVERIFY(study > 0);
    ReportService reports(*site_, user_);
    const ModelIdentity model{"chest-model", "sha256:0123456789ab"};
    reports.applyDraft(study, "", "", "", {"The heart is enlarged.", "Cardiomegaly.", "cardiomegaly=positive", model},
                       false);
    reports.save(study, "The heart is mildly enlarged.", "Cardiomegaly.", "cardiomegaly=positive");
    // A colleague signs final: the observer is the signer, not the one who edited.
    const int64_t admin = UserDirectory(*site_).authenticate("admin", "adminpass1")->id;
    const int64_t signer = UserDirectory(*site_, admin).addUser("asmith", "Smith, Anna", Role::Radiologist, "signpass12");
    ReportService(*site_, signer).sign(study, ReportStatus::Final);
    const QString file = dir_.filePath("drafted-sr.dcm");
    exportFinalReportAsSr(*site_, study, file, signer);
    DcmFileFormat ff;
    DSRDocument doc;
    QVERIFY(readSr(file, ff, doc));
    const QStringList texts = srTexts(doc);
    QCOMPARE(texts.size(), 3);
    QCOMPARE(texts[2], QString("Findings and impression were drafted by the report model chest-model "
                               "sha256:0123456789ab, edited by Dr. Jane Doe and verified by Smith, Anna."));
    OFString when, observer, organization;
    QVERIFY(doc.getVerifyingObserver(1, when, observer, organization).good());
    QCOMPARE(QString(observer.c_str()), QString("Smith^Anna"));
  }

  void carriesTheChestCheckOfTheDraft() {
    const int64_t study = importStudy("1.2.826.0.1.3680043.10.99.557", "E557");
    QVERIFY(study > 0);
    ReportService reports(*site_, user_);
    DraftedReport draft{"The heart is enlarged.", "Cardiomegaly.", "cardiomegaly=positive",
                        ModelIdentity{"chest-model", "sha256:0123456789ab"}};
    draft.chestCheck = "uncertain";
    draft.chestCheckReason = "no tag names the chest and the image is far from the training images";
    draft.chestCheckScore = 3.14159;
    reports.applyDraft(study, "", "", "", draft, false);
    // Kept through a person's edit and the sign-off: the signed text still started as that draft.
    reports.save(study, "The heart is mildly enlarged.", "Cardiomegaly.", "cardiomegaly=positive");
    const auto signedVersion = reports.sign(study, ReportStatus::Final);
    QCOMPARE(signedVersion.chestCheck.decision, std::string("uncertain"));
    QVERIFY(signedVersion.chestCheck.score.has_value());
    const QStringList texts = exportedTexts(study, "checked-sr.dcm");
    QCOMPARE(texts.size(), 4);
    QCOMPARE(texts[3], QString::fromUtf8("Chest check: uncertain \u2014 no tag names the chest and the image is far "
                                         "from the training images (score 3.14)"));
  }

  void chestCheckStatementWithoutImageCheck() {
    QCOMPARE(chestCheckStatement({}), std::string());
    QCOMPARE(chestCheckStatement({"yes", "the tags say chest", std::nullopt}),
             std::string("Chest check: yes \u2014 the tags say chest (no image check)"));
  }

  void draftingStatementSaysWhoWroteWhat() {
    const ModelIdentity model{"chest-model", "sha256:0123456789ab"};
    auto version = [&](const std::string& origin, const std::string& user, ReportStatus status = ReportStatus::Draft) {
      ReportVersion v;
      v.origin = origin;
      v.requestedBy = user;
      v.status = status;
      if (origin != "human") v.model = model;
      return v;
    };
    const std::string drafted = "Findings and impression were drafted by the report model chest-model sha256:0123456789ab";
    QCOMPARE(draftingStatement({version("model", "Dr A"), version("model", "Dr B", ReportStatus::Final)}, "Dr B"),
             drafted + " and verified by Dr B without edits.");
    QCOMPARE(draftingStatement({version("model", "Dr A"), version("mixed", "Dr A"),
                                version("mixed", "Dr A", ReportStatus::Final)}, "Dr A"),
             drafted + ", then edited and verified by Dr A.");
    QCOMPARE(draftingStatement({version("human", "Dr A"), version("human", "Dr C"),
                                version("human", "Dr B", ReportStatus::Final)}, "Dr B"),
             std::string("Findings and impression were written by Dr A and Dr C without a model draft and verified "
                         "by Dr B."));
  }
};

QTEST_APPLESS_MAIN(TstSrExport)
#include "tst_sr_export.moc"
