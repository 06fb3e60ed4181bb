#include "ui/audit_log_dialog.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "app/site/site.h"
#include "app/site/user_directory.h"
#include "ui/role_hints.h"

namespace fedmrg::ui {
namespace {

enum Scope { ThisStudy, AllStudies };

// A day field whose lowest date reads "any": the filter leaves that end of the range open.
QDateEdit* dayField(QWidget* parent) {
  auto* field = new QDateEdit(parent);
  field->setCalendarPopup(true);
  field->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
  field->setMinimumDate(QDate(2000, 1, 1));
  field->setSpecialValueText(QDialog::tr("any"));
  field->setDate(field->minimumDate());
  return field;
}

std::optional<QDate> dayOf(const QDateEdit* field) {
  if (field->date() == field->minimumDate()) return std::nullopt;
  return field->date();
}

// Stored times are UTC; the user reads local time.
QString localTime(const std::string& storedUtc) {
  const QDateTime at = QDateTime::fromString(QString::fromStdString(storedUtc), Qt::ISODateWithMs);
  return at.isValid() ? at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                      : QString::fromStdString(storedUtc);
}

}  // namespace

AuditLogDialog::AuditLogDialog(app::Site& site, int64_t viewerId, int64_t studyId, QWidget* parent)
    : QDialog(parent), trail_(site, viewerId), studyId_(studyId) {
  setWindowTitle(tr("Audit log"));
  auto* layout = new QVBoxLayout(this);
  auto* filters = new QFormLayout;
  scope = new QComboBox(this);
  scope->addItem(tr("This study"), int(ThisStudy));
  scope->addItem(tr("All studies"), int(AllStudies));
  // Radiologists read the log of the study they have open; administrators may read everything.
  scope->setEnabled(trail_.maySeeAllStudies());
  if (const auto viewer = app::UserDirectory(site).find(viewerId))
    scope->setToolTip(adminRoleNote(*viewer, tr("Reading the audit entries of all studies")));
  if (studyId_ <= 0 && trail_.maySeeAllStudies()) scope->setCurrentIndex(AllStudies);
  user = new QComboBox(this);
  user->addItem(tr("anyone"));
  user->addItem(tr("system"), qint64(app::kSystemUser));
  for (const auto& u : app::UserDirectory(site).users())
    user->addItem(
        QStringLiteral("%1 (%2)").arg(QString::fromStdString(u.username), QString::fromStdString(u.displayName)),
        qint64(u.id));
  action = new QComboBox(this);
  action->addItem(tr("any action"));
  for (const auto& a : app::auditActions(site)) action->addItem(QString::fromStdString(a), QString::fromStdString(a));
  from = dayField(this);
  to = dayField(this);
  auto* days = new QHBoxLayout;
  days->addWidget(from);
  days->addWidget(new QLabel(tr("to"), this));
  days->addWidget(to);
  days->addStretch(1);
  text = new QLineEdit(this);
  text->setPlaceholderText(tr("patient name or ID, accession, detail"));
  text->setClearButtonEnabled(true);
  filters->addRow(tr("Studies"), scope);
  filters->addRow(tr("User"), user);
  filters->addRow(tr("Action"), action);
  filters->addRow(tr("From"), days);
  filters->addRow(tr("Text"), text);
  layout->addLayout(filters);

  table = new QTableWidget(0, ColumnCount, this);
  table->setHorizontalHeaderLabels({tr("Time"), tr("User"), tr("Action"), tr("Patient"), tr("Study"), tr("Detail")});
  table->horizontalHeader()->setStretchLastSection(true);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->verticalHeader()->hide();
  layout->addWidget(table, 1);
  message_ = new QLabel(this);
  message_->setTextFormat(Qt::PlainText);
  message_->setWordWrap(true);
  layout->addWidget(message_);

  auto* buttons = new QHBoxLayout;
  exportButton = new QPushButton(tr("Export CSV…"), this);
  if (const auto viewer = app::UserDirectory(site).find(viewerId))
    disableWithNote(exportButton, adminRoleNote(*viewer, tr("Exporting the audit log")));
  exportButton->setEnabled(trail_.mayExport());
  auto* close = new QPushButton(tr("Close"), this);
  if (trail_.mayExport()) exportButton->setToolTip(tr("Save the entries shown as a CSV file"));
  close->setToolTip(tr("Close the audit log (Esc)"));
  buttons->addWidget(exportButton);
  buttons->addStretch();
  buttons->addWidget(close);
  layout->addLayout(buttons);

  connect(scope, &QComboBox::currentIndexChanged, this, &AuditLogDialog::reload);
  connect(user, &QComboBox::currentIndexChanged, this, &AuditLogDialog::reload);
  connect(action, &QComboBox::currentIndexChanged, this, &AuditLogDialog::reload);
  connect(from, &QDateEdit::dateChanged, this, &AuditLogDialog::reload);
  connect(to, &QDateEdit::dateChanged, this, &AuditLogDialog::reload);
  connect(text, &QLineEdit::textChanged, this, &AuditLogDialog::reload);
  connect(exportButton, &QPushButton::clicked, this, [this] { exportCsv(); });
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  resize(1100, 600);
  reload();
}

app::AuditQuery AuditLogDialog::query() const {
  app::AuditQuery q;
  q.studyId = scope->currentData().toInt() == AllStudies ? 0 : studyId_;
  if (user->currentData().isValid()) q.userId = user->currentData().toLongLong();
  q.action = action->currentData().toString().toStdString();
  q.from = dayOf(from);
  q.to = dayOf(to);
  q.text = text->text().trimmed().toStdString();
  return q;
}

void AuditLogDialog::reload() {
  table->setRowCount(0);
  const app::AuditQuery q = query();
  if (q.studyId <= 0 && !trail_.maySeeAllStudies()) {
    message_->setText(tr("Open a study to read its audit log."));
    return;
  }
  std::vector<app::AuditEntry> entries;
  try {
    entries = trail_.entries(q);
  } catch (const std::exception& e) {
    message_->setText(QString::fromUtf8(e.what()));
    return;
  }
  table->setRowCount(int(entries.size()));
  for (int r = 0; r < int(entries.size()); ++r) {
    const auto& e = entries[size_t(r)];
    const QStringList cells{localTime(e.at),
                            QString::fromStdString(e.user),
                            QString::fromStdString(e.action),
                            QString::fromStdString(e.patient),
                            QString::fromStdString(e.study),
                            QString::fromStdString(e.detail)};
    for (int c = 0; c < ColumnCount; ++c) table->setItem(r, c, new QTableWidgetItem(cells[c]));
  }
  table->resizeColumnsToContents();
  message_->setText(int(entries.size()) == q.limit
                        ? tr("The newest %1 entries; narrow the filter to see older ones.").arg(q.limit)
                        : tr("%n entries", nullptr, int(entries.size())));
}

bool AuditLogDialog::exportCsv(const QString& file) {
  QString path = file;
  if (path.isEmpty())
    path = QFileDialog::getSaveFileName(
        this, tr("Export the audit log"),
        QDir::home().filePath(QStringLiteral("audit-log-%1.csv").arg(QDate::currentDate().toString(Qt::ISODate))),
        tr("CSV files (*.csv)"));
  if (path.isEmpty()) return false;
  try {
    const int written = trail_.exportCsv(query(), path);
    message_->setText(tr("Exported %n entries to %1.", nullptr, written).arg(QDir::toNativeSeparators(path)));
    return true;
  } catch (const std::exception& e) {
    message_->setText(QString::fromUtf8(e.what()));
    return false;
  }
}

}  // namespace fedmrg::ui
