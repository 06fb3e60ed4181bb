#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "app/site/audit_trail.h"
#include "app/site/background_trainer.h"
#include "app/site/measurement_store.h"
#include "app/site/reading_order.h"
#include "app/site/report_service.h"
#include "app/site/report_templates.h"
#include "app/site/site.h"
#include "app/site/study_catalog.h"
#include "app/site/worklist_model.h"
#include "ui/action_hints.h"
#include "ui/federation_panel.h"
#include "ui/image_viewer.h"
#include "ui/language.h"
#include "ui/pacs_query_panel.h"
#include "ui/pacs_window_hook.h"
#include "ui/prior_panel.h"
#include "ui/report_editor.h"
#include "ui/role_hints.h"
#include "ui/site_dialogs.h"
#include "ui/template_dialog.h"
#include "ui/training_status_widget.h"
#include "ui/window_layout.h"

namespace fedmrg::ui {
namespace {

// A small thumbnail of a study image: the default window, shrunk to 96 px.
QIcon thumbnailOf(const app::ImageLoader& images, const QString& file) {
  try {
    const auto grey = images.thumbnail(file);
    QImage q(grey.pixels.data(), grey.width, grey.height, grey.width, QImage::Format_Grayscale8);
    return QIcon(QPixmap::fromImage(q.scaled(96, 96, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
  } catch (const std::exception&) {
    return {};
  }
}

// Rows are read whole: Home and End go to the first and last study (a table's default moves
// along the row's cells, which changes nothing the reader sees).
class WorklistView : public QTableView {
 public:
  using QTableView::QTableView;

 protected:
  QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override {
    if (action == MoveHome || action == MoveEnd) modifiers |= Qt::ControlModifier;
    return QTableView::moveCursor(action, modifiers);
  }
};

struct Shortcut {
  const char* keys;
  const char* what;
};

// Every menu action's shortcut is listed here (tst_keyboard_flow checks it); " / " separates keys
// that share a row.
constexpr Shortcut kShortcuts[] = {
    {"Up / Down, Page Up / Down, Home / End",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "move in the worklist: the study under the cursor opens")},
    {"Alt+Down / Alt+Up", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow",
                                            "next / previous study, wherever the focus is (unsaved text is kept)")},
    {"Ctrl+F", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "search the worklist")},
    {"Ctrl+O / Ctrl+Shift+O",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "import files / a folder (or drop them on the window)")},
    {"Ctrl+Shift+I", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "the last import's report")},
    {"Ctrl+Shift+U", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "users and roles (administrators)")},
    {"Ctrl+Q", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "quit")},
    {"Ctrl+Alt+F", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "the federation panel (administrators)")},
    {"Left drag",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "window / level (right: wider, down: darker, for MONOCHROME1 too)")},
    {"Shift+left or middle drag", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "pan")},
    {"Wheel, right drag, + / -", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "zoom")},
    {"Alt+1 / Alt+2 / Alt+3",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow",
                       "presets: lung, mediastinum, bone (anywhere; 1 / 2 / 3 in the viewer)")},
    {"Alt+I", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "invert (anywhere; I in the viewer)")},
    {"Alt+O", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "overlays on / off (anywhere; O in the viewer)")},
    {"Ctrl+0", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "fit the image to the view (anywhere; F in the viewer)")},
    {"Alt+0", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "reset window, zoom and pan (anywhere; R in the viewer)")},
    {"Ctrl+1", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "actual pixels (1:1): one image pixel on one screen pixel")},
    {"Alt+D / Alt+A / Alt+C",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow",
                       "measure a distance / an angle / the cardiothoracic ratio (then click on the image)")},
    {"Esc / Delete",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow",
                       "in the viewer: cancel the measurement in progress / remove the selected or last one")},
    {"Ctrl+Alt+M",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "insert the image's measurements into the report's findings")},
    {"Alt+P", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "the prior study side by side on / off")},
    {"Alt+Shift+P", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "the prior's signed report (Copy to COMPARISON)")},
    {"Ctrl+G", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "generate a draft")},
    {"Ctrl+S", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "save the report")},
    {"Ctrl+Shift+P / Ctrl+Shift+F", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "sign preliminary / final")},
    {"Ctrl+Shift+Return",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "sign final and open the next study still to sign")},
    {"Ctrl+T", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "insert a template: type to filter, Enter inserts")},
    {"Ctrl+Alt+N", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "insert the normal chest macro")},
    {"Ctrl+Shift+T", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "manage your templates")},
    {"Ctrl+L",
     QT_TRANSLATE_NOOP(
         "fedmrg::ui::MainWindow",
         "to the chips: Space cycles, P / N / U positive / negative / uncertain, Delete blank, arrows move, Esc back")},
    {"Ctrl+Z", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow",
                                 "undo in the text (also a draft or a template, with the chips it set)")},
    {"Ctrl+Shift+D", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "add an addendum to the final report")},
    {"Ctrl+Shift+E", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "export the final report as DICOM SR")},
    {"Ctrl+Shift+H", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "versions and differences")},
    {"Ctrl+Shift+L", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "audit log")},
    {"Ctrl+Alt+Q",
     QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "the PACS query panel on / off (search, retrieve into the worklist)")},
    {"Ctrl+Alt+S", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "send the final report to the PACS")},
    {"Ctrl+Alt+R", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "retry the reports waiting for the PACS now")},
    {"Ctrl+Alt+E", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "PACS settings")},
    {"F1", QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "this list")},
};

