#include "ui/action_hints.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>
#include <QWidget>

namespace fedmrg::ui {
namespace {

// The text QAction shows as its tooltip when none was set (Qt's own rule: no '&', no "...").
QString defaultTip(const QAction* action) {
  QString s = action->text();
  s.remove(QStringLiteral("..."));
  s.remove(QLatin1Char('&'));
  return s.trimmed();
}

}  // namespace

QString tipWithKey(const QString& tip, const QKeySequence& key) {
  if (key.isEmpty()) return tip;
  return QCoreApplication::translate("fedmrg::ui::ActionHints", "%1 (%2)")
      .arg(tip, key.toString(QKeySequence::NativeText));
}

void exemptFromShortcut(QAction* action, const char* reason) {
  action->setProperty(kNoShortcutReason, QString::fromLatin1(reason));
}

void hintActions(QWidget* window) {
  for (QAction* action : window->findChildren<QAction*>()) {
    if (action->isSeparator() || action->text().isEmpty()) continue;
    const QString own = action->toolTip();
    const QString tip = own == defaultTip(action) ? QString(own).remove(QChar(0x2026)).trimmed() : own;
    const QKeySequence key = action->shortcut();
    if (!key.isEmpty() && tip.contains(key.toString(QKeySequence::NativeText))) continue;
    action->setToolTip(tipWithKey(tip, key));
  }
  for (QMenu* menu : window->findChildren<QMenu*>()) menu->setToolTipsVisible(true);
}

}  // namespace fedmrg::ui
