#include "ui/pacs_settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "app/site/pacs_client.h"
#include "app/site/site.h"
#include "ui/role_hints.h"

namespace fedmrg::ui {

PacsSettingsDialog::PacsSettingsDialog(app::Site& site, const app::User& user, QWidget* parent)
    : QDialog(parent), site_(site), user_(user) {
  setWindowTitle(tr("PACS settings"));
  nodes_ = new QListWidget(this);
  name_ = new QLineEdit(this);
  aeTitle_ = new QLineEdit(this);
  aeTitle_->setMaxLength(16);
  host_ = new QLineEdit(this);
  port_ = new QSpinBox(this);
  port_->setRange(1, 65535);
  port_->setValue(104);
  method_ = new QComboBox(this);
  method_->addItem(tr("C-GET (the images come back on the query's connection)"), int(app::RetrieveMethod::Get));
  method_->addItem(tr("C-MOVE (the PACS sends them to this workstation's port)"), int(app::RetrieveMethod::Move));
  isDefault_ = new QCheckBox(tr("Default node: signed reports are sent here"), this);
  isDefault_->setToolTip(tr("The node that receives the signed reports; one node at most"));
  newNode_ = new QPushButton(tr("&New"), this);
  saveNode_ = new QPushButton(tr("&Save node"), this);
  remove_ = new QPushButton(tr("&Remove"), this);
  test_ = new QPushButton(tr("&Test connection"), this);
  result_ = new QLabel(this);
  result_->setWordWrap(true);
  localAe_ = new QLineEdit(this);
  localAe_->setMaxLength(16);
  localPort_ = new QSpinBox(this);
  localPort_->setRange(1, 65535);
  autoSend_ = new QCheckBox(tr("Send each signed final report and addendum to the default node as DICOM SR"), this);
  autoSend_->setToolTip(tr("Unticked, reports are sent only with PACS > Send report to PACS"));
  saveLocal_ = new QPushButton(tr("Save &workstation"), this);
  // Their keys are their mnemonics (Alt and the underlined letter).
  newNode_->setToolTip(tr("Empty the fields for a new PACS node (Alt+N)"));
  saveNode_->setToolTip(tr("Keep the node's fields (Alt+S)"));
  remove_->setToolTip(tr("Remove the selected node (Alt+R)"));
  test_->setToolTip(tr("Send a C-ECHO to the node and say whether it answered (Alt+T)"));
  saveLocal_->setToolTip(tr("Keep this workstation's own AE title and port (Alt+W)"));

  auto* nodeForm = new QFormLayout;
  nodeForm->addRow(tr("Name"), name_);
  nodeForm->addRow(tr("AE title"), aeTitle_);
  nodeForm->addRow(tr("Host"), host_);
  nodeForm->addRow(tr("Port"), port_);
  nodeForm->addRow(tr("Retrieve by"), method_);
  nodeForm->addRow(QString(), isDefault_);
  auto* nodeButtons = new QHBoxLayout;
  for (auto* b : {newNode_, saveNode_, remove_, test_}) nodeButtons->addWidget(b);
  auto* nodeSide = new QVBoxLayout;
  nodeSide->addLayout(nodeForm);
  nodeSide->addLayout(nodeButtons);
  nodeSide->addWidget(result_);
  auto* nodesRow = new QHBoxLayout;
  nodesRow->addWidget(nodes_, 1);
  nodesRow->addLayout(nodeSide, 2);
  auto* nodesBox = new QGroupBox(tr("PACS nodes"), this);
  nodesBox->setLayout(nodesRow);

  auto* localForm = new QFormLayout;
  localForm->addRow(tr("AE title"), localAe_);
  localForm->addRow(tr("Storage port (C-MOVE)"), localPort_);
  localForm->addRow(QString(), autoSend_);
  localForm->addRow(QString(), saveLocal_);
  auto* localBox = new QGroupBox(tr("This workstation"), this);
  localBox->setLayout(localForm);

  auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(nodesBox);
  layout->addWidget(localBox);
  layout->addWidget(close);

  connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(newNode_, &QPushButton::clicked, this, &PacsSettingsDialog::newNode);
  connect(saveNode_, &QPushButton::clicked, this, &PacsSettingsDialog::saveNode);
  connect(remove_, &QPushButton::clicked, this, &PacsSettingsDialog::removeNode);
  connect(test_, &QPushButton::clicked, this, &PacsSettingsDialog::testConnection);
  connect(saveLocal_, &QPushButton::clicked, this, &PacsSettingsDialog::saveWorkstation);
  connect(nodes_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) showNode(nodes_->item(row)->data(Qt::UserRole).toLongLong());
  });

  app::PacsNodeStore store(site_, user_.id);
  const app::LocalAe local = store.localAe();
  localAe_->setText(QString::fromStdString(local.aeTitle));
  localPort_->setValue(local.port);
  autoSend_->setChecked(store.autoSendReports());
  // Everyone may look and test; only an administrator changes (the store refuses others too).
  const QString note = adminRoleNote(user_, tr("Changing the PACS settings"));
  for (QWidget* w : std::initializer_list<QWidget*>{newNode_, saveNode_, remove_, saveLocal_}) disableWithNote(w, note);
  if (!note.isEmpty()) showResult(note, false);
  reload();
}