// The worklist's status words (app::statusKey), translated where they are shown.
[[maybe_unused]] constexpr const char* kStatusWords[] = {
    QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "new"), QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "draft"),
    QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "preliminary"), QT_TRANSLATE_NOOP("fedmrg::ui::MainWindow", "final")};

}  // namespace

MainWindow::MainWindow(app::WorkstationServices services, QWidget* parent)
    : QMainWindow(parent), services_(std::move(services)) {
  setWindowTitle(tr("FedMRG Workstation — %1 — %2")
                     .arg(QString::fromStdString(services_.site.name()), QString::fromStdString(services_.user.displayName)));
  setAcceptDrops(true);

  model_ = new app::WorklistModel(&services_.site, this);
  filter_ = new app::WorklistFilter(this);
  filter_->setSourceModel(model_);

  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(4, 4, 4, 4);
  search_ = new QLineEdit(left);
  search_->setPlaceholderText(tr("Search patient, ID, description…"));
  search_->setClearButtonEnabled(true);
  statusFilter_ = new QComboBox(left);
  statusFilter_->addItem(tr("All statuses"), -1);
  for (const auto s : {app::ReportStatus::New, app::ReportStatus::Draft, app::ReportStatus::Preliminary,
                       app::ReportStatus::Final})
    statusFilter_->addItem(tr(app::statusKey(s)), static_cast<int>(s));
  worklistView_ = new WorklistView(left);
  // Connected before the view's own handlers so that the flag is up when the view moves its
  // current row for removed rows; the matching "done" signals are connected after setModel.
  connect(filter_, &QAbstractItemModel::modelAboutToBeReset, this, [this] { ++modelChanging_; });
  connect(filter_, &QAbstractItemModel::layoutAboutToBeChanged, this, [this] { ++modelChanging_; });
  connect(filter_, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { ++modelChanging_; });
  connect(filter_, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] { ++modelChanging_; });
  worklistView_->setModel(filter_);
  connect(filter_, &QAbstractItemModel::modelReset, this, [this] { followModelChange(); });
  connect(filter_, &QAbstractItemModel::layoutChanged, this, [this] { followModelChange(); });
  connect(filter_, &QAbstractItemModel::rowsRemoved, this, [this] { followModelChange(); });
  connect(filter_, &QAbstractItemModel::rowsInserted, this, [this] { followModelChange(); });
  worklistView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  worklistView_->setSelectionMode(QAbstractItemView::SingleSelection);
  worklistView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  worklistView_->setSortingEnabled(true);
  worklistView_->sortByColumn(app::WorklistModel::Date, Qt::DescendingOrder);
  worklistView_->verticalHeader()->hide();
  worklistView_->horizontalHeader()->setStretchLastSection(true);
  counts_ = new QLabel(left);
  counts_->setTextFormat(Qt::PlainText);
  leftLayout->addWidget(search_);
  leftLayout->addWidget(statusFilter_);
  leftLayout->addWidget(worklistView_, 1);
  leftLayout->addWidget(counts_);

  auto* centre = new QWidget(this);
  auto* centreLayout = new QVBoxLayout(centre);
  centreLayout->setContentsMargins(0, 0, 0, 0);
  viewer_ = new ImageViewer(centre);
  viewer_->setMeasurementStore(std::make_shared<app::MeasurementStore>(services_.site, services_.user.id));
  thumbnails_ = new QListWidget(centre);
  thumbnails_->setViewMode(QListView::IconMode);
  thumbnails_->setFlow(QListView::LeftToRight);
  thumbnails_->setIconSize(QSize(96, 96));
  thumbnails_->setFixedHeight(124);
  thumbnails_->setWrapping(false);
  // The open study's image and, beside it, the patient's prior (hidden when there is none).
  prior_ = new PriorPanel(services_.site, services_.images, *services_.reports, viewer_, centre);
  auto* images = new QSplitter(centre);
  images->setObjectName(QStringLiteral("imageSplitter"));  // its position is remembered (WindowLayout)
  images->addWidget(viewer_);
  images->addWidget(prior_);
  centreLayout->addWidget(images, 1);
  centreLayout->addWidget(thumbnails_);

  editor_ = new ReportEditor(services_.site, *services_.reports, services_.drafts, this);
  templates_ = std::make_unique<app::ReportTemplates>(services_.site, services_.user.id);

  auto* splitter = new QSplitter(this);
  splitter->setObjectName(QStringLiteral("mainSplitter"));
  splitter->addWidget(left);
  splitter->addWidget(centre);
  splitter->addWidget(editor_);
  splitter->setStretchFactor(0, 2);
  splitter->setStretchFactor(1, 5);
  splitter->setStretchFactor(2, 3);
  splitter->setSizes({360, 700, 420});
  setCentralWidget(splitter);

  queueLabel_ = new QLabel(this);
  queueLabel_->setTextFormat(Qt::PlainText);
  statusBar()->addPermanentWidget(queueLabel_);

  connect(search_, &QLineEdit::textChanged, filter_, &app::WorklistFilter::setSearchText);
  connect(statusFilter_, &QComboBox::currentIndexChanged, this,
          [this](int i) {
            const int status = statusFilter_->itemData(i).toInt();
            filter_->setStatusFilter(status < 0 ? std::nullopt
                                                : std::optional<app::ReportStatus>(static_cast<app::ReportStatus>(status)));
          });
  // The current row, not clicks or activation: keys, mouse, Home/End and programmatic moves alike.
  connect(worklistView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { followCurrentRow(current); });
  connect(thumbnails_, &QListWidget::currentRowChanged, this, [this](int row) { showImage(row); });
  connect(editor_, &ReportEditor::reportChanged, this, [this] {
    model_->reload();  // the open study stays selected (followModelChange)
    refreshStatus();
  });
  connect(prior_, &PriorPanel::comparisonRequested, this, [this](qint64 forStudy, const QString& line) {
    // The line names the prior of the study it was asked for: never written into another study's report.
    if (forStudy == currentStudy_ && editor_->study() == forStudy) editor_->applyComparisonLine(line);
  });
  buildMenus();
  hintActions(this);
  refreshStatus();
  resize(1480, 900);
  WindowLayout::restore(this, QString::fromStdString(services_.user.username));
}

