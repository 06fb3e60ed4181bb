#pragma once
// What the PACS adds to the workstation window: the query panel in a dock beside the worklist, the
// PACS menu (query and retrieve, send the open study's report, retry waiting reports, settings),
// and the outbox's word in the status bar. Kept out of MainWindow so that its hook stays one line.
#include <QObject>

class QDockWidget;
class QMenu;

namespace fedmrg::ui {

class MainWindow;
class PacsQueryPanel;
class PacsSender;

class PacsWindowHook : public QObject {
  Q_OBJECT

 public:
  // Adds the dock, the status label and the PACS menu (before `beforeMenu` when given).
  PacsWindowHook(MainWindow* window, QMenu* beforeMenu);

  PacsQueryPanel* panel() const { return panel_; }
  PacsSender* sender() const { return sender_; }
  QDockWidget* dock() const { return dock_; }
  // Opens the PACS settings (administrators change them; others may look and test).
  void showSettings();

 private:
  MainWindow* window_;
  QDockWidget* dock_;
  PacsQueryPanel* panel_;
  PacsSender* sender_;
  bool sized_ = false;
};

}  // namespace fedmrg::ui
