#pragma once
// Tooltips that name their shortcut, for every action of a window (issue 14, item 8): a reader who
// hovers a menu entry or a button learns the key that does the same, and the F1 table lists them all.
#include <QKeySequence>
#include <QString>

class QAction;
class QWidget;

namespace fedmrg::ui {

// The property that exempts a menu action from having a shortcut; its value says why
// (tst_keyboard_flow refuses a menu action with neither).
inline constexpr char kNoShortcutReason[] = "fedmrgNoShortcutReason";

// `tip` followed by `key` in the platform's notation, "Save the report (Ctrl+S)"; `tip` alone
// when there is no key.
QString tipWithKey(const QString& tip, const QKeySequence& key);

// Marks `action` as one without a shortcut, for `reason` (a note for developers, not shown).
void exemptFromShortcut(QAction* action, const char* reason);

// Every action in `window` gets a tooltip that names its shortcut: one made of its text when it
// has none of its own, its own with the key appended when the key is missing from it. The
// window's menus show them.
void hintActions(QWidget* window);

}  // namespace fedmrg::ui