PacsSettingsDialog::~PacsSettingsDialog() { test_future_.waitForFinished(); }

void PacsSettingsDialog::reload(int64_t select) {
  nodes_->blockSignals(true);
  nodes_->clear();
  int row = 0;
  for (const auto& n : app::PacsNodeStore(site_, user_.id).nodes()) {
    auto* item = new QListWidgetItem(QString::fromStdString(n.name) + (n.isDefault ? tr(" (default)") : QString()));
    item->setData(Qt::UserRole, QVariant::fromValue(qint64(n.id)));
    nodes_->addItem(item);
    if (n.id == select || (select == 0 && nodes_->count() == 1)) row = nodes_->count() - 1;
  }
  nodes_->blockSignals(false);
  if (nodes_->count() > 0) {
    nodes_->setCurrentRow(row);
    showNode(nodes_->item(row)->data(Qt::UserRole).toLongLong());
  } else {
    newNode();
  }
}

void PacsSettingsDialog::showNode(int64_t id) {
  const auto n = app::PacsNodeStore(site_, user_.id).node(id);
  if (!n) return;
  editing_ = id;
  name_->setText(QString::fromStdString(n->name));
  aeTitle_->setText(QString::fromStdString(n->aeTitle));
  host_->setText(QString::fromStdString(n->host));
  port_->setValue(n->port);
  method_->setCurrentIndex(method_->findData(int(n->retrieve)));
  isDefault_->setChecked(n->isDefault);
}

void PacsSettingsDialog::newNode() {
  editing_ = 0;
  nodes_->clearSelection();
  name_->clear();
  aeTitle_->clear();
  host_->clear();
  port_->setValue(104);
  method_->setCurrentIndex(0);
  isDefault_->setChecked(nodes_->count() == 0);
  name_->setFocus();
}

app::PacsNode PacsSettingsDialog::nodeFromFields() const {
  app::PacsNode n;
  n.id = editing_;
  n.name = name_->text().trimmed().toStdString();
  n.aeTitle = aeTitle_->text().trimmed().toStdString();
  n.host = host_->text().trimmed().toStdString();
  n.port = port_->value();
  n.retrieve = static_cast<app::RetrieveMethod>(method_->currentData().toInt());
  n.isDefault = isDefault_->isChecked();
  return n;
}

void PacsSettingsDialog::showResult(const QString& text, bool ok) {
  result_->setText(text);
  result_->setStyleSheet(ok ? QStringLiteral("color: #1b5e20;") : QStringLiteral("color: #b00020;"));
}

bool PacsSettingsDialog::change(const std::function<void()>& action, const QString& done) {
  try {
    action();
  } catch (const std::exception& e) {
    showResult(QString::fromUtf8(e.what()), false);
    return false;
  }
  if (!done.isEmpty()) showResult(done, true);
  emit settingsChanged();
  return true;
}

bool PacsSettingsDialog::saveNode() {
  return change([this] { reload(app::PacsNodeStore(site_, user_.id).save(nodeFromFields())); }, tr("Saved."));
}

void PacsSettingsDialog::removeNode() {
  if (editing_ == 0) return;
  change(
      [this] {
        app::PacsNodeStore(site_, user_.id).remove(editing_);
        reload();
      },
      tr("Removed."));
}

bool PacsSettingsDialog::saveWorkstation() {
  return change(
      [this] {
        app::PacsNodeStore store(site_, user_.id);
        store.setLocalAe(app::LocalAe{localAe_->text().trimmed().toStdString(), localPort_->value()});
        store.setAutoSendReports(autoSend_->isChecked());
      },
      tr("Workstation saved."));
}

void PacsSettingsDialog::testConnection() {
  // The fields as they stand, saved or not: the test is how an administrator checks them first.
  const app::PacsNode node = nodeFromFields();
  if (const std::string p = app::pacsNodeProblem(node); !p.empty()) return showResult(QString::fromStdString(p), false);
  const app::LocalAe local{localAe_->text().trimmed().toStdString(), localPort_->value()};
  test_->setEnabled(false);
  showResult(tr("Testing %1…").arg(QString::fromStdString(node.name)), true);
  QPointer<PacsSettingsDialog> self(this);
  test_future_ = QtConcurrent::run([self, node, local] {
    QElapsedTimer t;
    t.start();
    QString text;
    bool ok = false;
    try {
      app::PacsClient(local, node).echo();
      ok = true;
      text = tr("Connection OK: %1 (%2) answered the C-ECHO in %3 ms.")
                 .arg(QString::fromStdString(node.name), QString::fromStdString(node.aeTitle))
                 .arg(t.elapsed());
    } catch (const std::exception& e) {
      text = tr("Connection failed: %1").arg(QString::fromUtf8(e.what()));
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, text, ok] {
          if (!self) return;
          self->test_->setEnabled(true);
          self->showResult(text, ok);
          emit self->testFinished(ok);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace fedmrg::ui
