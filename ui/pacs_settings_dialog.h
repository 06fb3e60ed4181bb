#pragma once
// PACS settings (administrators): the PACS nodes (name, AE title, host, port, C-GET or C-MOVE, the
// default one), "Test connection" (C-ECHO, on a worker thread, with the result in words), the
// workstation's own AE title and storage port, and whether signed reports go to the PACS by themselves.
#include <QDialog>
#include <QFuture>
#include <functional>

#include "app/site/pacs_node.h"
#include "app/site/user_directory.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace fedmrg::app {
class Site;
}

namespace fedmrg::ui {

class PacsSettingsDialog : public QDialog {
  Q_OBJECT

 public:
  PacsSettingsDialog(app::Site& site, const app::User& user, QWidget* parent = nullptr);
  ~PacsSettingsDialog() override;

  QListWidget* nodeList() const { return nodes_; }
  QLineEdit* nameEdit() const { return name_; }
  QLineEdit* aeTitleEdit() const { return aeTitle_; }
  QLineEdit* hostEdit() const { return host_; }
  QSpinBox* portBox() const { return port_; }
  QComboBox* methodBox() const { return method_; }
  QCheckBox* defaultBox() const { return isDefault_; }
  QLineEdit* localAeEdit() const { return localAe_; }
  QSpinBox* localPortBox() const { return localPort_; }
  QCheckBox* autoSendBox() const { return autoSend_; }
  QPushButton* saveNodeButton() const { return saveNode_; }
  QPushButton* testButton() const { return test_; }
  QLabel* resultLabel() const { return result_; }

 public slots:
  void newNode();
  bool saveNode();
  void removeNode();
  void testConnection();
  bool saveWorkstation();

 signals:
  void settingsChanged();
  void testFinished(bool ok);

 private:
  void reload(int64_t select = 0);
  void showNode(int64_t id);
  app::PacsNode nodeFromFields() const;
  void showResult(const QString& text, bool ok);
  // Runs a settings change; shows its error, or `done` and announces the change.
  bool change(const std::function<void()>& action, const QString& done);

  app::Site& site_;
  app::User user_;
  int64_t editing_ = 0;
  QListWidget* nodes_;
  QLineEdit *name_, *aeTitle_, *host_, *localAe_;
  QSpinBox *port_, *localPort_;
  QComboBox* method_;
  QCheckBox *isDefault_, *autoSend_;
  QPushButton *newNode_, *saveNode_, *remove_, *test_, *saveLocal_;
  QLabel* result_;
  QFuture<void> test_future_;
};

}  // namespace fedmrg::ui
