#include "ui/role_hints.h"

#include <QAction>
#include <QCoreApplication>
#include <QStringList>
#include <QWidget>

namespace fedmrg::ui {
namespace {

// The translation context of these strings (lupdate reads RoleHints::tr).
class RoleHints {
  Q_DECLARE_TR_FUNCTIONS(RoleHints)
};

QString roleText(app::Role role) { return role == app::Role::Admin ? RoleHints::tr("admin") : RoleHints::tr("radiologist"); }

QString rolesText(const app::User& user) {
  QStringList names;
  for (app::Role r : user.roles) names << roleText(r);
  return names.isEmpty() ? RoleHints::tr("no role") : names.join(QStringLiteral(", "));
}

}  // namespace

QString signingRoleNote(const app::User& user) {
  if (user.has(app::Role::Radiologist)) return {};
  return RoleHints::tr("Signing needs the radiologist role; %1 has: %2").arg(QString::fromStdString(user.username), rolesText(user));
}

QString adminRoleNote(const app::User& user, const QString& what) {
  if (user.has(app::Role::Admin)) return {};
  return RoleHints::tr("%1 needs the admin role; %2 has: %3").arg(what, QString::fromStdString(user.username), rolesText(user));
}

void disableWithNote(QAction* action, const QString& note) {
  if (note.isEmpty()) return;
  action->setEnabled(false);
  action->setToolTip(note);
  action->setStatusTip(note);
}

void disableWithNote(QWidget* widget, const QString& note) {
  if (note.isEmpty()) return;
  widget->setEnabled(false);
  widget->setToolTip(note);
}

}  // namespace fedmrg::ui
