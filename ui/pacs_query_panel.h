#pragma once
// The query panel beside the worklist: asks a PACS node for studies (patient name or ID, accession,
// date range, modality), lists them sortable, and retrieves the chosen ones (or, with prefetch, every
// result not yet here) into the site, with progress per study and cancel. Queries and retrievals
// run on worker threads; the panel only shows what app::PacsClient and app::PacsRetriever report.
#include <QWidget>
#include <QFuture>
#include <atomic>
#include <memory>

#include "app/site/pacs_client.h"
#include "app/site/workstation_services.h"

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace fedmrg::ui {

class PacsQueryPanel : public QWidget {
  Q_OBJECT

 public:
  enum Column { Patient, PatientId, Date, Modality, Description, Images, Status, ColumnCount };

  explicit PacsQueryPanel(const app::WorkstationServices& services, QWidget* parent = nullptr);
  ~PacsQueryPanel() override;

  // Reloads the node list (after the PACS settings changed).
  void reloadNodes();

  QLineEdit* patientNameEdit() const { return name_; }
  QLineEdit* patientIdEdit() const { return patientId_; }
  QLineEdit* accessionEdit() const { return accession_; }
  QCheckBox* dateRangeBox() const { return useDates_; }
  QDateEdit* fromDateEdit() const { return from_; }
  QDateEdit* toDateEdit() const { return to_; }
  QComboBox* modalityBox() const { return modality_; }
  QPushButton* searchButton() const { return search_; }
  QPushButton* retrieveButton() const { return retrieve_; }
  QPushButton* cancelButton() const { return cancel_; }
  QCheckBox* prefetchBox() const { return prefetch_; }
  QTableView* resultsView() const { return view_; }
  QLabel* messageLabel() const { return message_; }
  bool busy() const { return busy_; }
  // The Study Instance UID of a row of the view (sorted order).
  QString studyUidAt(int viewRow) const;

 public slots:
  void search();
  // Retrieves the studies of the selected rows.
  void retrieveSelected();
  void cancel();

 signals:
  // A retrieved study is in the site now (the worklist reloads); `studyId` is its id there.
  void studyRetrieved(qint64 studyId);
  void retrievalFinished();

 private:
  std::optional<app::PacsNode> currentNode();
  void retrieve(const std::vector<app::StudyMatch>& studies);
  void showMatches(const std::vector<app::StudyMatch>& matches);
  void setRowStatus(const QString& studyUid, const QString& text);
  void setBusy(bool busy, const QString& message = {});
  void showMessage(const QString& text, bool error = false);
  bool inSite(const std::string& studyUid);

  app::WorkstationServices services_;
  QComboBox* node_;
  QLineEdit *name_, *patientId_, *accession_;
  QCheckBox* useDates_;
  QDateEdit *from_, *to_;
  QComboBox* modality_;
  QPushButton *search_, *retrieve_, *cancel_;
  QCheckBox* prefetch_;
  QStandardItemModel* model_;
  QSortFilterProxyModel* sorted_;
  QTableView* view_;
  QLabel* message_;
  std::vector<app::StudyMatch> matches_;
  bool busy_ = false;
  std::shared_ptr<std::atomic<bool>> cancelFlag_;
  QFuture<void> work_;
};

}  // namespace fedmrg::ui
