#include "ui/pacs_query_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "app/site/pacs_node.h"
#include "app/site/patient_identity.h"
#include "app/site/pacs_retrieve.h"
#include "app/site/site.h"

namespace fedmrg::ui {
namespace {

// Runs `f` on the GUI thread if the panel still exists.
template <typename F>
void onGui(QPointer<PacsQueryPanel> panel, F f) {
  QMetaObject::invokeMethod(
      panel.data(), [panel, f] { if (panel) f(); }, Qt::QueuedConnection);
}

}  // namespace

PacsQueryPanel::PacsQueryPanel(const app::WorkstationServices& services, QWidget* parent)
    : QWidget(parent), services_(services) {
  node_ = new QComboBox(this);
  name_ = new QLineEdit(this);
  name_->setPlaceholderText(tr("e.g. DOE^J*"));
  patientId_ = new QLineEdit(this);
  accession_ = new QLineEdit(this);
  useDates_ = new QCheckBox(tr("Study date from"), this);
  useDates_->setToolTip(tr("Search only the studies between the two dates; unticked, any date"));
  from_ = new QDateEdit(QDate::currentDate().addDays(-7), this);
  to_ = new QDateEdit(QDate::currentDate(), this);
  for (auto* d : {from_, to_}) {
    d->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    d->setEnabled(false);
  }
  modality_ = new QComboBox(this);
  modality_->addItem(tr("Any"), QString());
  for (const char* m : {"CR", "DX", "CT", "MR", "US", "MG"}) modality_->addItem(QString::fromLatin1(m), QString::fromLatin1(m));
  search_ = new QPushButton(tr("Search"), this);
  retrieve_ = new QPushButton(tr("Retrieve"), this);
  cancel_ = new QPushButton(tr("Cancel"), this);
  search_->setToolTip(tr("Ask the chosen PACS for the studies that match the fields above"));
  retrieve_->setToolTip(tr("Copy the selected studies from the PACS into the worklist"));
  cancel_->setToolTip(tr("Stop the search or retrieval in progress"));
  prefetch_ = new QCheckBox(tr("Retrieve results in the background"), this);
  prefetch_->setToolTip(tr("After each search, retrieve every listed study that is not in the worklist yet, so that it opens at once."));
  cancel_->setEnabled(false);
  retrieve_->setEnabled(false);

  model_ = new QStandardItemModel(0, ColumnCount, this);
  model_->setHorizontalHeaderLabels(
      {tr("Patient"), tr("Patient ID"), tr("Date"), tr("Modality"), tr("Description"), tr("Images"), tr("Status")});
  sorted_ = new QSortFilterProxyModel(this);
  sorted_->setSourceModel(model_);
  view_ = new QTableView(this);
  view_->setModel(sorted_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(Date, Qt::DescendingOrder);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->verticalHeader()->hide();
  view_->horizontalHeader()->setStretchLastSection(true);
  message_ = new QLabel(this);
  message_->setWordWrap(true);

  auto* form = new QFormLayout;
  form->addRow(tr("PACS"), node_);
  form->addRow(tr("Patient name"), name_);
  form->addRow(tr("Patient ID"), patientId_);
  form->addRow(tr("Accession"), accession_);
  auto* dates = new QHBoxLayout;
  dates->addWidget(from_);
  dates->addWidget(new QLabel(tr("to"), this));
  dates->addWidget(to_);
  form->addRow(useDates_, dates);
  form->addRow(tr("Modality"), modality_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(search_);
  buttons->addWidget(retrieve_);
  buttons->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(prefetch_);
  layout->addWidget(view_, 1);
  layout->addWidget(message_);

  connect(useDates_, &QCheckBox::toggled, from_, &QWidget::setEnabled);
  connect(useDates_, &QCheckBox::toggled, to_, &QWidget::setEnabled);
  connect(search_, &QPushButton::clicked, this, &PacsQueryPanel::search);
  for (auto* edit : {name_, patientId_, accession_}) connect(edit, &QLineEdit::returnPressed, this, &PacsQueryPanel::search);
  connect(retrieve_, &QPushButton::clicked, this, &PacsQueryPanel::retrieveSelected);
  connect(cancel_, &QPushButton::clicked, this, &PacsQueryPanel::cancel);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { retrieve_->setEnabled(!busy_ && view_->selectionModel()->hasSelection()); });
  connect(view_, &QTableView::doubleClicked, this, &PacsQueryPanel::retrieveSelected);
  reloadNodes();
}

PacsQueryPanel::~PacsQueryPanel() {
  // The worker uses the site: it stops (its association aborted) before the panel goes.
  if (cancelFlag_) cancelFlag_->store(true);
  work_.waitForFinished();
}

void PacsQueryPanel::reloadNodes() {
  const QVariant current = node_->currentData();
  node_->clear();
  for (const auto& n : app::PacsNodeStore(services_.site, services_.user.id).nodes())
    node_->addItem(QString::fromStdString(n.name + (n.isDefault ? " *" : "")), QVariant::fromValue(qint64(n.id)));
  const int keep = node_->findData(current);
  if (keep >= 0) node_->setCurrentIndex(keep);
  else if (auto d = app::PacsNodeStore(services_.site, services_.user.id).defaultNode())
    node_->setCurrentIndex(node_->findData(QVariant::fromValue(qint64(d->id))));
  if (node_->count() == 0) showMessage(tr("No PACS node is set up: an administrator adds one in PACS settings."));
}

std::optional<app::PacsNode> PacsQueryPanel::currentNode() {
  if (node_->currentIndex() < 0) return std::nullopt;
  return app::PacsNodeStore(services_.site, services_.user.id).node(node_->currentData().toLongLong());
}

QString PacsQueryPanel::studyUidAt(int viewRow) const {
  return sorted_->index(viewRow, Patient).data(Qt::UserRole).toString();
}

void PacsQueryPanel::showMessage(const QString& text, bool error) {
  message_->setText(text);
  message_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void PacsQueryPanel::setBusy(bool busy, const QString& message) {
  busy_ = busy;
  search_->setEnabled(!busy);
  cancel_->setEnabled(busy);
  retrieve_->setEnabled(!busy && view_->selectionModel()->hasSelection());
  if (!message.isEmpty()) showMessage(message);
}

void PacsQueryPanel::search() {
  if (busy_) return;
  const auto node = currentNode();
  if (!node) return showMessage(tr("No PACS node is set up: an administrator adds one in PACS settings."), true);
  app::StudyQuery q;
  q.patientName = name_->text().trimmed().toStdString();
  q.patientId = patientId_->text().trimmed().toStdString();
  q.accessionNumber = accession_->text().trimmed().toStdString();
  if (useDates_->isChecked()) {
    if (from_->date() > to_->date()) return showMessage(tr("The first date is after the last one."), true);
    q.fromDate = from_->date().toString(QStringLiteral("yyyyMMdd")).toStdString();
    q.toDate = to_->date().toString(QStringLiteral("yyyyMMdd")).toStdString();
  }
  q.modality = modality_->currentData().toString().toStdString();
  app::PacsClient client(app::PacsNodeStore(services_.site, services_.user.id).localAe(), *node);
  cancelFlag_ = std::make_shared<std::atomic<bool>>(false);
  auto cancel = cancelFlag_;
  setBusy(true, tr("Searching %1…").arg(QString::fromStdString(node->name)));
  QPointer<PacsQueryPanel> self(this);
  work_ = QtConcurrent::run([self, client, q, cancel]() mutable {
    std::vector<app::StudyMatch> matches;
    QString error;
    try {
      matches = client.findStudies(q, cancel.get());
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    const bool cancelled = cancel->load();
    onGui(self, [self, matches, error, cancelled] {
      self->setBusy(false);
      if (!error.isEmpty()) return self->showMessage(error, true);
      self->showMatches(matches);
      self->showMessage(cancelled ? tr("Search cancelled; studies so far: %1.").arg(matches.size())
                                  : tr("Studies found: %1.").arg(matches.size()));
      if (self->prefetch_->isChecked()) {
        std::vector<app::StudyMatch> missing;
        for (const auto& m : matches)
          if (!self->inSite(m.studyUid)) missing.push_back(m);
        if (!missing.empty()) self->retrieve(missing);
      }
    });
  });
}

void PacsQueryPanel::showMatches(const std::vector<app::StudyMatch>& matches) {
  matches_ = matches;
  view_->setSortingEnabled(false);
  model_->removeRows(0, model_->rowCount());
  for (const auto& m : matches) {
    QList<QStandardItem*> row;
    auto* patient = new QStandardItem(QString::fromStdString(app::displayPersonName(m.patientName)));
    patient->setData(QString::fromStdString(m.studyUid), Qt::UserRole);
    row << patient << new QStandardItem(QString::fromStdString(m.patientId))
        << new QStandardItem(QString::fromStdString(app::displayDate(m.studyDate))) << new QStandardItem(QString::fromStdString(m.modalities))
        << new QStandardItem(QString::fromStdString(m.description));
    auto* images = new QStandardItem;
    images->setData(m.images, Qt::DisplayRole);  // a number: sorts as one
    row << images << new QStandardItem(inSite(m.studyUid) ? tr("In worklist") : QString());
    model_->appendRow(row);
  }
  view_->setSortingEnabled(true);
  view_->resizeColumnsToContents();
}

bool PacsQueryPanel::inSite(const std::string& studyUid) {
  auto st = services_.site.store().prepare("SELECT count(*) FROM studies WHERE study_uid = ?");
  st.bind(1, studyUid);
  return st.step() && st.int64(0) > 0;
}

void PacsQueryPanel::setRowStatus(const QString& studyUid, const QString& text) {
  for (int r = 0; r < model_->rowCount(); ++r)
    if (model_->item(r, Patient)->data(Qt::UserRole).toString() == studyUid) model_->item(r, Status)->setText(text);
}

void PacsQueryPanel::retrieveSelected() {
  if (busy_) return;
  std::vector<app::StudyMatch> chosen;
  for (const QModelIndex& i : view_->selectionModel()->selectedRows()) {
    const QString uid = sorted_->mapToSource(i).siblingAtColumn(Patient).data(Qt::UserRole).toString();
    for (const auto& m : matches_)
      if (QString::fromStdString(m.studyUid) == uid) chosen.push_back(m);
  }
  if (chosen.empty()) return showMessage(tr("Select the studies to retrieve."), true);
  retrieve(chosen);
}

void PacsQueryPanel::retrieve(const std::vector<app::StudyMatch>& studies) {
  const auto node = currentNode();
  if (!node) return showMessage(tr("No PACS node is set up: an administrator adds one in PACS settings."), true);
  app::PacsClient client(app::PacsNodeStore(services_.site, services_.user.id).localAe(), *node);
  cancelFlag_ = std::make_shared<std::atomic<bool>>(false);
  auto cancel = cancelFlag_;
  for (const auto& s : studies) setRowStatus(QString::fromStdString(s.studyUid), tr("Waiting"));
  setBusy(true, tr("Retrieving studies: %1…").arg(studies.size()));
  QPointer<PacsQueryPanel> self(this);
  app::Site* site = &services_.site;
  std::shared_ptr<app::DicomImporter> importer = services_.importer;
  work_ = QtConcurrent::run([self, client, studies, cancel, site, importer] {
    int done = 0, images = 0, failed = 0;
    QString lastError;
    for (const auto& s : studies) {
      if (cancel->load()) break;
      const QString uid = QString::fromStdString(s.studyUid);
      onGui(self, [self, uid] { self->setRowStatus(uid, tr("Retrieving…")); });
      app::PacsRetriever retriever(*site, *importer, client);
      const app::StudyRetrieval r = retriever.retrieve(
          s.studyUid,
          [self, uid](int received, int expected) {
            onGui(self, [self, uid, received, expected] {
              self->setRowStatus(uid, expected > 0 ? tr("%1 of %2 images").arg(received).arg(expected)
                                                   : tr("%1 images").arg(received));
            });
          },
          cancel.get());
      QString status;
      if (!r.error.empty()) {
        ++failed;
        lastError = QString::fromStdString(r.error);
        status = tr("Failed: %1").arg(lastError);
      } else {
        ++done;
        images += r.import.imported + r.import.duplicates;
        status = r.cancelled ? tr("Cancelled (%1 images kept)").arg(r.import.imported) : tr("In worklist");
        if (!r.import.errors.empty())
          status += tr(" — not imported: %1 (%2)").arg(r.import.errors.size()).arg(r.import.errors.front().reason);
      }
      const qint64 studyId = r.import.firstStudyId;
      onGui(self, [self, uid, status, studyId] {
        self->setRowStatus(uid, status);
        if (studyId > 0) emit self->studyRetrieved(studyId);
      });
    }
    const bool cancelled = cancel->load();
    onGui(self, [self, done, images, failed, lastError, cancelled] {
      self->setBusy(false);
      QString text = tr("Studies retrieved: %1 (images: %2).").arg(done).arg(images);
      if (cancelled) text += QLatin1Char(' ') + tr("Cancelled.");
      if (failed > 0) text += QLatin1Char(' ') + tr("Failed: %1 (%2)").arg(failed).arg(lastError);
      self->showMessage(text, failed > 0);
      emit self->retrievalFinished();
    });
  });
}

void PacsQueryPanel::cancel() {
  if (cancelFlag_) cancelFlag_->store(true);
  showMessage(tr("Cancelling…"));
}

}  // namespace fedmrg::ui