MainWindow::~MainWindow() {
  if (cancelImport_) cancelImport_->store(true);
}

void MainWindow::buildMenus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Import &files…"), QKeySequence(tr("Ctrl+O")), this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Import DICOM files or a DICOMDIR"));
    if (!files.isEmpty()) importPaths(files);
  });
  file->addAction(tr("Import f&older…"), QKeySequence(tr("Ctrl+Shift+O")), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Import a DICOM folder"));
    if (!dir.isEmpty()) importPaths({dir});
  });
  file->addAction(tr("Last import &report"), QKeySequence(tr("Ctrl+Shift+I")), this, &MainWindow::showImportReport);
  auto* users = file->addAction(tr("&Users…"), QKeySequence(tr("Ctrl+Shift+U")), this,
                                [this] { UsersDialog(services_.site, services_.user, this).exec(); });
  disableWithNote(users, adminRoleNote(services_.user, tr("Managing users")));
  file->addAction(tr("&Federation…"), QKeySequence(tr("Ctrl+Alt+F")), this, &MainWindow::openFederationPanel)
      ->setToolTip(tr("Coordinator, certificates, rounds and model versions (administrators)"));
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  auto* edit = menuBar()->addMenu(tr("&Worklist"));
  edit->addAction(tr("&Search"), QKeySequence::Find, this, [this] {
    search_->setFocus();
    search_->selectAll();
  });
  // Window-wide shortcuts: they work whatever has the focus, the report text included.
  edit->addAction(tr("&Next study"), QKeySequence(tr("Alt+Down")), this, &MainWindow::openNextStudy);
  edit->addAction(tr("&Previous study"), QKeySequence(tr("Alt+Up")), this, &MainWindow::openPreviousStudy);

  // The viewer's plain keys (1, 2, 3, I, O, F, R) work when it has the focus; these with Alt or
  // Ctrl work from anywhere, e.g. while typing the report.
  auto* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("Lung preset"), QKeySequence(tr("Alt+1")), this, [this] { viewer_->applyPreset(QStringLiteral("lung")); });
  view->addAction(tr("Mediastinum preset"), QKeySequence(tr("Alt+2")), this,
                  [this] { viewer_->applyPreset(QStringLiteral("mediastinum")); });
  view->addAction(tr("Bone preset"), QKeySequence(tr("Alt+3")), this, [this] { viewer_->applyPreset(QStringLiteral("bone")); });
  view->addAction(tr("Fit to the view"), QKeySequence(tr("Ctrl+0")), this, [this] { viewer_->fitToView(); });
  view->addAction(tr("Reset window and view"), QKeySequence(tr("Alt+0")), this, [this] { viewer_->resetView(); });
  view->addAction(tr("Invert"), QKeySequence(tr("Alt+I")), this, [this] { viewer_->toggleInvert(); });
  view->addAction(tr("Overlays"), QKeySequence(tr("Alt+O")), this,
                  [this] { viewer_->setOverlaysVisible(!viewer_->overlaysVisible()); });
  auto* sideBySide = view->addAction(tr("&Prior side by side"), QKeySequence(tr("Alt+P")), this, [this](bool on) {
    prior_->setWanted(on);
    if (on && !prior_->prior()) statusBar()->showMessage(prior_->noPriorNote().isEmpty() ? tr("This study has no prior.") : prior_->noPriorNote(), 8000);
  });
  sideBySide->setCheckable(true);
  sideBySide->setChecked(prior_->wanted());
  view->addAction(tr("Actual pixels (1:1)"), QKeySequence(tr("Ctrl+1")), viewer_, &ImageViewer::actualPixels);
  view->addSeparator();
  addLanguageMenu(view, statusBar());
  buildMeasureMenu();
  buildReportMenu();

  auto* help = menuBar()->addMenu(tr("&Help"));
  pacs_ = new PacsWindowHook(this, help);
  connect(pacs_->panel(), &PacsQueryPanel::studyRetrieved, this, [this] {
    model_->reload();
    refreshStatus();
  });
  help->addAction(tr("&Shortcuts"), QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
  auto* about = help->addAction(tr("&About"), this, [this] {
    QMessageBox::about(this, tr("About FedMRG"),
                       tr("FedMRG Workstation. Generated reports are drafts: a radiologist reviews and signs every report."));
  });
  about->setToolTip(tr("The program and what its drafts are"));
  exemptFromShortcut(about, "read once, never while reading studies");
}

