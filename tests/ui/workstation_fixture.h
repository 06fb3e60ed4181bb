#pragma once
// A signed-in workstation window on a temporary site with imported one-image studies, shown and
// active, for the suites that press the window's shortcuts. Qt routes a window shortcut only to the
// active window, and a dialog (the import's progress, a chooser), or another window on the same
// display, takes the activation, which without a window manager may not come back by itself.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <vector>

#include "app/site/draft_service.h"
#include "app/site/image_loader.h"
#include "app/site/report_service.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "app/site/workstation_services.h"
#include "app/test_dicom.h"
#include "ui/main_window.h"
#include "ui/report_editor.h"

namespace fedmrg::testing {

struct WorkstationFixture {
  QTemporaryDir dir;
  std::unique_ptr<app::Site> site;
  std::unique_ptr<ui::MainWindow> window;

  app::User user;

  // Creates the site and its user "drjones" (the first admin, with `roles`). False when that failed.
  bool createSite(const app::Roles& roles = {app::Role::Admin, app::Role::Radiologist}) {
    if (!dir.isValid()) return false;
    site = app::Site::create(dir.filePath("site"), "test passphrase", "Test Site", "drjones", "Dr Jones", "password123",
                             roles);
    const auto signedIn = app::UserDirectory(*site).authenticate("drjones", "password123");
    if (signedIn) user = *signedIn;
    return signedIn.has_value();
  }

  // A new window on the site for `as` (no model: drafts are unavailable), not shown.
  std::unique_ptr<ui::MainWindow> newWindow(const app::User& as) {
    return std::make_unique<ui::MainWindow>(app::WorkstationServices{
        *site, as, std::make_shared<app::ReportService>(*site, as.id), app::makeDraftService(dir.filePath("no-model")),
        std::make_shared<app::DicomImporter>(*site, as.id), std::make_shared<const app::ImageLoader>(site->vault())});
  }

  // Creates the site and its user, opens the window (every confirmation answered yes) and imports
  // `studies`. False when any step failed.
  bool start(const std::vector<TestDicom>& studies,
             const app::Roles& roles = {app::Role::Admin, app::Role::Radiologist}) {
    if (!createSite(roles)) return false;
    const QString in = dir.filePath("incoming");
    if (!QDir().mkpath(in)) return false;
    for (size_t i = 0; i < studies.size(); ++i)
      writeTestDicom((in + QStringLiteral("/s%1.dcm").arg(i)).toStdString(), studies[i]);
    window = newWindow(user);
    window->setImportReportOnErrors(false);
    window->setPrefetch(false);
    window->reportEditor()->setConfirmer([](const QString&) { return true; });
    window->resize(1400, 860);
    window->show();
    QSignalSpy done(window.get(), &ui::MainWindow::importFinished);
    window->importPaths({in});
    return done.wait(60000) && window->lastImport().imported == int(studies.size()) && activate();
  }

  bool activate() {
    if (window->isActiveWindow()) return true;
    window->activateWindow();
    return QTest::qWaitForWindowActive(window.get());
  }

  // Presses a key in `target`, which must have the focus, as a user would, with the window active.
  void press(QWidget* target, Qt::Key key, Qt::KeyboardModifiers modifiers) {
    QVERIFY(activate());
    QVERIFY2(target->hasFocus(), qPrintable(QStringLiteral("%1 has no focus").arg(target->metaObject()->className())));
    QTest::keyClick(target, key, modifiers);
  }
};

// A one-image study of its own patient: UID root + n, patient ID, and a study date.
inline TestDicom patientStudy(const std::string& uidRoot, int n, const std::string& name, const std::string& patientId,
                              const std::string& date) {
  TestDicom d;
  d.studyUid = uidRoot + "." + std::to_string(n);
  d.sopUid = d.studyUid + ".1.1";
  d.patientName = name;
  d.patientId = patientId;
  d.studyDate = date;
  d.width = d.height = 64 + 16 * n;
  return d;
}

}  // namespace fedmrg::testing
