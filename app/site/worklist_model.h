#pragma once
// The worklist as a Qt item model (QtCore only): one row per study, and a filter model for the
// search box and the status filter. Views sort through the filter model.
#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <map>
#include <optional>
#include <vector>

#include "app/site/study_catalog.h"

namespace fedmrg::app {

class Site;

class WorklistModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  // Priors: how many of the patient's studies lie before this one (prior_studies.h), so that a
  // patient's history shows in the list; empty when none.
  enum Column { Patient, PatientId, Date, Modality, BodyPart, Status, Images, Priors, ColumnCount };
  static constexpr int StudyIdRole = Qt::UserRole + 1;

  explicit WorklistModel(Site* site, QObject* parent = nullptr);
  void setSite(Site* site);
  void reload();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  const StudySummary& study(int row) const { return rows_.at(size_t(row)); }
  int rowOfStudy(int64_t studyId) const;
  // Studies per status; every status is present, with 0 when no study has it.
  std::map<ReportStatus, int> statusCounts() const;

 private:
  Site* site_;
  std::vector<StudySummary> rows_;
  std::vector<int> priors_;  // per row
};

class WorklistFilter : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit WorklistFilter(QObject* parent = nullptr);
  // Case-insensitive match on patient name, patient ID, description, modality or body part.
  void setSearchText(const QString& text);
  // Nothing: every status.
  void setStatusFilter(std::optional<ReportStatus> status);
  // The open study stays listed whatever the search or the status filter (0: none), so that the
  // worklist's selection can always be the open study, also after its report changed status.
  void setPinnedStudy(int64_t studyId);
  int64_t pinnedStudy() const { return pinned_; }

  // True on the pinned study's row while the search or the status filter would hide it; that row
  // also says so in its tooltip and shows a flag before the patient's name, so that the reader
  // does not take it for a match.
  static constexpr int HiddenByFilterRole = Qt::UserRole + 2;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  bool matches(int sourceRow, const QModelIndex& sourceParent) const;
  // Filters again; the pinned row's mark may change without the row moving.
  void refilter();

  QString search_;
  std::optional<ReportStatus> status_;
  int64_t pinned_ = 0;
};

}  // namespace fedmrg::app
