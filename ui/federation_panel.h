#pragma once
// The federation panel (administrators only): the coordinator's address, the site's certificates (checked on
// import), "Test connection" (GetStatus over mutual TLS, on a worker thread), join and leave, taking part in
// every round or approving each, training hours, bandwidth cap and central DP; the status (current round and its
// state, last sync, global model version, bytes sent and received per round as a bar chart) and the model
// versions with their held-back scores, the gate's reasons, switch and roll back. Every decision is made in
// app/site (federation_settings.h, model_versions.h); this only shows it.
#include <QDialog>
#include <QFuture>
#include <QPointer>

#include "app/site/user_directory.h"

class QBarSet;
class QBarCategoryAxis;
class QChart;
class QValueAxis;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace fedmrg::app {
class Site;
class SiteFederation;
}

namespace fedmrg::ui {

class FederationPanel : public QDialog {
  Q_OBJECT

 public:
  // The panel for `user`, or null with the reason (naming the missing role) in *refusal.
  static FederationPanel* open(app::Site& site, const app::User& user, QWidget* parent, QString* refusal);
  ~FederationPanel() override;
  // The workstation's federation loop, whose live state the status tab shows (current round and phase, a round
  // waiting for approval with its Approve button, the last gate decision); joining and leaving start and stop it.
  void setFederation(app::SiteFederation* federation);

  QTabWidget* tabs() const { return tabs_; }
  QLineEdit* coordinatorEdit() const { return coordinator_; }
  QLineEdit* caEdit() const { return ca_; }
  QLineEdit* certEdit() const { return cert_; }
  QLineEdit* keyEdit() const { return key_; }
  QLabel* certificateLabel() const { return certificate_; }
  QComboBox* participationBox() const { return participation_; }
  QSpinBox* fromHourBox() const { return fromHour_; }
  QSpinBox* toHourBox() const { return toHour_; }
  QSpinBox* bandwidthBox() const { return bandwidth_; }
  QCheckBox* dpBox() const { return dp_; }
  QLabel* resultLabel() const { return result_; }
  QLabel* roundLabel() const { return round_; }
  QLabel* syncLabel() const { return sync_; }
  QLabel* globalVersionLabel() const { return globalVersion_; }
  QChart* trafficChart() const { return chart_; }
  QTableWidget* versionsTable() const { return versions_; }
  QLabel* gateLabel() const { return gate_; }
  QLabel* loopLabel() const { return loop_; }
  QLabel* lastGateLabel() const { return lastGate_; }
  QPushButton* approvePendingButton() const { return approvePending_; }

 public slots:
  bool importCertificates();
  bool saveSettings();
  void testConnection();
  bool join();
  bool leave();
  bool approveRound();
  bool approvePendingRound();  // the round the loop waits on
  bool switchToSelectedVersion();
  bool rollBack();
  void refreshStatus();
  void refreshLive();

 signals:
  void testFinished(bool ok);

 private:
  FederationPanel(app::Site& site, const app::User& user, QWidget* parent);
  QWidget* buildConnectionTab();
  QWidget* buildParticipationTab();
  QWidget* buildStatusTab();
  QWidget* buildVersionsTab();
  void loadSettings();
  void refreshVersions();
  void refreshChart();
  void showResult(const QString& text, bool ok);
  // Runs a change; shows its error, or `done`.
  bool change(const std::function<void()>& action, const QString& done);

  app::Site& site_;
  app::User user_;
  QTabWidget* tabs_;
  QLineEdit *coordinator_ = nullptr, *ca_ = nullptr, *cert_ = nullptr, *key_ = nullptr;
  QLabel *certificate_ = nullptr, *joined_ = nullptr, *result_ = nullptr;
  QComboBox* participation_ = nullptr;
  QSpinBox *fromHour_ = nullptr, *toHour_ = nullptr, *bandwidth_ = nullptr, *approveRound_ = nullptr;
  QCheckBox* dp_ = nullptr;
  QLabel *dpNote_ = nullptr, *round_ = nullptr, *sync_ = nullptr, *globalVersion_ = nullptr, *gate_ = nullptr;
  QPushButton* test_ = nullptr;
  QChart* chart_ = nullptr;
  // Made once and kept: axes removed and added again on every refresh left stale tick labels drawn.
  QBarCategoryAxis* roundAxis_ = nullptr;
  QValueAxis* bytesAxis_ = nullptr;
  QTableWidget* versions_ = nullptr;
  QFuture<void> testFuture_;
  QPointer<app::SiteFederation> federation_;
  QLabel *loop_ = nullptr, *lastGate_ = nullptr;
  QPushButton* approvePending_ = nullptr;
  uint64_t pendingRound_ = 0;
};

}  // namespace fedmrg::ui
