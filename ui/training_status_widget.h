#pragma once
// The background trainer in the status bar: what it does (waiting, training with step and ETA, paused
// while a draft runs, the last run's outcome, the quality gate's check of its version and the decision), a
// progress bar while it trains, and a cancel button.
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace fedmrg::app {
class BackgroundTrainer;
}

namespace fedmrg::ui {

class TrainingStatusWidget : public QWidget {
  Q_OBJECT

 public:
  TrainingStatusWidget(app::BackgroundTrainer* trainer, QWidget* parent = nullptr);

  QLabel* label() const { return label_; }
  QProgressBar* progressBar() const { return bar_; }
  QToolButton* cancelButton() const { return cancel_; }

 private:
  void showRunning(bool running);
  app::BackgroundTrainer* trainer_;
  QLabel* label_;
  QProgressBar* bar_;
  QToolButton* cancel_;
};

}  // namespace fedmrg::ui
