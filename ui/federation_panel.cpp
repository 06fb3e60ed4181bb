#include "ui/federation_panel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent>
#include <algorithm>

#include "app/site/federation_settings.h"
#include "app/site/model_versions.h"
#include "app/site/site.h"
#include "app/site/site_federation.h"

namespace fedmrg::ui {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// A line edit with a "Browse…" button that picks a file into it.
QWidget* fileRow(QLineEdit* edit, const QString& caption, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* h = new QHBoxLayout(row);
  h->setContentsMargins(0, 0, 0, 0);
  h->addWidget(edit, 1);
  auto* browse = new QPushButton(FederationPanel::tr("Browse…"), row);
  browse->setToolTip(FederationPanel::tr("Choose the file"));
  QObject::connect(browse, &QPushButton::clicked, row, [edit, caption, row] {
    const QString f = QFileDialog::getOpenFileName(row, caption, edit->text());
    if (!f.isEmpty()) edit->setText(f);
  });
  h->addWidget(browse);
  return row;
}

// A push button with its tooltip, calling `slot` of `panel` when clicked.
template <typename Slot>
QPushButton* button(FederationPanel* panel, QWidget* parent, const QString& text, const QString& tip, Slot slot) {
  auto* b = new QPushButton(text, parent);
  b->setToolTip(tip);
  QObject::connect(b, &QPushButton::clicked, panel, slot);
  return b;
}

QString phaseText(app::SiteFederationState::Phase p) {
  using Phase = app::SiteFederationState::Phase;
  switch (p) {
    case Phase::Off: return FederationPanel::tr("not taking part");
    case Phase::Waiting: return FederationPanel::tr("waiting for a round");
    case Phase::WaitingForApproval: return FederationPanel::tr("waiting for your approval");
    case Phase::Paused: return FederationPanel::tr("sitting this round out");
    case Phase::Training: return FederationPanel::tr("training");
    case Phase::Uploading: return FederationPanel::tr("uploading");
    case Phase::Syncing: return FederationPanel::tr("downloading the global version");
    case Phase::Gating: return FederationPanel::tr("checking the new version on held-back reports");
    case Phase::Failed: return FederationPanel::tr("stopped");
  }
  return {};
}

}  // namespace

FederationPanel* FederationPanel::open(app::Site& site, const app::User& user, QWidget* parent, QString* refusal) {
  const std::string why = app::federationAdminRefusal(site, user);
  if (refusal) *refusal = q(why);
  return why.empty() ? new FederationPanel(site, user, parent) : nullptr;
}

FederationPanel::FederationPanel(app::Site& site, const app::User& user, QWidget* parent)
    : QDialog(parent), site_(site), user_(user) {
  setWindowTitle(tr("Federation"));
  auto* layout = new QVBoxLayout(this);
  tabs_ = new QTabWidget(this);
  tabs_->addTab(buildConnectionTab(), tr("Connection"));
  tabs_->addTab(buildParticipationTab(), tr("Participation"));
  tabs_->addTab(buildStatusTab(), tr("Status"));
  tabs_->addTab(buildVersionsTab(), tr("Model versions"));
  layout->addWidget(tabs_);
  result_ = new QLabel(this);
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(result_);
  loadSettings();
  refreshStatus();
  resize(760, 560);
}

FederationPanel::~FederationPanel() { testFuture_.waitForFinished(); }