void MainWindow::openFederationPanel() {
  QString refusal;
  FederationPanel* panel = FederationPanel::open(services_.site, services_.user, this, &refusal);
  if (!panel) {
    statusBar()->showMessage(refusal, 10000);
    return;
  }
  panel->setAttribute(Qt::WA_DeleteOnClose);
  // A run's version decided by the quality gate while the panel is open shows in its versions tab at once.
  if (trainer_) connect(trainer_, &app::BackgroundTrainer::gateFinished, panel, &FederationPanel::refreshStatus);
  panel->setFederation(federation_);
  panel->show();
}

void MainWindow::buildMeasureMenu() {
  auto* measure = menuBar()->addMenu(tr("&Measure"));
  measure->addAction(tr("&Distance"), QKeySequence(tr("Alt+D")), this,
                     [this] { viewer_->startMeasurement(app::MeasurementKind::Distance); });
  measure->addAction(tr("&Angle"), QKeySequence(tr("Alt+A")), this,
                     [this] { viewer_->startMeasurement(app::MeasurementKind::Angle); });
  measure->addAction(tr("&Cardiothoracic ratio"), QKeySequence(tr("Alt+C")), this,
                     [this] { viewer_->startMeasurement(app::MeasurementKind::CardiothoracicRatio); });
  // Esc and Delete act only while the viewer has focus: elsewhere they belong to the focused widget.
  auto* cancel = measure->addAction(tr("Cancel measurement"), QKeySequence(Qt::Key_Escape), viewer_,
                                    &ImageViewer::cancelMeasurement);
  auto* remove = measure->addAction(tr("Remove measurement"), QKeySequence(QKeySequence::Delete), viewer_,
                                    [this] { viewer_->removeMeasurement(); });
  for (QAction* action : {cancel, remove}) {
    action->setShortcutContext(Qt::WidgetShortcut);
    viewer_->addAction(action);
  }
  measure->addSeparator();
  measure->addAction(tr("&Insert measurements into report"), QKeySequence(tr("Ctrl+Alt+M")), this, [this] {
    const QStringList lines = viewer_->measurementReportLines();
    if (lines.isEmpty()) statusBar()->showMessage(tr("The image has no measurements."), 5000);
    else if (!editor_->insertText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n')))
      statusBar()->showMessage(tr("The report cannot be edited: the measurements were not inserted."), 5000);
  });
}

void MainWindow::buildReportMenu() {
  auto* report = menuBar()->addMenu(tr("&Report"));
  report->addAction(tr("&Generate draft"), QKeySequence(tr("Ctrl+G")), this, [this] {
    if (editor_->generateButton()->isEnabled()) editor_->generateDraft();
    else statusBar()->showMessage(tr("No draft now: no study is open, the report is final, or a draft is running."), 5000);
  });
  report->addAction(tr("&Save"), QKeySequence::Save, editor_, &ReportEditor::save);
  // Only radiologists sign: for anyone else the sign actions (and the addendum) are off and say why.
  report->setToolTipsVisible(true);
  const QString signingNote = signingRoleNote(services_.user);
  disableWithNote(report->addAction(tr("Sign &preliminary"), QKeySequence(tr("Ctrl+Shift+P")), editor_,
                                    &ReportEditor::signPreliminary),
                  signingNote);
  disableWithNote(
      report->addAction(tr("Sign &final"), QKeySequence(tr("Ctrl+Shift+F")), editor_, &ReportEditor::signFinal),
      signingNote);
  disableWithNote(report->addAction(tr("Sign final and open &next"), QKeySequence(tr("Ctrl+Shift+Return")), this,
                                    &MainWindow::signFinalAndOpenNext),
                  signingNote);
  report->addSeparator();
  report->addAction(tr("Insert &template…"), QKeySequence(tr("Ctrl+T")), this, &MainWindow::chooseTemplate);
  report->addAction(tr("Insert n&ormal chest"), QKeySequence(tr("Ctrl+Alt+N")), this, &MainWindow::insertNormalMacro);
  report->addAction(tr("&Manage templates…"), QKeySequence(tr("Ctrl+Shift+T")), this, &MainWindow::manageTemplates);
  report->addAction(tr("&Chips (keyboard)"), QKeySequence(tr("Ctrl+L")), editor_, &ReportEditor::focusChips);
  report->addSeparator();
  // Addenda and the SR are for a final report: said in the status bar, before any dialog opens.
  auto whenFinal = [this](auto action) {
    return [this, action] {
      if (currentStudy_ && services_.reports->studyStatus(currentStudy_) == app::ReportStatus::Final) action();
      else statusBar()->showMessage(tr("Only a final report takes an addendum or is exported as SR."), 5000);
    };
  };
  disableWithNote(report->addAction(tr("&Addendum…"), QKeySequence(tr("Ctrl+Shift+D")), this,
                                    whenFinal([this] { editor_->addAddendum(); })),
                  signingNote);
  report->addAction(tr("&Export SR…"), QKeySequence(tr("Ctrl+Shift+E")), this, whenFinal([this] { editor_->exportSr(); }));
  report->addAction(tr("&Versions and differences"), QKeySequence(tr("Ctrl+Shift+H")), editor_, &ReportEditor::showVersions);
  report->addAction(tr("A&udit log"), QKeySequence(tr("Ctrl+Shift+L")), editor_, &ReportEditor::showAuditLog);
  report->addAction(tr("&Prior report…"), QKeySequence(tr("Alt+Shift+P")), this, [this] {
    if (!prior_->showPriorReport()) statusBar()->showMessage(tr("This study has no prior."), 8000);
  });
}

void MainWindow::openNextStudy() {
  if (const qint64 next = app::adjacentStudy(*filter_, currentStudy_, 1)) openStudy(next);
  else statusBar()->showMessage(tr("This is the last study in the worklist."), 5000);
}

void MainWindow::openPreviousStudy() {
  if (const qint64 previous = app::adjacentStudy(*filter_, currentStudy_, -1)) openStudy(previous);
  else statusBar()->showMessage(tr("This is the first study in the worklist."), 5000);
}

bool MainWindow::signFinalAndOpenNext() {
  if (editor_->generating()) {
    statusBar()->showMessage(tr("Not signed: a draft is being generated."), 5000);
    return false;
  }
  if (!currentStudy_ || !editor_->signFinal()) return false;  // refused or not confirmed: the editor says why
  if (const qint64 next = app::nextUnsignedStudy(*filter_, currentStudy_)) return openStudy(next);
  statusBar()->showMessage(tr("Signed. No study left to sign in the worklist."), 10000);
  return false;
}

void MainWindow::chooseTemplate() {
  if (!currentStudy_) return statusBar()->showMessage(tr("Open a study to insert a template."), 5000);
  TemplateChooser chooser(templates_->list(), this);
  if (chooser.exec() != QDialog::Accepted) return;
  if (const auto chosen = chooser.chosen()) editor_->insertTemplate(*chosen);
}

void MainWindow::insertNormalMacro() {
  if (!currentStudy_) return statusBar()->showMessage(tr("Open a study to insert the normal macro."), 5000);
  editor_->insertTemplate(templates_->normalMacro());
}

void MainWindow::manageTemplates() {
  const app::ReportTemplate open{0, {}, editor_->findingsEdit()->toPlainText().toStdString(),
                                 editor_->impressionEdit()->toPlainText().toStdString(), app::encodeLabels(editor_->labels())};
  TemplateDialog(*templates_, open, this).exec();
}

std::vector<std::pair<QString, QString>> MainWindow::shortcutTable() {
  std::vector<std::pair<QString, QString>> rows;
  for (const auto& s : kShortcuts) rows.emplace_back(QString::fromLatin1(s.keys), tr(s.what));
  return rows;
}

void MainWindow::refreshStatus() {
  const auto c = model_->statusCounts();
  counts_->setText(tr("%1 studies — new %2, draft %3, preliminary %4, final %5")
                       .arg(model_->rowCount())
                       .arg(c.at(app::ReportStatus::New))
                       .arg(c.at(app::ReportStatus::Draft))
                       .arg(c.at(app::ReportStatus::Preliminary))
                       .arg(c.at(app::ReportStatus::Final)));
  queueLabel_->setText(tr("Signed reports waiting for training: %1").arg(services_.reports->trainingQueueCount()));
}

void MainWindow::attachTrainer(app::BackgroundTrainer* trainer) {
  if (!trainer || trainingStatus_) return;
  trainer_ = trainer;
  trainingStatus_ = new TrainingStatusWidget(trainer, this);
  statusBar()->addPermanentWidget(trainingStatus_);
  connect(trainer, &app::BackgroundTrainer::finished, this, &MainWindow::refreshStatus);  // the queue count
}

void MainWindow::importPaths(const QStringList& paths) {
  if (importRunning_) return;
  importRunning_ = true;
  cancelImport_ = std::make_shared<std::atomic<bool>>(false);
  auto* dialog = new QProgressDialog(tr("Importing DICOM files…"), tr("Cancel"), 0, 0, this);
  dialog->setWindowModality(Qt::WindowModal);
  dialog->setMinimumDuration(300);
  dialog->setAutoClose(false);
  dialog->setAutoReset(false);
  auto cancel = cancelImport_;
  connect(dialog, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });
  auto* watcher = new QFutureWatcher<app::ImportResult>(this);
  connect(watcher, &QFutureWatcher<app::ImportResult>::finished, this, [this, watcher, dialog] {
    lastImport_ = watcher->result();
    watcher->deleteLater();
    // Deferred (this may run inside the dialog's own setValue, which processes events), but out of the
    // window at once: until the deferred delete, its Esc shortcut was a second owner of Esc in the window.
    dialog->hide();
    dialog->setParent(nullptr);
    dialog->deleteLater();
    importRunning_ = false;
    model_->reload();
    refreshStatus();
    statusBar()->showMessage(tr("Imported %1 images (%2 duplicates, %3 errors)%4")
                                 .arg(lastImport_.imported)
                                 .arg(lastImport_.duplicates)
                                 .arg(lastImport_.errors.size())
                                 .arg(lastImport_.cancelled ? tr(", cancelled") : QString()),
                             10000);
    if (!lastImport_.errors.empty() && importReportOnErrors_) showImportReport();
    emit importFinished();
  });
  QPointer<QProgressDialog> bar = dialog;
  auto importer = services_.importer;
  watcher->setFuture(QtConcurrent::run([importer, paths, cancel, bar] {
    return importer->importPaths(paths,
                                [bar](int done, int total) {
                                  QMetaObject::invokeMethod(bar, [bar, done, total] {
                                    if (!bar) return;
                                    bar->setMaximum(total);
                                    bar->setValue(done);
                                  }, Qt::QueuedConnection);
                                },
                                cancel.get());
  }));
}

