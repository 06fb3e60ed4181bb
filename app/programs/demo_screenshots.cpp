#include "app/programs/demo_screenshots.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>
#include <cstdio>

#include "app/programs/event_wait.h"
#include "app/site/background_trainer.h"
#include "app/site/federation_settings.h"
#include "app/site/site_federation.h"
#include "app/site/site.h"
#include "ui/federation_panel.h"
#include "ui/main_window.h"

namespace fedmrg::programs {
namespace {

class Messages {
  Q_DECLARE_TR_FUNCTIONS(fedmrg)
};

bool save(QWidget& widget, const QString& file) {
  waitFor([] { return false; }, 300);  // let the last layout and paint settle
  if (!widget.grab().save(file)) {
    std::fprintf(stderr, "fedmrg: %s\n", qPrintable(Messages::tr("cannot write the screenshot %1").arg(file)));
    return false;
  }
  std::printf("Screenshot saved to %s\n", qPrintable(QFileInfo(file).absoluteFilePath()));
  std::fflush(stdout);  // the console is often a log file: say it now, not at exit
  return true;
}

// A round the site took part in and whose version it downloaded, as the federation loop records it (both bars of
// the chart).
bool siteRecordedRound(app::Site& site, int64_t userId) {
  for (const auto& r : app::FederationSettingsStore(site, userId).rounds())
    if (r.bytesUp > 0 && r.bytesDown > 0) return true;
  return false;
}

}  // namespace

bool shootTrainingProgress(ui::MainWindow& window, app::BackgroundTrainer& trainer, const QString& file,
                           int timeoutMs) {
  int step = 0, steps = 0;
  const auto connection = QObject::connect(&trainer, &app::BackgroundTrainer::progress, [&](int s, int n, double) {
    step = s;
    steps = n;
  });
  // A fifth of the run: the progress bar shows, with the step count and an estimate, not only "starting".
  if (!waitFor([&] { return step >= 1 && step * 5 >= steps; }, timeoutMs))
    std::printf("%s\n", qPrintable(Messages::tr("Background training reported no step within %1 s (%2 signed reports "
                                                "pending); the screenshot shows the status bar as it is")
                                       .arg(timeoutMs / 1000)
                                       .arg(trainer.pendingCount())));
  QObject::disconnect(connection);
  return save(window, file);
}

bool shootFederationPanel(ui::MainWindow& window, app::Site& site, const app::User& user, const QString& file,
                          int timeoutMs) {
  const bool recorded = waitFor([&] { return siteRecordedRound(site, user.id); }, timeoutMs);
  if (!recorded)
    std::printf("%s\n", qPrintable(Messages::tr("The site recorded no federation round within %1 s; the panel shows "
                                                "the coordinator's state without the site's bytes")
                                       .arg(timeoutMs / 1000)));
  // The site scores each new global version on its held-back reports after the round's bytes are recorded: wait
  // for that decision too, so that "Last new version" shows it rather than "none yet" (without a round there is none
  // to wait for).
  if (app::SiteFederation* federation = window.federation(); recorded && federation)
    if (!waitFor([&] { return !federation->state().gateOutcome.empty(); }, timeoutMs))
      std::printf("%s\n", qPrintable(Messages::tr("The site made no gate decision on a new global version within %1 s; "
                                                  "the panel shows its state as it is")
                                         .arg(timeoutMs / 1000)));
  // As the Federation… action opens it: with the site's federation loop attached, so "This site" shows it live.
  window.openFederationPanel();
  ui::FederationPanel* panel = window.findChild<ui::FederationPanel*>();
  if (!panel) {
    std::fprintf(stderr, "fedmrg: %s\n", qPrintable(Messages::tr("the federation panel did not open (%1)")
                                                         .arg(window.statusBar()->currentMessage())));
    return false;
  }
  auto* tabs = panel->tabs();
  for (int i = 0; i < tabs->count(); ++i)
    if (tabs->widget(i)->isAncestorOf(panel->roundLabel())) tabs->setCurrentIndex(i);
  panel->show();
  bool tested = false;
  QObject::connect(panel, &ui::FederationPanel::testFinished, [&tested](bool) { tested = true; });
  panel->testConnection();  // the coordinator's current round and global version, over mutual TLS
  waitFor([&] { return tested; }, 20000);
  panel->refreshStatus();
  const bool ok = save(*panel, file);
  panel->close();  // deletes itself
  return ok;
}

}  // namespace fedmrg::programs
