#include "ui/pacs_window_hook.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

#include "app/site/report_service.h"
#include "ui/main_window.h"
#include "ui/pacs_query_panel.h"
#include "ui/pacs_sender.h"
#include "ui/pacs_settings_dialog.h"
#include "ui/report_editor.h"

namespace fedmrg::ui {

PacsWindowHook::PacsWindowHook(MainWindow* window, QMenu* beforeMenu) : QObject(window), window_(window) {
  const app::WorkstationServices& services = window->services();
  dock_ = new QDockWidget(tr("PACS query"), window);
  dock_->setObjectName(QStringLiteral("pacsQueryDock"));
  panel_ = new PacsQueryPanel(services, dock_);
  dock_->setWidget(panel_);
  window->addDockWidget(Qt::LeftDockWidgetArea, dock_);
  dock_->hide();
  // Wide enough for the results' columns when the dock first opens.
  connect(dock_, &QDockWidget::visibilityChanged, this, [this](bool visible) {
    if (visible && !sized_) {
      sized_ = true;
      window_->resizeDocks({dock_}, {560}, Qt::Horizontal);
    }
  });

  sender_ = new PacsSender(services.site, services.user.id, this);
  window->statusBar()->addPermanentWidget(sender_->statusLabel());
  connect(window->reportEditor(), &ReportEditor::reportChanged, sender_, &PacsSender::reportChanged);
  connect(sender_, &PacsSender::message, window, [window](const QString& text) { window->statusBar()->showMessage(text, 10000); });

  auto* menu = new QMenu(tr("PAC&S"), window);
  if (beforeMenu) window->menuBar()->insertMenu(beforeMenu->menuAction(), menu);
  else window->menuBar()->addMenu(menu);
  QAction* query = dock_->toggleViewAction();
  query->setText(tr("&Query and retrieve"));
  query->setShortcut(QKeySequence(tr("Ctrl+Alt+Q")));
  menu->addAction(query);
  menu->addAction(tr("&Send report to PACS"), QKeySequence(tr("Ctrl+Alt+S")), this, [this] {
    const qint64 study = window_->currentStudy();
    if (study == 0 || window_->services().reports->studyStatus(study) != app::ReportStatus::Final)
      return window_->statusBar()->showMessage(tr("Only a signed final report is sent to the PACS."), 5000);
    sender_->sendNow(study);
  });
  menu->addAction(tr("&Retry waiting reports now"), QKeySequence(tr("Ctrl+Alt+R")), this,
                  [this] { sender_->kick(true); });
  menu->addSeparator();
  menu->addAction(tr("PACS s&ettings…"), QKeySequence(tr("Ctrl+Alt+E")), this, &PacsWindowHook::showSettings);
}

void PacsWindowHook::showSettings() {
  PacsSettingsDialog dialog(window_->services().site, window_->services().user, window_);
  connect(&dialog, &PacsSettingsDialog::settingsChanged, panel_, &PacsQueryPanel::reloadNodes);
  dialog.exec();
}

}  // namespace fedmrg::ui