void MainWindow::showImportReport() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Import report"));
  auto* layout = new QVBoxLayout(&dialog);
  layout->addWidget(new QLabel(tr("%1 files scanned: %2 imported, %3 duplicates, %4 errors%5")
                                   .arg(lastImport_.scanned)
                                   .arg(lastImport_.imported)
                                   .arg(lastImport_.duplicates)
                                   .arg(lastImport_.errors.size())
                                   .arg(lastImport_.cancelled ? tr(" (cancelled)") : QString()),
                               &dialog));
  auto* table = new QTableWidget(int(lastImport_.errors.size()), 2, &dialog);
  table->setHorizontalHeaderLabels({tr("File"), tr("Reason")});
  for (int r = 0; r < int(lastImport_.errors.size()); ++r) {
    table->setItem(r, 0, new QTableWidgetItem(lastImport_.errors[size_t(r)].file));
    table->setItem(r, 1, new QTableWidgetItem(lastImport_.errors[size_t(r)].reason));
  }
  table->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(table);
  dialog.resize(900, 400);
  dialog.exec();
}

bool MainWindow::openStudy(qint64 studyId) {
  if (!studyId) {
    closeStudy();
    return false;
  }
  if (studyId != currentStudy_ && !keepUnsavedText()) {
    selectOpenStudy();
    // A mouse press selects its row after the current row moved: put the selection back after it.
    QTimer::singleShot(0, this, [this] { selectOpenStudy(); });
    return false;
  }
  const auto images = app::studyImages(services_.site, studyId);
  currentStudy_ = studyId;
  filter_->setPinnedStudy(studyId);  // the previous one may leave the list now (followModelChange)
  selectOpenStudy();
  currentImages_.clear();
  thumbnails_->blockSignals(true);
  thumbnails_->clear();
  for (const auto& image : images) {
    currentImages_ << image.file;
    thumbnails_->addItem(new QListWidgetItem(QString::fromStdString(image.viewPosition)));
  }
  thumbnails_->blockSignals(false);
  editor_->setStudy(studyId, currentImages_.value(0));
  app::recordStudyOpened(services_.site, services_.user.id, studyId);
  prior_->showPriorOf(studyId);
  if (!prior_->noPriorNote().isEmpty()) statusBar()->showMessage(prior_->noPriorNote(), 8000);
  if (images.empty()) {
    viewer_->clearImage();
    statusBar()->showMessage(tr("The study has no images."), 5000);
    return false;
  }
  thumbnails_->blockSignals(true);
  thumbnails_->setCurrentRow(0);
  thumbnails_->blockSignals(false);
  showImage(0);
  // Thumbnails decode every image again: after the first image is on screen, not before.
  auto once = std::make_shared<QMetaObject::Connection>();
  *once = connect(viewer_, &ImageViewer::rendered, this, [this, studyId, once] {
    disconnect(*once);
    QTimer::singleShot(0, this, [this, studyId] {
      for (int i = 0; i < thumbnails_->count() && currentStudy_ == studyId; ++i)
        thumbnails_->item(i)->setIcon(thumbnailOf(*services_.images, currentImages_[i]));
      if (currentStudy_ == studyId) prefetchNextStudy();
    });
  });
  emit studyOpened(studyId);
  return viewer_->hasImage();
}