QWidget* FederationPanel::buildConnectionTab() {
  auto* page = new QWidget(this);
  auto* form = new QFormLayout(page);
  coordinator_ = new QLineEdit(page);
  coordinator_->setPlaceholderText(tr("host:port, e.g. coordinator.example.org:50051"));
  coordinator_->setToolTip(tr("The consortium coordinator's address"));
  form->addRow(tr("Coordinator:"), coordinator_);
  ca_ = new QLineEdit(page);
  cert_ = new QLineEdit(page);
  key_ = new QLineEdit(page);
  form->addRow(tr("CA certificate:"), fileRow(ca_, tr("The consortium CA's certificate (PEM)"), page));
  form->addRow(tr("Site certificate:"), fileRow(cert_, tr("This site's certificate (PEM)"), page));
  form->addRow(tr("Site private key:"), fileRow(key_, tr("This site's private key (PEM)"), page));
  auto* import = button(this, page, tr("&Import certificates"),
                        tr("Check the three files (key matches certificate, signed by the CA, not expired) and keep "
                           "private copies in the site folder"),
                        &FederationPanel::importCertificates);
  certificate_ = new QLabel(page);
  form->addRow(import, certificate_);

  auto* buttons = new QHBoxLayout;
  test_ = button(this, page, tr("&Test connection"), tr("Ask the coordinator for its status over mutual TLS"),
                 &FederationPanel::testConnection);
  for (auto* b :
       {button(this, page, tr("&Save"), tr("Store the address and the participation settings"),
               &FederationPanel::saveSettings),
        test_, button(this, page, tr("&Join"), tr("Register this site with the coordinator"), &FederationPanel::join),
        button(this, page, tr("&Leave"),
               tr("Stop taking part in rounds (the coordinator keeps the site's registration)"),
               &FederationPanel::leave)})
    buttons->addWidget(b);
  buttons->addStretch();
  form->addRow(buttons);
  joined_ = new QLabel(page);
  form->addRow(tr("Membership:"), joined_);
  return page;
}

QWidget* FederationPanel::buildParticipationTab() {
  auto* page = new QWidget(this);
  auto* form = new QFormLayout(page);
  participation_ = new QComboBox(page);
  participation_->addItem(tr("Approve each round"), int(app::Participation::ApproveEach));
  participation_->addItem(tr("Take part in every round"), int(app::Participation::EveryRound));
  participation_->setToolTip(tr("Whether the site trains and uploads for each round by itself"));
  form->addRow(tr("Rounds:"), participation_);
  auto* hours = new QHBoxLayout;
  fromHour_ = new QSpinBox(page);
  fromHour_->setRange(0, 23);
  toHour_ = new QSpinBox(page);
  toHour_->setRange(1, 24);
  fromHour_->setToolTip(tr("First hour (local time) the site may train and sync"));
  toHour_->setToolTip(tr("Hour (local time) training and syncing stop; before the first hour: overnight"));
  hours->addWidget(fromHour_);
  hours->addWidget(new QLabel(tr("to"), page));
  hours->addWidget(toHour_);
  hours->addStretch();
  form->addRow(tr("Schedule (hours):"), hours);
  bandwidth_ = new QSpinBox(page);
  bandwidth_->setRange(0, 10'000'000);
  bandwidth_->setSuffix(tr(" kbit/s"));
  bandwidth_->setSpecialValueText(tr("no cap"));
  bandwidth_->setToolTip(tr("Upload and download cap; 0: no cap"));
  form->addRow(tr("Bandwidth cap:"), bandwidth_);
  dp_ = new QCheckBox(tr("Take part only in rounds with central differential privacy"), page);
  dp_->setToolTip(tr("The coordinator clips each update and adds noise to the mean; a site cannot add it alone"));
  dpNote_ = new QLabel(page);
  dpNote_->setWordWrap(true);
  form->addRow(tr("Privacy:"), dp_);
  form->addRow(QString(), dpNote_);
  auto* approve = new QHBoxLayout;
  approveRound_ = new QSpinBox(page);
  approveRound_->setRange(1, 1'000'000);
  auto* approveButton =
      button(this, page, tr("&Approve round"), tr("Allow this round's training and upload (with 'Approve each round')"),
             &FederationPanel::approveRound);
  approve->addWidget(approveRound_);
  approve->addWidget(approveButton);
  approve->addStretch();
  form->addRow(tr("Approval:"), approve);
  return page;
}

