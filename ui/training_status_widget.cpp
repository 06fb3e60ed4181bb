#include "ui/training_status_widget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

#include "app/site/background_trainer.h"

namespace fedmrg::ui {
namespace {

QString duration(double seconds) {
  const int s = int(seconds + 0.5);
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

TrainingStatusWidget::TrainingStatusWidget(app::BackgroundTrainer* trainer, QWidget* parent)
    : QWidget(parent), trainer_(trainer) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  label_ = new QLabel(this);
  label_->setTextFormat(Qt::PlainText);
  bar_ = new QProgressBar(this);
  bar_->setMaximumWidth(140);
  bar_->setMaximumHeight(16);
  bar_->setTextVisible(false);
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel training"));
  cancel_->setToolTip(tr("Stop the background training; its signed reports wait for the next run"));
  layout->addWidget(label_);
  layout->addWidget(bar_);
  layout->addWidget(cancel_);
  showRunning(trainer_->isRunning());
  label_->setText(trainer_->isRunning() ? tr("Training the site's adapters…") : QString());

  connect(cancel_, &QToolButton::clicked, this, [this] {
    trainer_->cancel();
    cancel_->setEnabled(false);
    label_->setText(tr("Cancelling training…"));
  });
  connect(trainer_, &app::BackgroundTrainer::started, this, [this](const QString&, int studies, bool resumed) {
    showRunning(true);
    bar_->setRange(0, 0);  // busy until the first step says how many
    label_->setText(resumed ? tr("Resuming training on %n signed report(s)…", "", studies)
                            : tr("Training on %n signed report(s)…", "", studies));
  });
  connect(trainer_, &app::BackgroundTrainer::progress, this, [this](int step, int steps, double eta) {
    bar_->setRange(0, steps);
    bar_->setValue(step);
    label_->setText(tr("Training: step %1 of %2, about %3 left").arg(step).arg(steps).arg(duration(eta)));
  });
  connect(trainer_, &app::BackgroundTrainer::pausedChanged, this, [this](bool paused) {
    if (paused) label_->setText(tr("Training paused while a draft is generated"));
  });
  connect(trainer_, &app::BackgroundTrainer::finished, this, [this](bool committed, const QString& message) {
    showRunning(false);
    label_->setText(committed ? tr("Training done: a new adapter version") : tr("Training stopped"));
    label_->setToolTip(message);  // the trainer's own words, in English, with the version or the reason
  });
  // The quality gate of the run's version: busy while it drafts the held-back reports, then its decision. A
  // version not used says why here (the gate's words, in English), and in the federation panel's versions tab.
  connect(trainer_, &app::BackgroundTrainer::gateStarted, this, [this](qint64 version, int heldBack) {
    bar_->setRange(0, 0);
    bar_->setVisible(heldBack > 0);
    label_->setText(tr("Quality gate: checking v%1 on %n held-back report(s)…", "", heldBack).arg(version));
  });
  connect(trainer_, &app::BackgroundTrainer::gateFinished, this,
          [this](qint64 version, bool accepted, const QString& reason) {
            bar_->setVisible(false);
            label_->setText(accepted ? tr("New adapter version v%1 in use: the quality gate accepted it").arg(version)
                                     : tr("New adapter version v%1 not used: %2").arg(version).arg(reason));
            label_->setToolTip(reason);
          });
}

void TrainingStatusWidget::showRunning(bool running) {
  bar_->setVisible(running);
  cancel_->setVisible(running);
  cancel_->setEnabled(running);
}

}  // namespace fedmrg::ui
