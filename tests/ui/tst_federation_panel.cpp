// The federation panel as people use it: a radiologist's Federation… is refused with the role named in the
// status bar; an administrator's opens the panel, imports certificates from a real consortium CA (a bad key is
// refused in the panel), tests the connection against a real coordinator over mutual TLS (the round appears),
// sees the bytes per round as a bar chart and the model versions with their held-back scores and the gate's
// reason, and switches the drafting version. With FEDMRG_DOC_SCREENSHOTS set to a folder, saves the panel's status
// with the rounds this test records (workstation-federation-recorded.png; docs/workstation-federation.png is a
// real round's, made by scripts/run.sh). With the workstation's federation loop
// attached, the status tab shows it live: a round waiting for approval, with the button that approves it.
#include "app/tiny_model.h"  // LibTorch first: Qt's "slots" macro breaks its headers
#include "app/training_site.h"

#include <QAction>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/draft_activity.h"
#include "app/site/federation_settings.h"
#include "app/site/site_federation.h"
#include "app/site/image_loader.h"
#include "app/site/model_versions.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/workstation_services.h"
#include "coordinator/certificate_authority.h"
#include "coordinator/coordinator_service.h"
#include "coordinator/coordinator_state.h"
#include "coordinator/loopback_coordinator.h"
#include "coordinator/round_manager.h"
#include "engine/model/model_folder.h"
#include "federation/federated_tensors.h"
#include "federation/site_client.h"
#include "federation/tls_credentials.h"
#include "ui/federation_panel.h"
#include "ui/main_window.h"
#include "widget_test_main.h"

using namespace fedmrg;

namespace {

QAction* federationAction(QMainWindow& w) {
  for (QAction* a : w.menuBar()->findChildren<QAction*>())
    if (a->text() == QStringLiteral("&Federation…")) return a;
  return nullptr;
}

}  // namespace