QWidget* FederationPanel::buildStatusTab() {
  auto* page = new QWidget(this);
  auto* v = new QVBoxLayout(page);
  auto* form = new QFormLayout;
  round_ = new QLabel(page);
  sync_ = new QLabel(page);
  globalVersion_ = new QLabel(page);
  form->addRow(tr("Current round:"), round_);
  form->addRow(tr("Last sync:"), sync_);
  form->addRow(tr("Global model version:"), globalVersion_);
  loop_ = new QLabel(tr("not running in this window"), page);
  loop_->setWordWrap(true);
  approvePending_ = button(this, page, tr("Appro&ve this round"),
                           tr("Allow the round the site waits on to train and upload (logged)"),
                           &FederationPanel::approvePendingRound);
  approvePending_->setVisible(false);
  auto* live = new QHBoxLayout;
  live->addWidget(loop_, 1);
  live->addWidget(approvePending_);
  form->addRow(tr("This site:"), live);
  lastGate_ = new QLabel(page);
  lastGate_->setWordWrap(true);
  lastGate_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  form->addRow(tr("Last new version:"), lastGate_);
  v->addLayout(form);
  chart_ = new QChart;
  chart_->setTitle(tr("Bytes per round"));
  chart_->legend()->setVisible(true);
  auto* view = new QChartView(chart_, page);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(260);
  v->addWidget(view, 1);
  return page;
}

