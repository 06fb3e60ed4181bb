#pragma once
// One diagnosis chip of the report editor, usable without the mouse: Space cycles its state as a
// click does (blank, positive, negative, uncertain), P / N / U set positive / negative / uncertain,
// Delete or Backspace clears it, the arrow keys move to the neighbouring chip, Esc goes back to
// the text. The editor decides what a state change means.
#include <QPushButton>

#include "app/site/finding_labels.h"

namespace fedmrg::ui {

class FindingChip : public QPushButton {
  Q_OBJECT

 public:
  explicit FindingChip(QWidget* parent = nullptr);

 signals:
  void stateChosen(fedmrg::app::FindingState state);
  void leaveRequested();

 protected:
  void keyPressEvent(QKeyEvent* event) override;
};

}  // namespace fedmrg::ui