void MainWindow::closeStudy() {
  // Text that cannot be kept stays on screen, in the open study; the worklist then shows no row.
  if (currentStudy_ && keepUnsavedText()) {
    currentStudy_ = 0;
    currentImages_.clear();
    thumbnails_->blockSignals(true);
    thumbnails_->clear();
    thumbnails_->blockSignals(false);
    viewer_->clearImage();
    editor_->setStudy(0, {});
    prior_->showPriorOf(0);
    filter_->setPinnedStudy(0);
  }
  selectOpenStudy();
}

bool MainWindow::selectFirstStudy() {
  if (filter_->rowCount() == 0) return false;
  openStudy(studyAt(filter_->index(0, 0)));
  return currentStudy_ != 0;
}

qint64 MainWindow::studyAt(const QModelIndex& index) const {
  return index.isValid() ? filter_->mapToSource(index).data(app::WorklistModel::StudyIdRole).toLongLong() : 0;
}

void MainWindow::followCurrentRow(const QModelIndex& current) {
  if (selecting_ || modelChanging_ > 0) return;
  const qint64 id = studyAt(current);
  if (id != currentStudy_) openStudy(id);
}

void MainWindow::followModelChange() {
  if (modelChanging_ > 0) --modelChanging_;
  if (modelChanging_ > 0) return;
  // The open study keeps its row wherever the change put it (the filter pins it, so it stays
  // listed); were it ever gone, it is closed, so that the view's choice of a neighbouring row
  // never stands for the open study.
  const int row = currentStudy_ ? model_->rowOfStudy(currentStudy_) : -1;
  if (row >= 0 && filter_->mapFromSource(model_->index(row, 0)).isValid()) selectOpenStudy();
  else closeStudy();
}

