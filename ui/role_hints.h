#pragma once
// What the signed-in user's roles leave out, said in the ui's language: the tooltip of a sign or
// admin action that is disabled, naming the missing role and the roles the user has (the services
// refuse the action too, see app/site/role_rules.h; the ui only says so before it is tried).
#include <QString>

#include "app/site/user_directory.h"

class QAction;
class QWidget;

namespace fedmrg::ui {

// "Signing needs the radiologist role; <user> has: admin"; empty when the user is a radiologist.
QString signingRoleNote(const app::User& user);
// "<what> needs the admin role; <user> has: radiologist"; empty when the user is an admin.
// `what` is a translated phrase, e.g. tr("Managing users").
QString adminRoleNote(const app::User& user, const QString& what);

// Disables the action (its shortcut too) with `note` as its tooltip when the note is not empty.
void disableWithNote(QAction* action, const QString& note);
void disableWithNote(QWidget* widget, const QString& note);

}  // namespace fedmrg::ui
