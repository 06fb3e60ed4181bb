#pragma once
// The report templates' two dialogs: the chooser (Ctrl+T: type to filter by name, Up / Down to
// pick, Enter inserts) and the manager (add, edit, rename, delete the signed-in user's templates,
// and override the built-in "Normal chest" macro). The rules are app::ReportTemplates'.
#include <QDialog>
#include <functional>
#include <optional>
#include <vector>

#include "app/site/report_templates.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace fedmrg::ui {

class TemplateChooser : public QDialog {
  Q_OBJECT

 public:
  explicit TemplateChooser(std::vector<app::ReportTemplate> templates, QWidget* parent = nullptr);
  // The template picked when the dialog was accepted.
  std::optional<app::ReportTemplate> chosen() const;
  QLineEdit* filterEdit() const { return filter_; }
  QListWidget* list() const { return list_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void showMatches();

  std::vector<app::ReportTemplate> all_, shown_;
  QLineEdit* filter_;
  QListWidget* list_;
  QLabel* preview_;
};

class TemplateDialog : public QDialog {
  Q_OBJECT

 public:
  // `current` is the open report (findings, impression, chips) for "Take from the open report".
  TemplateDialog(app::ReportTemplates& templates, app::ReportTemplate current, QWidget* parent = nullptr);
  QListWidget* list() const { return list_; }
  QLineEdit* nameEdit() const { return name_; }
  QPlainTextEdit* findingsEdit() const { return findings_; }
  QPlainTextEdit* impressionEdit() const { return impression_; }
  QLabel* errorLabel() const { return error_; }

 public slots:
  // Stores the fields: a new template, or the selected one changed (a new name renames it).
  // Editing the built-in macro stores the user's own "Normal chest". False with the reason shown.
  bool saveTemplate();
  bool addAsNew();
  bool deleteTemplate();

 private:
  void reload(int64_t select);
  void showSelected();
  app::ReportTemplate fields() const;
  bool run(const std::function<int64_t()>& action);

  app::ReportTemplates& templates_;
  app::ReportTemplate current_;
  std::vector<app::ReportTemplate> items_;  // as listed
  std::string labels_;
  QListWidget* list_;
  QLineEdit* name_;
  QPlainTextEdit* findings_;
  QPlainTextEdit* impression_;
  QLabel* chips_;
  QLabel* error_;
  QPushButton* delete_;
};

}  // namespace fedmrg::ui
