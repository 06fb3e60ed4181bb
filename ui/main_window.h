#pragma once
// The workstation window: worklist (search, status filter, counts) on the left, the image viewer with
// the study's thumbnails in the middle, the report editor on the right. Decisions are made in app.
#include <QFuture>
#include <QMainWindow>
#include <QStringList>
#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include "app/site/display_image.h"
#include "app/site/workstation_services.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableView;

namespace fedmrg::app {
class BackgroundTrainer;
class ReportTemplates;
class SiteFederation;
class WorklistModel;
class WorklistFilter;
}  // namespace fedmrg::app

namespace fedmrg::ui {

class ImageViewer;
class TrainingStatusWidget;
class PacsWindowHook;
class PriorPanel;
class ReportEditor;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // Works with the services the composition root built for one site and signed-in user.
  explicit MainWindow(app::WorkstationServices services, QWidget* parent = nullptr);
  ~MainWindow() override;

  app::Site& site() const { return services_.site; }
  const app::WorkstationServices& services() const { return services_; }
  ImageViewer* viewer() const { return viewer_; }
  // The open study's prior beside the viewer (hidden when there is none).
  PriorPanel* priorPanel() const { return prior_; }
  ReportEditor* reportEditor() const { return editor_; }
  // The PACS query dock, menu and outbox status (ui/pacs_window_hook.h).
  PacsWindowHook* pacs() const { return pacs_; }
  QTableView* worklistView() const { return worklistView_; }
  QListWidget* thumbnails() const { return thumbnails_; }
  QLineEdit* searchBox() const { return search_; }
  QComboBox* statusFilterBox() const { return statusFilter_; }
  app::WorklistModel* worklist() const { return model_; }
  app::WorklistFilter* worklistFilter() const { return filter_; }
  int64_t currentStudy() const { return currentStudy_; }
  // The last import's outcome (for the import report and tests).
  const app::ImportResult& lastImport() const { return lastImport_; }
  bool importRunning() const { return importRunning_; }
  // Decode the next worklist study's first image in the background (on by default).
  void setPrefetch(bool on) { prefetch_ = on; prefetched_ = {}; }
  // Show the import report by itself when an import had errors (on by default; tests turn it off).
  void setImportReportOnErrors(bool on) { importReportOnErrors_ = on; }
  // The rows of the F1 table (keys, what they do); every menu action's shortcut is among the keys.
  static std::vector<std::pair<QString, QString>> shortcutTable();
  app::ReportTemplates& templates() const { return *templates_; }
  // Shows the background trainer's progress and cancel button in the status bar (ui/training_status_widget.h).
  void attachTrainer(app::BackgroundTrainer* trainer);
  TrainingStatusWidget* trainingStatus() const { return trainingStatus_; }
  // The site's federation loop, whose live state the federation panel shows (app/site/site_federation.h).
  void attachFederation(app::SiteFederation* federation) { federation_ = federation; }
  app::SiteFederation* federation() const { return federation_; }

 public slots:
  // The federation panel for an administrator; anyone else gets the reason, naming the role, in the status bar.
  void openFederationPanel();
  // Imports in the background with a progress dialog and cancel; shows the import report after.
  void importPaths(const QStringList& paths);
  // Shows the study (first image in the viewer, thumbnails, report, patient banner) and makes it
  // the worklist's current row; the editor's unsaved text is autosaved first. The worklist's
  // current row always is the open study: moving it by any means opens the study it lands on.
  bool openStudy(qint64 studyId);
  bool selectFirstStudy();
  // Empties the viewer, the thumbnails, the editor (unsaved text autosaved) and the worklist's
  // selection, and lets the search and filter drop the study from the list again.
  void closeStudy();
  void showShortcuts();
  void refreshStatus();
  // The next / previous study in the worklist's order, wherever the focus is (Alt+Down / Alt+Up).
  void openNextStudy();
  void openPreviousStudy();
  // Signs the open report final (every check and confirmation of signing) and, only when it was
  // signed, opens the next study still to sign in the worklist's order (Ctrl+Shift+Return).
  bool signFinalAndOpenNext();
  // Ctrl+T: picks one of the user's templates and inserts it; Ctrl+Alt+N: the normal macro.
  void chooseTemplate();
  void insertNormalMacro();
  void manageTemplates();

 signals:
  void importFinished();
  void studyOpened(qint64 studyId);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void buildReportMenu();
  void buildMeasureMenu();
  void showImage(int index);
  void followCurrentRow(const QModelIndex& current);
  void followModelChange();
  void selectOpenStudy();
  bool keepUnsavedText();
  qint64 studyAt(const QModelIndex& index) const;
  void showImportReport();
  void prefetchNextStudy();

  app::WorkstationServices services_;
  app::WorklistModel* model_;
  app::WorklistFilter* filter_;
  QTableView* worklistView_;
  QLineEdit* search_;
  QComboBox* statusFilter_;
  QLabel* counts_;
  QLabel* queueLabel_;
  TrainingStatusWidget* trainingStatus_ = nullptr;
  app::BackgroundTrainer* trainer_ = nullptr;  // attachTrainer(); outlives the window
  app::SiteFederation* federation_ = nullptr;
  ImageViewer* viewer_;
  PriorPanel* prior_;
  QListWidget* thumbnails_;
  ReportEditor* editor_;
  PacsWindowHook* pacs_ = nullptr;
  std::unique_ptr<app::ReportTemplates> templates_;
  int64_t currentStudy_ = 0;
  // > 0 while the worklist's rows change (reload, filter, sort): the view may move its current row
  // then, and the window follows only the outcome (followModelChange), never the intermediate rows.
  int modelChanging_ = 0;
  bool selecting_ = false;  // the window itself is moving the worklist's current row
  QStringList currentImages_;
  app::ImportResult lastImport_;
  bool importRunning_ = false;
  std::shared_ptr<std::atomic<bool>> cancelImport_;
  bool prefetch_ = true;
  bool importReportOnErrors_ = true;
  std::pair<QString, QFuture<std::shared_ptr<const app::DisplayImage>>> prefetched_;
};

}  // namespace fedmrg::ui