void MainWindow::selectOpenStudy() {
  const int row = currentStudy_ ? model_->rowOfStudy(currentStudy_) : -1;
  const QModelIndex index = row >= 0 ? filter_->mapFromSource(model_->index(row, 0)) : QModelIndex();
  auto* selection = worklistView_->selectionModel();
  const bool shown = index.isValid() ? selection->selectedRows() == QModelIndexList{index} : !selection->hasSelection();
  if (shown && selection->currentIndex() == index) return;
  selecting_ = true;
  if (index.isValid()) {
    selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    worklistView_->scrollTo(index);
  } else {
    selection->clear();
  }
  selecting_ = false;
}

bool MainWindow::keepUnsavedText() {
  try {
    editor_->autosaveNow();  // restored by the editor when the study is opened again
    return true;
  } catch (const std::exception& e) {
    statusBar()->showMessage(tr("The unsaved report text could not be kept, so the study stays open: %1")
                                 .arg(QString::fromUtf8(e.what())),
                             15000);
    return false;
  }
}

void MainWindow::showImage(int index) {
  if (index < 0 || index >= currentImages_.size()) return;
  const QString file = currentImages_[index];
  try {
    std::shared_ptr<const app::DisplayImage> image;
    if (prefetched_.first == file) image = prefetched_.second.result();  // decoded ahead, or being decoded
    if (!image) image = services_.images->load(file);
    viewer_->setImage(std::move(image));
  } catch (const std::exception& e) {
    viewer_->clearImage();
    statusBar()->showMessage(QString::fromUtf8(e.what()), 10000);
  }
}

