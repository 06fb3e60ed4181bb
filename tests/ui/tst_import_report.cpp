// The main window's import, as a user runs it: File > Import folder… picks a folder holding a good study
// and a file whose pixel data is shorter than its header announces. The import report the window opens
// names the bad file with a reason a person understands; the good study is in the worklist; the bad file
// made no study, so no draft can be requested for it.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QProgressDialog>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "app/site/worklist_model.h"
#include "app/site/workstation_services.h"
#include "app/test_dicom.h"
#include "damaged_dicom.h"
#include "ui/main_window.h"
#include "ui/widget_test_main.h"

using namespace fedmrg;

namespace {

// What the import report dialog showed: its summary line and its (file, reason) rows.
struct ShownReport {
  QString summary;
  QList<QPair<QString, QString>> rows;
};

// The menu action a user clicks, found by its shortcut (its text is translated).
QAction* actionWithShortcut(QWidget* window, const QKeySequence& shortcut) {
  for (QAction* a : window->findChildren<QAction*>())
    if (a->shortcut() == shortcut) return a;
  return nullptr;
}

}  // namespace

class TstImportReport : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<app::Site> site_;
  std::unique_ptr<ui::MainWindow> window_;

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (scripts/with-display.sh)");
    // Qt's own file dialog, which the test can answer (a desktop's native one is another process).
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    QVERIFY(dir_.isValid());
    site_ = app::Site::create(dir_.filePath("site"), "test passphrase", "Test Site", "drlee", "Dr Lee", "password123");
    const app::User user = *app::UserDirectory(*site_).authenticate("drlee", "password123");
    window_ = std::make_unique<ui::MainWindow>(app::WorkstationServices{
        *site_, user, std::make_shared<app::ReportService>(*site_, user.id),
        app::makeDraftService(dir_.filePath("no-model")), std::make_shared<app::DicomImporter>(*site_, user.id),
        std::make_shared<const app::ImageLoader>(site_->vault())});
    window_->setPrefetch(false);
    window_->resize(1200, 800);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
  }

  void importFolderReportsTheCorruptFile() {
    const QString in = dir_.filePath("incoming");
    QVERIFY(QDir().mkpath(in));
    testing::TestDicom good;
    good.studyUid = "1.2.826.0.1.3680043.10.99.4100";
    good.patientName = "Good^Gina";
    good.patientId = "G001";
    testing::writeTestDicom((in + "/good.dcm").toStdString(), good);
    testing::NativeSpec bad;
    bad.studyUid = "1.2.826.0.1.3680043.10.99.4200";
    bad.shortBy = 2000;  // DCMTK would pad the missing pixels with zeros and show an image
    testing::writeNativeDicom((in + "/short-pixels.dcm").toStdString(), bad);

    // Answers the window's modal dialogs as a user would: the folder chooser gets the folder, the import
    // report is read and closed. The import's progress dialog is left alone.
    ShownReport shown;
    bool chose = false, reported = false;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
      QWidget* modal = QApplication::activeModalWidget();
      if (!modal || qobject_cast<QProgressDialog*>(modal)) return;
      if (auto* chooser = qobject_cast<QFileDialog*>(modal)) {
        chooser->setDirectory(in);
        static_cast<QDialog*>(chooser)->accept();  // QFileDialog::accept, as its Choose button calls it
        chose = true;
      } else if (auto* table = modal->findChild<QTableWidget*>()) {
        for (QLabel* label : modal->findChildren<QLabel*>()) shown.summary += label->text();
        for (int r = 0; r < table->rowCount(); ++r)
          shown.rows.append({table->item(r, 0)->text(), table->item(r, 1)->text()});
        reported = true;
        static_cast<QDialog*>(modal)->reject();
      }
    });
    answer.start();
    QSignalSpy done(window_.get(), &ui::MainWindow::importFinished);
    QAction* importFolder = actionWithShortcut(window_.get(), QKeySequence(QStringLiteral("Ctrl+Shift+O")));
    QVERIFY(importFolder);
    // Queued: the chooser's exec() runs inside the event loop that the wait below spins.
    QTimer::singleShot(0, importFolder, &QAction::trigger);
    QVERIFY(done.wait(60000));
    answer.stop();
    QVERIFY(chose);

    // The report opened by itself because a file was refused, and names it with a human reason.
    QVERIFY(reported);
    QVERIFY2(shown.summary.contains(QStringLiteral("1 imported")) && shown.summary.contains(QStringLiteral("1 errors")),
             qPrintable(shown.summary));
    QCOMPARE(shown.rows.size(), 1);
    QVERIFY2(shown.rows[0].first.endsWith(QStringLiteral("short-pixels.dcm")), qPrintable(shown.rows[0].first));
    const QString reason = shown.rows[0].second;
    QVERIFY2(reason.contains(QStringLiteral("pixel data is 2,000 bytes shorter")), qPrintable(reason));
    QVERIFY2(!reason.contains(QStringLiteral("premature end")) && !reason.contains(QStringLiteral("I/O suspension")),
             qPrintable(reason));

    // The good study is in the worklist, the bad file made none: there is nothing to open or draft for it.
    QCOMPARE(window_->worklist()->rowCount(), 1);
    QCOMPARE(window_->worklistView()->model()->index(0, app::WorklistModel::PatientId).data().toString(),
             QStringLiteral("G001"));
    auto st = site_->store().prepare("SELECT count(*) FROM studies WHERE study_uid = ?");
    st.bind(1, bad.studyUid);
    QVERIFY(st.step());
    QCOMPARE(st.int64(0), int64_t(0));
    QCOMPARE(site_->store().queryInt("SELECT count(*) FROM images"), int64_t(1));
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstImportReport)
#include "tst_import_report.moc"
