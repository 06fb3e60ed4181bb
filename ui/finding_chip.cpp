#include "ui/finding_chip.h"

#include <QKeyEvent>

namespace fedmrg::ui {

FindingChip::FindingChip(QWidget* parent) : QPushButton(parent) {
  setFocusPolicy(Qt::TabFocus);  // a click does not take the focus from the text being typed
  setToolTip(
      tr("Click or Space: blank, positive, negative, uncertain. P / N / U: positive / negative / "
         "uncertain, Delete: blank, arrows: next chip, Esc: back to the text"));
}

void FindingChip::keyPressEvent(QKeyEvent* event) {
  if (event->modifiers() & ~Qt::KeypadModifier) return QPushButton::keyPressEvent(event);
  switch (event->key()) {
    case Qt::Key_P: emit stateChosen(app::FindingState::Positive); break;
    case Qt::Key_N: emit stateChosen(app::FindingState::Negative); break;
    case Qt::Key_U: emit stateChosen(app::FindingState::Uncertain); break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace: emit stateChosen(app::FindingState::Blank); break;
    case Qt::Key_Left:
    case Qt::Key_Up: focusPreviousChild(); break;
    case Qt::Key_Right:
    case Qt::Key_Down: focusNextChild(); break;
    case Qt::Key_Escape: emit leaveRequested(); break;
    default: return QPushButton::keyPressEvent(event);
  }
  event->accept();
}

}  // namespace fedmrg::ui
