// The PACS in the workstation window, under Xvfb, against a real Orthanc on loopback: query by name,
// retrieve into the worklist, open, draft with a tiny model, sign final, and the SR stored on the PACS
// by the outbox; "Test connection" in the PACS settings; a PACS that goes down gives a message and
// the window keeps working. With FEDMRG_DOC_SCREENSHOTS naming a folder, saves workstation-pacs.png there.
#include "app/tiny_model.h"  // LibTorch first: Qt's "slots" macro breaks its headers

#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <dcmtk/dcmdata/dcuid.h>

#include "app/orthanc_server.h"
#include "app/site/dicom_importer.h"
#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/pacs_client.h"
#include "app/site/pacs_node.h"
#include "app/site/pacs_outbox.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "app/site/worklist_model.h"
#include "app/test_dicom.h"
#include "ui/main_window.h"
#include "ui/pacs_query_panel.h"
#include "ui/pacs_sender.h"
#include "ui/pacs_settings_dialog.h"
#include "ui/pacs_window_hook.h"
#include "ui/report_editor.h"
#include "widget_test_main.h"

using namespace fedmrg;
using testing::OrthancServer;

class TstPacsQueryPanel : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<OrthancServer> orthanc_;
  std::unique_ptr<app::Site> site_;
  std::unique_ptr<ui::MainWindow> window_;
  app::PacsNode node_;
  app::LocalAe local_;
  const std::string root_ = "1.2.826.0.1.3680043.10.99.1617";

  ui::PacsQueryPanel* panel() const { return window_->pacs()->panel(); }

  int srsInOrthanc(const std::string& studyUid) {
    int n = 0;
    for (const auto& i : app::PacsClient(local_, node_).findInstances(studyUid)) n += i.sopClassUid == UID_BasicTextSRStorage;
    return n;
  }

  bool search(const QString& name) {
    panel()->patientNameEdit()->setText(name);
    QTest::mouseClick(panel()->searchButton(), Qt::LeftButton);
    return QTest::qWaitFor([this] { return !panel()->busy(); }, 20000);
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("needs an X display (run under scripts/with-display.sh)");
    QVERIFY(dir_.isValid());
    local_ = app::LocalAe{"FEDMRGWS", testing::freeLoopbackPort()};
    orthanc_ = std::make_unique<OrthancServer>(dir_.filePath("orthanc"), local_.aeTitle, local_.port);
    QString why;
    if (!orthanc_->start(&why)) FEDMRG_ORTHANC_UNAVAILABLE(why);
    node_ = app::PacsNode{0, "Hospital PACS", orthanc_->aeTitle, "127.0.0.1", orthanc_->dicomPort(), app::RetrieveMethod::Get, true};

    // Two patients' studies on the PACS, none in the site yet.
    const char* names[] = {"PACS^ONE", "PACS^TWO"};
    for (int i = 0; i < 2; ++i) {
      testing::TestDicom d;
      d.studyUid = root_ + "." + std::to_string(i + 1);
      d.sopUid = d.studyUid + ".1.1";
      d.patientName = names[i];
      d.patientId = "PQ" + std::to_string(i + 1);
      d.studyDate = i == 0 ? "20261110" : "20261120";
      d.width = d.height = 128;
      const std::string file = dir_.filePath(QString("pacs%1.dcm").arg(i)).toStdString();
      testing::writeTestDicom(file, d);
      app::PacsClient(local_, node_).store(file);
    }

    site_ = app::Site::create(dir_.filePath("site"), "pacs ui passphrase", "PACS Site", "drpacs", "Dr Pacs", "password123");
    const app::User user = *app::UserDirectory(*site_).authenticate("drpacs", "password123");
    app::PacsNodeStore nodes(*site_, user.id);
    nodes.setLocalAe(local_);
    node_.id = nodes.save(node_);
    nodes.setAutoSendReports(true);
    const QString model = dir_.filePath("model");
    testing::writeTinyModel(model.toStdString());
    window_ = std::make_unique<ui::MainWindow>(app::WorkstationServices{
        *site_, user, std::make_shared<app::ReportService>(*site_, user.id), app::makeDraftService(model, site_->vault()),
        std::make_shared<app::DicomImporter>(*site_, user.id), std::make_shared<const app::ImageLoader>(site_->vault())});
    window_->setPrefetch(false);
    window_->reportEditor()->setConfirmer([](const QString&) { return true; });
    window_->resize(1500, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  }

  void queryRetrieveOpenDraftSignSendBack() {
    window_->pacs()->dock()->show();
    panel()->reloadNodes();
    QVERIFY(search("PACS^*"));
    QCOMPARE(panel()->resultsView()->model()->rowCount(), 2);
    // Sorted by date, newest first; a click on the header sorts by patient.
    QCOMPARE(panel()->resultsView()->model()->index(0, ui::PacsQueryPanel::Date).data().toString(), QString("2026-11-20"));
    panel()->resultsView()->sortByColumn(ui::PacsQueryPanel::Patient, Qt::AscendingOrder);
    QCOMPARE(panel()->resultsView()->model()->index(0, ui::PacsQueryPanel::Patient).data().toString(), QString("PACS, ONE"));
    QCOMPARE(panel()->resultsView()->model()->index(0, ui::PacsQueryPanel::Images).data().toInt(), 1);

    panel()->resultsView()->selectRow(0);
    QSignalSpy retrieved(panel(), &ui::PacsQueryPanel::studyRetrieved);
    QTest::mouseClick(panel()->retrieveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!panel()->busy(), 20000);
    QCOMPARE(retrieved.size(), 1);
    QVERIFY2(panel()->resultsView()->model()->index(0, ui::PacsQueryPanel::Status).data().toString() == "In worklist",
             qPrintable(panel()->messageLabel()->text()));
    QCOMPARE(window_->worklist()->rowCount(), 1);
    const qint64 study = retrieved.first().first().toLongLong();

    QVERIFY(window_->openStudy(study));
    const QString shots = qEnvironmentVariable("FEDMRG_DOC_SCREENSHOTS");
    if (!shots.isEmpty()) {
      QTest::qWait(500);
      QVERIFY(window_->grab().save(QDir(shots).filePath("workstation-pacs.png")));
    }

    auto* editor = window_->reportEditor();
    QTest::mouseClick(editor->generateButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!editor->generating(), 60000);
    QVERIFY2(!editor->findingsEdit()->toPlainText().isEmpty(), qPrintable(editor->messageLabel()->text()));
    editor->impressionEdit()->setPlainText("No acute cardiopulmonary disease.");
    QVERIFY(editor->signFinal());
    // Signing queued the SR (automatic sending is on); the outbox stores it on the PACS.
    QTRY_VERIFY_WITH_TIMEOUT(app::PacsOutbox(*site_, window_->services().user.id).pendingCount() == 0 &&
                                 !window_->pacs()->sender()->sending(),
                             20000);
    QCOMPARE(srsInOrthanc(root_ + ".1"), 1);
    QVERIFY(window_->pacs()->sender()->statusLabel()->text().isEmpty());
  }

  void settingsTestConnection() {
    ui::PacsSettingsDialog dialog(*site_, window_->services().user, window_.get());
    dialog.show();
    QCOMPARE(dialog.nameEdit()->text(), QString("Hospital PACS"));
    QSignalSpy tested(&dialog, &ui::PacsSettingsDialog::testFinished);
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(15000));
    QVERIFY(tested.first().first().toBool());
    QVERIFY2(dialog.resultLabel()->text().startsWith("Connection OK"), qPrintable(dialog.resultLabel()->text()));
    dialog.portBox()->setValue(testing::freeLoopbackPort());
    QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(15000));
    QVERIFY(!tested.last().first().toBool());
    QVERIFY2(dialog.resultLabel()->text().contains("connection refused"), qPrintable(dialog.resultLabel()->text()));
    // A bad AE title (the field takes at most 16 characters; a backslash is refused) is named, nothing saved.
    dialog.aeTitleEdit()->setText("BAD\\AE");
    QVERIFY(!dialog.saveNode());
    QVERIFY(dialog.resultLabel()->text().contains("AE title"));
    QCOMPARE(app::PacsNodeStore(*site_, window_->services().user.id).node(node_.id)->port, orthanc_->dicomPort());
  }

  void pacsDownLeavesTheWindowWorking() {
    orthanc_->stop();
    QVERIFY(search("PACS^*"));
    QVERIFY2(panel()->messageLabel()->text().contains("connection refused"), qPrintable(panel()->messageLabel()->text()));
    QVERIFY(panel()->searchButton()->isEnabled());
    // An addendum signed now waits in the outbox, named in the status bar.
    QVERIFY(window_->reportEditor()->addAddendum("Addendum while the PACS is down."));
    QTRY_VERIFY_WITH_TIMEOUT(!window_->pacs()->sender()->sending() &&
                                 window_->pacs()->sender()->statusLabel()->text().contains("reports waiting: 1"),
                             20000);
    QVERIFY(window_->pacs()->sender()->statusLabel()->toolTip().contains("connection refused"));
    QCOMPARE(window_->worklist()->rowCount(), 1);
  }

  void cleanupTestCase() {
    window_.reset();
    if (orthanc_) orthanc_->stop();
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstPacsQueryPanel)
#include "tst_pacs_query_panel.moc"
