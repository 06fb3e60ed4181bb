#include "app/site/worklist_model.h"

#include <QCoreApplication>

#include "app/site/prior_studies.h"
#include "app/site/site.h"

namespace fedmrg::app {

WorklistModel::WorklistModel(Site* site, QObject* parent) : QAbstractTableModel(parent), site_(site) { reload(); }

void WorklistModel::setSite(Site* site) {
  site_ = site;
  reload();
}

void WorklistModel::reload() {
  beginResetModel();
  rows_ = site_ ? listStudies(*site_) : std::vector<StudySummary>{};
  priors_ = priorCounts(rows_);
  endResetModel();
}

int WorklistModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int WorklistModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant WorklistModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size())) return {};
  const StudySummary& s = rows_[size_t(index.row())];
  if (role == StudyIdRole) return QVariant::fromValue<qlonglong>(s.id);
  if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
  switch (index.column()) {
    case Patient: return QString::fromStdString(s.patientName).replace('^', ' ').trimmed();
    case PatientId: return QString::fromStdString(s.patientId);
    case Date:
      return s.studyDate.size() == 8 ? QString::fromStdString(s.studyDate.substr(0, 4) + "-" + s.studyDate.substr(4, 2) +
                                                               "-" + s.studyDate.substr(6, 2))
                                     : QString::fromStdString(s.studyDate);
    case Modality: return QString::fromStdString(s.modality);
    case BodyPart: return QString::fromStdString(s.bodyPart);
    // Shown in the reader's language (the status words are marked in ui/main_window.cpp's context).
    case Status:
      return role == Qt::EditRole ? QString::fromLatin1(statusKey(s.status))
                                  : QCoreApplication::translate("fedmrg::ui::MainWindow", statusKey(s.status));
    case Images: return role == Qt::EditRole ? QVariant(s.images) : QVariant(QString::number(s.images));
    case Priors: {
      const int n = priors_[size_t(index.row())];
      return role == Qt::EditRole ? QVariant(n) : QVariant(n ? QString::number(n) : QString());
    }
    default: return {};
  }
}

QVariant WorklistModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == Priors)
    return tr("Earlier studies of the same patient (same ID, or same name and birth date)");
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Patient: return tr("Patient");
    case PatientId: return tr("ID");
    case Date: return tr("Date");
    case Modality: return tr("Modality");
    case BodyPart: return tr("Body part");
    case Status: return tr("Status");
    case Images: return tr("Images");
    case Priors: return tr("Priors");
    default: return {};
  }
}

int WorklistModel::rowOfStudy(int64_t studyId) const {
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].id == studyId) return int(i);
  return -1;
}

std::map<ReportStatus, int> WorklistModel::statusCounts() const {
  std::map<ReportStatus, int> counts{
      {ReportStatus::New, 0}, {ReportStatus::Draft, 0}, {ReportStatus::Preliminary, 0}, {ReportStatus::Final, 0}};
  for (const auto& s : rows_) ++counts[s.status];
  return counts;
}

WorklistFilter::WorklistFilter(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(Qt::EditRole);
  setSortCaseSensitivity(Qt::CaseInsensitive);
}

void WorklistFilter::setSearchText(const QString& text) {
  search_ = text.trimmed();
  refilter();
}

void WorklistFilter::setStatusFilter(std::optional<ReportStatus> status) {
  status_ = status;
  refilter();
}

void WorklistFilter::setPinnedStudy(int64_t studyId) {
  if (studyId == pinned_) return;
  pinned_ = studyId;
  refilter();
}

void WorklistFilter::refilter() {
  invalidateFilter();
  if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

QVariant WorklistFilter::data(const QModelIndex& index, int role) const {
  const bool marked = role == Qt::DisplayRole || role == Qt::ToolTipRole || role == HiddenByFilterRole;
  if (!marked || !pinned_ || !index.isValid()) return QSortFilterProxyModel::data(index, role);
  const QModelIndex source = mapToSource(index);
  const bool hidden = source.data(WorklistModel::StudyIdRole).toLongLong() == pinned_ && !matches(source.row(), {});
  if (role == HiddenByFilterRole) return hidden;
  if (!hidden) return QSortFilterProxyModel::data(index, role);
  if (role == Qt::ToolTipRole) return tr("The open study: listed although the search or the status filter hides it");
  if (index.column() == WorklistModel::Patient)
    return QStringLiteral("\u2691 ") + QSortFilterProxyModel::data(index, role).toString();  // a flag
  return QSortFilterProxyModel::data(index, role);
}

bool WorklistFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const auto& study = static_cast<const WorklistModel*>(sourceModel())->study(sourceRow);
  return (pinned_ && study.id == pinned_) || matches(sourceRow, sourceParent);
}

bool WorklistFilter::matches(int sourceRow, const QModelIndex& sourceParent) const {
  auto* model = sourceModel();
  auto cell = [&](int column) { return model->index(sourceRow, column, sourceParent).data().toString(); };
  const auto& study = static_cast<const WorklistModel*>(model)->study(sourceRow);
  if (status_ && study.status != *status_) return false;
  if (search_.isEmpty()) return true;
  for (int c : {WorklistModel::Patient, WorklistModel::PatientId, WorklistModel::Modality, WorklistModel::BodyPart})
    if (cell(c).contains(search_, Qt::CaseInsensitive)) return true;
  return QString::fromStdString(study.description).contains(search_, Qt::CaseInsensitive);
}

}  // namespace fedmrg::app
