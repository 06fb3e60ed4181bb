#pragma once
// The audit log: time, user, action, patient, study and detail of each entry, newest first, filtered
// by user, action, days and text, for the open study or (administrators) all studies, and exported
// to CSV (administrators). What may be read and how a filter becomes a query is decided in
// app/site/audit_trail.h; this dialog shows it.
#include <QDialog>

#include "app/site/audit_trail.h"

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace fedmrg::app {
class Site;
}

namespace fedmrg::ui {

class AuditLogDialog : public QDialog {
  Q_OBJECT

 public:
  // `viewerId`: the signed-in user; `studyId`: the open study (0: none).
  AuditLogDialog(app::Site& site, int64_t viewerId, int64_t studyId, QWidget* parent = nullptr);

  enum Column { Time, User, Action, Patient, Study, Detail, ColumnCount };
  QComboBox* scope;   // this study / all studies
  QComboBox* user;    // anyone, or one user (or the system)
  QComboBox* action;  // any action, or one
  QDateEdit* from;    // its minimum date means "any day"
  QDateEdit* to;
  QLineEdit* text;
  QTableWidget* table;
  QPushButton* exportButton;
  QLabel* message() const { return message_; }

  // The filter the widgets hold, as the app's query.
  app::AuditQuery query() const;

 public slots:
  // Shows the entries the filter matches, or why none may be shown.
  void reload();
  // Exports what the filter matches to `file` (asks for a file when none is given); the message line
  // says how many entries went where, or why not.
  bool exportCsv(const QString& file = {});

 private:
  app::AuditTrail trail_;
  int64_t studyId_;
  QLabel* message_;
};

}  // namespace fedmrg::ui
