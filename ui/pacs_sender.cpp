#include "ui/pacs_sender.h"

#include <QLabel>
#include <QPointer>
#include <QTimer>
#include <QtConcurrent>

#include "app/site/pacs_node.h"
#include "app/site/pacs_outbox.h"
#include "app/site/site.h"

namespace fedmrg::ui {

PacsSender::PacsSender(app::Site& site, int64_t userId, QObject* parent)
    : QObject(parent), site_(site), userId_(userId), label_(new QLabel), timer_(new QTimer(this)) {
  timer_->setInterval(15000);  // the back-off decides when a report is due; this only looks
  connect(timer_, &QTimer::timeout, this, [this] { kick(false); });
  timer_->start();
  refreshLabel();
}

PacsSender::~PacsSender() {
  work_.waitForFinished();
  if (label_ && !label_->parent()) delete label_.data();
}

void PacsSender::reportChanged(qint64 studyId) {
  try {
    if (!app::PacsNodeStore(site_, userId_).autoSendReports()) return;
    if (app::PacsOutbox(site_, userId_).enqueueIfNew(studyId)) kick(true);
  } catch (const std::exception& e) {
    emit message(tr("The report was not queued for the PACS: %1").arg(QString::fromUtf8(e.what())));
  }
}

bool PacsSender::sendNow(qint64 studyId) {
  try {
    app::PacsOutbox(site_, userId_).enqueue(studyId);
  } catch (const std::exception& e) {
    emit message(QString::fromUtf8(e.what()));
    return false;
  }
  kick(true);
  return true;
}

void PacsSender::kick(bool all) {
  if (running_) {
    again_ = again_ || all;
    return;
  }
  if (!all && !app::PacsOutbox(site_, userId_).nextDue()) return;
  running_ = true;
  refreshLabel();
  QPointer<PacsSender> self(this);
  app::Site* site = &site_;
  const int64_t user = userId_;
  work_ = QtConcurrent::run([self, site, user, all] {
    const app::OutboxSummary s = app::PacsOutbox(*site, user).sendDue(all);
    QMetaObject::invokeMethod(
        self.data(),
        [self, s] {
          if (!self) return;
          self->running_ = false;
          if (s.failed > 0) self->lastError_ = QString::fromStdString(s.lastError);
          else if (s.sent > 0) self->lastError_.clear();
          if (s.sent > 0) emit self->message(tr("Reports stored on the PACS: %1.").arg(s.sent));
          self->refreshLabel();
          emit self->finished(s.sent, s.failed);
          if (self->again_) {
            self->again_ = false;
            self->kick(true);
          }
        },
        Qt::QueuedConnection);
  });
}

void PacsSender::refreshLabel() {
  if (!label_) return;
  app::PacsOutbox outbox(site_, userId_);
  const int pending = outbox.pendingCount();
  if (pending == 0) {
    label_->setText(running_ ? tr("PACS: sending…") : QString());
    label_->setToolTip(QString());
    label_->setStyleSheet(QString());
    return;
  }
  QString text = tr("PACS: reports waiting: %1").arg(pending);
  if (running_) text += tr(" (sending…)");
  label_->setText(text);
  QString tip;
  if (const auto due = outbox.nextDue()) tip = tr("Next try at %1.").arg(due->toLocalTime().toString(QStringLiteral("HH:mm:ss")));
  if (!lastError_.isEmpty()) tip += QLatin1Char(' ') + tr("Last failure: %1").arg(lastError_);
  label_->setToolTip(tip.trimmed());
  label_->setStyleSheet(lastError_.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
}

}  // namespace fedmrg::ui