class TestFederationPanel : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  app::User admin_, radiologist_;

  std::unique_ptr<ui::MainWindow> windowFor(const app::User& user) {
    return std::make_unique<ui::MainWindow>(app::WorkstationServices{
        *site_, user, std::make_shared<app::ReportService>(*site_, user.id),
        app::makeDraftService(dir_.filePath("no-model")), std::make_shared<app::DicomImporter>(*site_, user.id),
        std::make_shared<const app::ImageLoader>(site_->vault())});
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ =
        app::Site::create(dir_.filePath("site"), "test passphrase", "Test Site", "admin", "Ada Admin", "password123");
    admin_ = *app::UserDirectory(*site_).authenticate("admin", "password123");
    app::UserDirectory(*site_, admin_.id).addUser("rad", "Dr Rad", app::Role::Radiologist, "password456");
    radiologist_ = *app::UserDirectory(*site_).authenticate("rad", "password456");
  }

  void radiologistIsRefusedWithTheRole() {
    auto w = windowFor(radiologist_);
    w->show();
    QAction* a = federationAction(*w);
    QVERIFY(a);
    a->trigger();
    QVERIFY(!w->findChild<ui::FederationPanel*>());
    const QString shown = w->statusBar()->currentMessage();
    QVERIFY2(shown.contains("needs the admin role") && shown.contains("rad has: radiologist"),
             qPrintable(shown));
  }

  void adminRunsThePanel() {
    // A model with two versions, one refused by the gate (as the gate stores it) with held-back scores.
    const QString model = dir_.filePath("chest-model");
    testing::writeTinyModel(model.toStdString());
    app::ModelVersions versions(*site_, admin_.id);
    const app::ModelVersion base = versions.ensureBase(model);
    const app::ModelVersion round1 = versions.registerAdapters(
        QString::fromStdString(engine::ModelFolder(model.toStdString()).adapterPath(engine::AdapterKind::Generic)), {},
        "federation", "federation round 1, global version 1");
    site_->store().exec("INSERT INTO model_version_scores VALUES (" + std::to_string(base.id) +
                        ", 'set', 20, 0.75, '2026-01-01T00:00:00.000Z'), (" + std::to_string(round1.id) +
                        ", 'set', 20, 0.61, '2026-01-01T00:00:01.000Z')");
    site_->store().exec(
        "UPDATE model_versions SET gate_state = 'refused', gate_reason = 'refused: CE-F1 0.610 on 20 "
        "held-back signed reports against 0.750' WHERE id = " +
        std::to_string(round1.id));
    site_->store().exec(
        "INSERT INTO federation_rounds(round, base_version, started_at, status, bytes_up, bytes_down) VALUES "
        "(1, 0, '2026-01-01T00:00:00.000Z', 'closed', 180000, 420000), (2, 1, '2026-01-02T00:00:00.000Z', 'closed', "
        "150000, 390000)");

    auto w = windowFor(admin_);
    w->resize(1200, 800);
    w->show();
    federationAction(*w)->trigger();
    auto* panel = w->findChild<ui::FederationPanel*>();
    QVERIFY(panel);
    QVERIFY(panel->isVisible());

    // Certificates from the consortium CA; a key of another certificate is refused in the panel.
    auto ca = coordinator::CertificateAuthority::create(dir_.filePath("ca").toStdString(), "consortium");
    const auto siteCert = ca.issueSite("site-a");
    const auto other = ca.issueSite("site-b");
    panel->caEdit()->setText(QString::fromStdString(siteCert.caFile));
    panel->certEdit()->setText(QString::fromStdString(siteCert.certFile));
    panel->keyEdit()->setText(QString::fromStdString(other.keyFile));
    QVERIFY(!panel->importCertificates());
    QVERIFY2(panel->resultLabel()->text().contains("does not match the certificate"),
             qPrintable(panel->resultLabel()->text()));
    QVERIFY(panel->certificateLabel()->text().contains("no certificates"));
    panel->keyEdit()->setText(QString::fromStdString(siteCert.keyFile));
    QVERIFY(panel->importCertificates());
    QVERIFY2(panel->certificateLabel()->text().contains("site site-a"), qPrintable(panel->certificateLabel()->text()));

    // A real coordinator over mutual TLS; the site asks for its task, which opens round 1.
    const auto coordinatorCert = ca.issueCoordinator({"127.0.0.1"});
    coordinator::RoundSettings rs;
    rs.minSites = 1;
    auto rounds = std::make_shared<coordinator::RoundManager>(
        coordinator::openMemoryState(), dir_.filePath("blobs").toStdString(),
        std::vector<federation::FederatedTensorSpec>{{"w", {4, 8}}}, federation::CodecPlan{}, rs,
        [] { return QDateTime::currentMSecsSinceEpoch(); }, [](const std::string&) {});
    coordinator::CoordinatorService service(
        rounds,
        federation::mutualTlsServerCredentials(
            {coordinatorCert.caFile, coordinatorCert.certFile, coordinatorCert.keyFile}),
        false, 4, [](const std::string&) {});
    const int port = service.start("127.0.0.1:0");
    panel->coordinatorEdit()->setText(QStringLiteral("127.0.0.1:%1").arg(port));
    QVERIFY2(panel->join(), qPrintable(panel->resultLabel()->text()));
    federation::SiteTask task;
    QVERIFY(federation::grpcSiteTransport(
                "127.0.0.1:" + std::to_string(port),
                federation::mutualTlsChannelCredentials({siteCert.caFile, siteCert.certFile, siteCert.keyFile}), {})
                ->task(task)
                .ok);
    QSignalSpy tested(panel, &ui::FederationPanel::testFinished);
    panel->testConnection();
    QVERIFY(tested.wait(20000));
    QVERIFY2(tested.first().first().toBool(), qPrintable(panel->resultLabel()->text()));
    QCOMPARE(panel->roundLabel()->text(), QStringLiteral("round %1 (open)").arg(task.round));
    QVERIFY(panel->syncLabel()->text() != QStringLiteral("never"));
    service.shutdown();

    // Bytes sent and received per round, as bars.
    const auto series = panel->trafficChart()->series();
    QCOMPARE(series.size(), 1);
    const auto sets = static_cast<QBarSeries*>(series.first())->barSets();
    QCOMPARE(sets.size(), 2);
    QCOMPARE(sets[0]->count(), 2);
    QCOMPARE(sets[0]->at(0), 180000 / 1024.0);
    QCOMPARE(sets[1]->at(1), 390000 / 1024.0);

    // The versions with their scores and the gate's reason; switching is logged and moves drafts.
    panel->tabs()->setCurrentIndex(3);
    QTableWidget* table = panel->versionsTable();
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 4)->text(), QStringLiteral("0.750 on 20 reports"));
    QCOMPARE(table->item(0, 5)->text(), QStringLiteral("active"));
    QCOMPARE(table->item(1, 3)->text(), QStringLiteral("refused"));
    table->selectRow(1);
    QVERIFY2(panel->gateLabel()->text().startsWith("refused: CE-F1 0.610"), qPrintable(panel->gateLabel()->text()));
    QVERIFY(panel->switchToSelectedVersion());
    QCOMPARE(versions.active()->id, round1.id);
    QCOMPARE(table->item(1, 5)->text(), QStringLiteral("active"));
    QVERIFY(panel->rollBack());
    QCOMPARE(versions.active()->id, base.id);

    if (const QString folder = qEnvironmentVariable("FEDMRG_DOC_SCREENSHOTS"); !folder.isEmpty()) {
      panel->tabs()->setCurrentIndex(2);
      panel->resize(820, 600);
      QTest::qWait(200);
      QVERIFY(panel->grab().save(QDir(folder).filePath("workstation-federation-recorded.png")));
    }
  }

  void showsTheLoopLiveAndApprovesTheRoundItWaitsOn() {
    // A second site with two signed reports to train on, joined to a coordinator on loopback that runs one
    // round, approving each round.
    QTemporaryDir dir;
    auto t = testing::makeTrainingSite(dir.path(), 2);
    for (size_t i = 0; i < t.studies.size(); ++i) testing::signFinal(t, i);
    const QString model = dir.filePath("chest-model");
    testing::writeTinyTrainingModel(model, t.records);
    app::ModelVersions(*t.site, 1).ensureBase(model);
    coordinator::RoundSettings rs;
    rs.minSites = 1;
    rs.maxRounds = 1;
    test::LoopbackCoordinator coordinator(federation::federatedTensors(model.toStdString(), federation::Strategy::FedMrg),
                                          rs);
    app::FederationSettingsStore settings(*t.site, 1);
    app::FederationSettings s;
    s.coordinator = coordinator.target();
    s.participation = app::Participation::ApproveEach;
    settings.save(s);
    t.site->store().exec("UPDATE federation_settings SET joined = 1 WHERE id = 1");  // join() is over mutual TLS
    app::SiteFederationOptions o;
    o.training.steps = 2;
    o.training.niceness = 0;  // at nice 19 on a shared test machine the round may wait minutes; not tested here
    o.pollMs = 200;
    o.insecureSiteId = "panel-site";
    app::SiteFederation loop(*t.site, std::make_shared<app::DraftActivity>(), o);

    const app::User admin = *app::UserDirectory(*t.site).authenticate("admin", "adminpass1");
    ui::MainWindow w(app::WorkstationServices{*t.site, admin, std::make_shared<app::ReportService>(*t.site, admin.id),
                                              app::makeDraftService(model), std::make_shared<app::DicomImporter>(*t.site, admin.id),
                                              std::make_shared<const app::ImageLoader>(t.site->vault())});
    w.attachFederation(&loop);
    w.show();
    federationAction(w)->trigger();
    auto* panel = w.findChild<ui::FederationPanel*>();
    QVERIFY(panel);
    panel->tabs()->setCurrentIndex(2);
    QVERIFY(!panel->approvePendingButton()->isVisible());
    QVERIFY(loop.refresh());
    for (int waited = 0; waited < 30000 && !panel->approvePendingButton()->isVisible(); waited += 100) QTest::qWait(100);
    QVERIFY2(panel->approvePendingButton()->isVisible(), qPrintable(panel->loopLabel()->text() + "\n" + coordinator.log()));
    QVERIFY2(panel->loopLabel()->text().startsWith("waiting for your approval, round 1"),
             qPrintable(panel->loopLabel()->text()));
    QCOMPARE(panel->approvePendingButton()->text(), QStringLiteral("Appro&ve round 1"));

    // The button approves that round (logged as the administrator's), and the site goes on to train and upload.
    panel->approvePendingButton()->click();
    QVERIFY(settings.rounds().front().approved);
    QTRY_VERIFY_WITH_TIMEOUT(coordinator.log().contains("upload_accepted site=panel-site"), 60000);
    QVERIFY(!panel->approvePendingButton()->isVisible());
    // The round's version comes back, is checked by the gate, and the panel says what the gate decided.
    QTRY_VERIFY_WITH_TIMEOUT(panel->lastGateLabel()->text().startsWith("global version 1 (model version 2) "), 120000);
    QCOMPARE(panel->globalVersionLabel()->text(), QStringLiteral("1"));
    QCOMPARE(t.site->store().queryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'federation round approved' "
                                      "AND user_id = " + std::to_string(admin.id)),
             int64_t(1));
    loop.stop();
  }
};

FEDMRG_WIDGET_TEST_MAIN(TestFederationPanel)
#include "tst_federation_panel.moc"
