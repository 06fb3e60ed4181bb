#pragma once
// Sends signed reports to the PACS in the background and says in the status bar what waits: queues
// a study's final report when it is signed (with automatic sending on) or on demand, runs
// app::PacsOutbox on a worker thread, and tries again on a timer while anything waits.
#include <QFuture>
#include <QLabel>
#include <QObject>
#include <QPointer>
#include <QString>

class QTimer;

namespace fedmrg::app {
class Site;
}

namespace fedmrg::ui {

class PacsSender : public QObject {
  Q_OBJECT

 public:
  PacsSender(app::Site& site, int64_t userId, QObject* parent = nullptr);
  ~PacsSender() override;

  // The status bar's word on the outbox: empty while nothing waits.
  QLabel* statusLabel() const { return label_.data(); }
  bool sending() const { return running_; }

 public slots:
  // After a report changed: queues it when it is a new final sign-off or addendum and reports go
  // to the PACS by themselves.
  void reportChanged(qint64 studyId);
  // Queues the study's final report now, whatever the setting, and sends it.
  bool sendNow(qint64 studyId);
  // Sends what is due (`all`: every waiting report, ignoring the back-off).
  void kick(bool all = false);
  void refreshLabel();

 signals:
  void message(const QString& text);
  void finished(int sent, int failed);

 private:
  app::Site& site_;
  int64_t userId_;
  QPointer<QLabel> label_;  // the status bar owns it once it is shown there
  QTimer* timer_;
  bool running_ = false, again_ = false;
  QString lastError_;
  QFuture<void> work_;
};

}  // namespace fedmrg::ui
