#include "ui/template_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/site/site_store.h"
#include "ui/finding_text.h"

namespace fedmrg::ui {
namespace {

QString listName(const app::ReportTemplate& t) {
  const QString name = QString::fromStdString(t.name);
  return t.builtIn() ? QObject::tr("%1 (built-in)").arg(name) : name;
}

// "No Finding: positive, Pleural Effusion: negative", or "none".
QString chipsText(const std::string& labels) {
  const auto states = app::decodeLabels(labels);
  QStringList set;
  for (int i = 0; i < app::kFindingCount; ++i)
    if (states[size_t(i)] != app::FindingState::Blank) set << findingText(i, states[size_t(i)]);
  return set.isEmpty() ? QObject::tr("none") : set.join(QStringLiteral(", "));
}

}  // namespace

TemplateChooser::TemplateChooser(std::vector<app::ReportTemplate> templates, QWidget* parent)
    : QDialog(parent), all_(std::move(templates)) {
  setWindowTitle(tr("Insert a template"));
  auto* layout = new QVBoxLayout(this);
  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText(tr("Type to filter by name; Enter inserts"));
  list_ = new QListWidget(this);
  preview_ = new QLabel(this);
  preview_->setWordWrap(true);
  preview_->setTextFormat(Qt::PlainText);
  layout->addWidget(filter_);
  layout->addWidget(list_, 1);
  layout->addWidget(preview_);
  // Typing goes to the filter while Up / Down move in the list and Enter takes the current row.
  filter_->installEventFilter(this);
  connect(filter_, &QLineEdit::textChanged, this, &TemplateChooser::showMatches);
  connect(filter_, &QLineEdit::returnPressed, this, [this] {
    if (list_->currentRow() >= 0) accept();
  });
  connect(list_, &QListWidget::itemActivated, this, [this] { accept(); });
  connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
    preview_->setText(
        row < 0 ? tr("No template matches.")
                : QString::fromStdString(shown_[size_t(row)].findings + "\n" + shown_[size_t(row)].impression));
  });
  showMatches();
  resize(520, 420);
}

void TemplateChooser::showMatches() {
  shown_ = app::filterTemplates(all_, filter_->text().toStdString());
  list_->clear();
  for (const auto& t : shown_) list_->addItem(listName(t));
  list_->setCurrentRow(shown_.empty() ? -1 : 0);
}

std::optional<app::ReportTemplate> TemplateChooser::chosen() const {
  const int row = list_->currentRow();
  if (result() != Accepted || row < 0) return std::nullopt;
  return shown_[size_t(row)];
}

bool TemplateChooser::eventFilter(QObject* watched, QEvent* event) {
  if (watched == filter_ && event->type() == QEvent::KeyPress) {
    const int key = static_cast<QKeyEvent*>(event)->key();
    if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp || key == Qt::Key_PageDown) {
      QCoreApplication::sendEvent(list_, event);
      return true;
    }
  }
  return QDialog::eventFilter(watched, event);
}