QWidget* FederationPanel::buildVersionsTab() {
  auto* page = new QWidget(this);
  auto* v = new QVBoxLayout(page);
  versions_ = new QTableWidget(0, 6, page);
  versions_->setHorizontalHeaderLabels(
      {tr("Version"), tr("Origin"), tr("Date"), tr("Gate"), tr("CE-F1 (held back)"), tr("Drafting")});
  versions_->setSelectionBehavior(QAbstractItemView::SelectRows);
  versions_->setSelectionMode(QAbstractItemView::SingleSelection);
  versions_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  versions_->horizontalHeader()->setStretchLastSection(true);
  v->addWidget(versions_, 1);
  gate_ = new QLabel(page);
  gate_->setWordWrap(true);
  gate_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  v->addWidget(gate_);
  connect(versions_, &QTableWidget::itemSelectionChanged, this, [this] {
    const int row = versions_->currentRow();
    gate_->setText(row < 0 ? QString() : versions_->item(row, 3)->toolTip());
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(button(this, page, tr("&Use for drafts"),
                            tr("Make the selected version the one drafts use (logged)"),
                            &FederationPanel::switchToSelectedVersion));
  buttons->addWidget(button(this, page, tr("&Roll back"),
                            tr("Return to the version used before the current one (logged)"),
                            &FederationPanel::rollBack));
  buttons->addStretch();
  v->addLayout(buttons);
  return page;
}

void FederationPanel::loadSettings() {
  app::FederationSettingsStore store(site_, user_.id);
  const app::FederationSettings s = store.load();
  coordinator_->setText(q(s.coordinator));
  participation_->setCurrentIndex(participation_->findData(int(s.participation)));
  fromHour_->setValue(s.windowStart);
  toHour_->setValue(s.windowEnd);
  bandwidth_->setValue(s.bandwidthKbps);
  dp_->setChecked(s.requireDp);
  joined_->setText(s.joined ? tr("joined") : tr("not joined"));
  const app::CertificateSummary c = store.certificate();
  certificate_->setText(c.present()
                            ? tr("site %1, valid until %2")
                                  .arg(q(c.subject), QDateTime::fromSecsSinceEpoch(c.notAfter).toString(Qt::ISODate))
                            : tr("no certificates imported"));
}

void FederationPanel::refreshStatus() {
  app::FederationSettingsStore store(site_, user_.id);
  const app::CoordinatorSnapshot s = store.lastSnapshot();
  if (s.at.empty()) {
    round_->setText(tr("unknown (no answer from the coordinator yet)"));
    sync_->setText(tr("never"));
    globalVersion_->setText(tr("unknown"));
  } else {
    round_->setText(tr("round %1 (%2)").arg(s.round).arg(q(s.phase)));
    sync_->setText(QDateTime::fromString(q(s.at), Qt::ISODateWithMs).toLocalTime().toString(Qt::ISODate));
    globalVersion_->setText(QString::number(s.globalVersion));
  }
  dpNote_->setText(s.centralDp ? tr("The coordinator runs central differential privacy.")
                               : tr("The coordinator did not say it runs central differential privacy."));
  refreshChart();
  refreshVersions();
  refreshLive();
}

void FederationPanel::refreshChart() {
  chart_->removeAllSeries();
  if (!roundAxis_) {
    roundAxis_ = new QBarCategoryAxis;
    roundAxis_->setTitleText(tr("Round"));
    bytesAxis_ = new QValueAxis;
    bytesAxis_->setTitleText(tr("KiB"));
    chart_->addAxis(roundAxis_, Qt::AlignBottom);
    chart_->addAxis(bytesAxis_, Qt::AlignLeft);
  }
  const auto rounds = app::FederationSettingsStore(site_, user_.id).rounds();
  auto* sent = new QBarSet(tr("Sent"));
  auto* received = new QBarSet(tr("Received"));
  QStringList categories;
  double most = 1;
  for (const auto& r : rounds) {
    categories << QString::number(r.round);
    *sent << double(r.bytesUp) / 1024.0;
    *received << double(r.bytesDown) / 1024.0;
    most = std::max({most, double(r.bytesUp) / 1024.0, double(r.bytesDown) / 1024.0});
  }
  auto* series = new QBarSeries;
  series->append(sent);
  series->append(received);
  chart_->addSeries(series);
  roundAxis_->clear();
  roundAxis_->append(categories);
  bytesAxis_->setRange(0, most * 1.1);
  series->attachAxis(roundAxis_);
  series->attachAxis(bytesAxis_);
}

void FederationPanel::refreshVersions() {
  app::ModelVersions versions(site_, user_.id);
  const auto all = versions.list();
  const auto active = versions.active();
  versions_->setRowCount(int(all.size()));
  for (int row = 0; row < int(all.size()); ++row) {
    const auto& v = all[size_t(row)];
    const QString gate = v.gate == app::GateState::Accepted  ? tr("accepted")
                         : v.gate == app::GateState::Refused ? tr("refused")
                                                             : tr("not checked");
    const QString cells[6] = {
        QStringLiteral("v%1").arg(v.id),
        q(v.originDetail),
        q(v.createdAt).left(16).replace('T', ' '),
        gate,
        v.ceF1 ? tr("%1 on %2 reports").arg(*v.ceF1, 0, 'f', 3).arg(v.scoredReports) : tr("not scored"),
        active && active->id == v.id ? tr("active") : QString()};
    for (int c = 0; c < 6; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      item->setData(Qt::UserRole, qint64(v.id));
      if (c == 3) item->setToolTip(q(v.gateReason));
      versions_->setItem(row, c, item);
    }
  }
}

void FederationPanel::showResult(const QString& text, bool ok) {
  result_->setText(text);
  result_->setStyleSheet(ok ? QString() : QStringLiteral("color: #b00020;"));
}

bool FederationPanel::change(const std::function<void()>& action, const QString& done) {
  try {
    action();
  } catch (const std::exception& e) {
    showResult(q(e.what()), false);
    return false;
  }
  showResult(done, true);
  return true;
}

bool FederationPanel::importCertificates() {
  return change(
      [this] {
        app::FederationSettingsStore(site_, user_.id).importCertificates(ca_->text(), cert_->text(), key_->text());
        loadSettings();
      },
      tr("Certificates checked and imported."));
}

bool FederationPanel::saveSettings() {
  return change(
      [this] {
        app::FederationSettingsStore store(site_, user_.id);
        app::FederationSettings s = store.load();
        s.coordinator = coordinator_->text().trimmed().toStdString();
        s.participation = app::Participation(participation_->currentData().toInt());
        s.windowStart = fromHour_->value();
        s.windowEnd = toHour_->value();
        s.bandwidthKbps = bandwidth_->value();
        s.requireDp = dp_->isChecked();
        store.save(s);
      },
      tr("Federation settings saved."));
}

void FederationPanel::testConnection() {
  if (testFuture_.isRunning() || !saveSettings()) return;
  test_->setEnabled(false);
  showResult(tr("Asking the coordinator…"), true);
  QPointer<FederationPanel> self(this);
  app::Site* site = &site_;
  const int64_t userId = user_.id;
  // The call blocks up to its timeout: on a worker thread, with the answer brought back to the GUI thread.
  testFuture_ = QtConcurrent::run([self, site, userId] {
    const app::ConnectionTest t = app::FederationSettingsStore(*site, userId).testConnection();
    QMetaObject::invokeMethod(qApp, [self, t] {
      if (!self) return;
      self->test_->setEnabled(true);
      self->showResult(q(t.message), t.ok);
      self->refreshStatus();
      emit self->testFinished(t.ok);
    });
  });
}

bool FederationPanel::join() {
  return saveSettings() && change(
                               [this] {
                                 app::FederationSettingsStore(site_, user_.id).join();
                                 loadSettings();
                                 if (federation_) federation_->refresh();
                               },
                               tr("Joined the federation."));
}

bool FederationPanel::leave() {
  return change(
      [this] {
        app::FederationSettingsStore(site_, user_.id).leave();
        loadSettings();
        if (federation_) federation_->refresh();
      },
      tr("Left the federation: the site takes part in no further round."));
}

void FederationPanel::setFederation(app::SiteFederation* federation) {
  if (federation_) disconnect(federation_, nullptr, this, nullptr);
  federation_ = federation;
  if (federation) {
    // Queued: the loop reports from its own threads.
    connect(federation, &app::SiteFederation::stateChanged, this, &FederationPanel::refreshLive, Qt::QueuedConnection);
    connect(federation, &app::SiteFederation::versionGated, this, &FederationPanel::refreshStatus, Qt::QueuedConnection);
  }
  refreshLive();
}

void FederationPanel::refreshLive() {
  if (!federation_) return;
  const app::SiteFederationState s = federation_->state();
  using Phase = app::SiteFederationState::Phase;
  QString text = tr("%1, round %2").arg(phaseText(s.phase)).arg(s.round);
  if (s.phase == Phase::Training && s.steps > 0) text += tr(", step %1 of %2").arg(s.step).arg(s.steps);
  if (!s.detail.empty()) text += tr(": %1").arg(q(s.detail));
  loop_->setText(text);
  pendingRound_ = s.phase == Phase::WaitingForApproval ? s.round : 0;
  approvePending_->setVisible(pendingRound_ > 0);
  approvePending_->setText(tr("Appro&ve round %1").arg(pendingRound_));
  lastGate_->setText(s.gateOutcome.empty() ? tr("none yet") : q(s.gateOutcome));
  if (s.globalVersion > 0) globalVersion_->setText(QString::number(s.globalVersion));
}

bool FederationPanel::approvePendingRound() {
  if (pendingRound_ == 0) {
    showResult(tr("No round waits for approval."), false);
    return false;
  }
  const uint64_t round = pendingRound_;
  return change(
      [this, round] {
        app::FederationSettingsStore(site_, user_.id).approveRound(round);
        approvePending_->setVisible(false);
        refreshChart();
      },
      tr("Round %1 approved.").arg(round));
}

bool FederationPanel::approveRound() {
  const int round = approveRound_->value();
  return change(
      [this, round] {
        app::FederationSettingsStore(site_, user_.id).approveRound(uint64_t(round));
        refreshChart();
      },
      tr("Round %1 approved.").arg(round));
}

bool FederationPanel::switchToSelectedVersion() {
  const int row = versions_->currentRow();
  if (row < 0) {
    showResult(tr("Select a model version first."), false);
    return false;
  }
  const int64_t id = versions_->item(row, 0)->data(Qt::UserRole).toLongLong();
  return change(
      [this, id] {
        app::ModelVersions(site_, user_.id).activate(id, "chosen by the administrator");
        refreshVersions();
      },
      tr("Drafts now use v%1.").arg(id));
}

bool FederationPanel::rollBack() {
  QString done;
  const bool ok = change(
      [this, &done] {
        const app::ModelVersion v = app::ModelVersions(site_, user_.id).rollBack();
        done = tr("Rolled back: drafts now use %1.").arg(q(v.label()));
        refreshVersions();
      },
      QString());
  if (ok) showResult(done, true);
  return ok;
}

}  // namespace fedmrg::ui