void MainWindow::prefetchNextStudy() {
  if (!prefetch_) return;
  const int row = model_->rowOfStudy(currentStudy_);
  if (row < 0) return;
  const QModelIndex next = filter_->index(filter_->mapFromSource(model_->index(row, 0)).row() + 1, 0);
  if (!next.isValid()) return;
  const auto images = app::studyImages(services_.site, filter_->mapToSource(next).data(app::WorklistModel::StudyIdRole).toLongLong());
  if (images.empty() || prefetched_.first == images.front().file) return;
  const QString file = images.front().file;
  // The reading order is the worklist's: decode the next study's first image while this one is read.
  prefetched_ = {file, QtConcurrent::run([loader = services_.images, file]() -> std::shared_ptr<const app::DisplayImage> {
                   try {
                     return loader->load(file);
                   } catch (const std::exception&) {
                     return nullptr;  // showImage decodes again and reports the error
                   }
                 })};
}

void MainWindow::showShortcuts() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Shortcuts"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* table = new QTableWidget(int(std::size(kShortcuts)), 2, &dialog);
  table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
  for (int r = 0; r < int(std::size(kShortcuts)); ++r) {
    table->setItem(r, 0, new QTableWidgetItem(QString::fromLatin1(kShortcuts[r].keys)));
    table->setItem(r, 1, new QTableWidgetItem(tr(kShortcuts[r].what)));
  }
  table->horizontalHeader()->setStretchLastSection(true);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(table);
  dialog.resize(600, 480);
  dialog.exec();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) paths << url.toLocalFile();
  if (!paths.isEmpty()) {
    event->acceptProposedAction();
    importPaths(paths);
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  editor_->autosaveNow();
  WindowLayout::save(this, QString::fromStdString(services_.user.username));
  if (cancelImport_) cancelImport_->store(true);
  QMainWindow::closeEvent(event);
}

}  // namespace fedmrg::ui