TemplateDialog::TemplateDialog(app::ReportTemplates& templates, app::ReportTemplate current, QWidget* parent)
    : QDialog(parent), templates_(templates), current_(std::move(current)) {
  setWindowTitle(tr("Report templates"));
  auto* layout = new QHBoxLayout(this);
  list_ = new QListWidget(this);
  layout->addWidget(list_, 1);
  auto* right = new QVBoxLayout;
  auto* form = new QFormLayout;
  name_ = new QLineEdit(this);
  findings_ = new QPlainTextEdit(this);
  impression_ = new QPlainTextEdit(this);
  chips_ = new QLabel(this);
  chips_->setWordWrap(true);
  form->addRow(tr("Name"), name_);
  form->addRow(tr("FINDINGS"), findings_);
  form->addRow(tr("IMPRESSION"), impression_);
  form->addRow(tr("Chips"), chips_);
  right->addLayout(form);
  error_ = new QLabel(this);
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("QLabel { color: #c03030; }"));
  right->addWidget(error_);
  auto* row = new QHBoxLayout;
  auto* take = new QPushButton(tr("Take from the open report"), this);
  take->setToolTip(tr("Fills the text and the chips from the report being edited"));
  auto* noChips = new QPushButton(tr("No chips"), this);
  noChips->setToolTip(tr("Leave every chip blank in the template"));
  row->addWidget(take);
  row->addWidget(noChips);
  right->addLayout(row);
  auto* buttons = new QDialogButtonBox(this);
  auto* save = buttons->addButton(tr("Save"), QDialogButtonBox::ActionRole);
  save->setToolTip(tr("Saves the selected template; a new name renames it"));
  auto* add = buttons->addButton(tr("Add as new"), QDialogButtonBox::ActionRole);
  delete_ = buttons->addButton(tr("Delete"), QDialogButtonBox::ActionRole);
  add->setToolTip(tr("Save the fields as a new template"));
  delete_->setToolTip(tr("Delete the selected template"));
  buttons->addButton(QDialogButtonBox::Close);
  right->addWidget(buttons);
  layout->addLayout(right, 2);

  connect(list_, &QListWidget::currentRowChanged, this, [this] { showSelected(); });
  connect(take, &QPushButton::clicked, this, [this] {
    findings_->setPlainText(QString::fromStdString(current_.findings));
    impression_->setPlainText(QString::fromStdString(current_.impression));
    labels_ = current_.labels;
    chips_->setText(chipsText(labels_));
  });
  connect(noChips, &QPushButton::clicked, this, [this] {
    labels_.clear();
    chips_->setText(chipsText(labels_));
  });
  connect(save, &QPushButton::clicked, this, &TemplateDialog::saveTemplate);
  connect(add, &QPushButton::clicked, this, &TemplateDialog::addAsNew);
  connect(delete_, &QPushButton::clicked, this, &TemplateDialog::deleteTemplate);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  reload(0);
  resize(820, 480);
}

void TemplateDialog::reload(int64_t select) {
  items_ = templates_.list();
  list_->blockSignals(true);
  list_->clear();
  int row = 0;
  for (size_t i = 0; i < items_.size(); ++i) {
    list_->addItem(listName(items_[i]));
    if (items_[i].id == select) row = int(i);
  }
  list_->setCurrentRow(items_.empty() ? -1 : row);
  list_->blockSignals(false);
  showSelected();
}

void TemplateDialog::showSelected() {
  const int row = list_->currentRow();
  const app::ReportTemplate t = row >= 0 ? items_[size_t(row)] : app::ReportTemplate{};
  name_->setText(QString::fromStdString(t.name));
  findings_->setPlainText(QString::fromStdString(t.findings));
  impression_->setPlainText(QString::fromStdString(t.impression));
  labels_ = t.labels;
  chips_->setText(chipsText(labels_));
  delete_->setEnabled(row >= 0 && !t.builtIn());
  error_->clear();
}

app::ReportTemplate TemplateDialog::fields() const {
  const int row = list_->currentRow();
  return {row >= 0 ? items_[size_t(row)].id : 0, name_->text().toStdString(), findings_->toPlainText().toStdString(),
          impression_->toPlainText().toStdString(), labels_};
}

bool TemplateDialog::run(const std::function<int64_t()>& action) {
  try {
    reload(action());
    return true;
  } catch (const app::StoreError& e) {
    error_->setText(QString::fromUtf8(e.what()));
    return false;
  }
}

bool TemplateDialog::saveTemplate() {
  app::ReportTemplate t = fields();
  if (t.builtIn()) return run([&] { return templates_.add(t); });  // the user's own normal macro from now on
  return run([&] {
    templates_.update(t);
    return t.id;
  });
}

bool TemplateDialog::addAsNew() {
  app::ReportTemplate t = fields();
  return run([&] { return templates_.add(t); });
}

bool TemplateDialog::deleteTemplate() {
  const app::ReportTemplate t = fields();
  if (t.builtIn()) return false;
  return run([&] {
    templates_.remove(t.id);
    return int64_t(0);
  });
}

}  // namespace fedmrg::ui
