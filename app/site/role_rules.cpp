#include "app/site/role_rules.h"

#include "app/site/audit_trail.h"
#include "app/site/site.h"

namespace fedmrg::app {

std::string roleRefusal(const std::optional<User>& user, Role needed, const std::string& what) {
  if (user && user->has(needed)) return {};
  const std::string who = user ? user->username + " has: " + roleNames(user->roles) : "no user is signed in";
  return what + " needs the " + roleName(needed) + " role; " + who;
}

void requireRole(Site& site, int64_t userId, Role needed, const std::string& what, const std::string& action,
                 int64_t studyId) {
  const std::optional<User> user = userId > 0 ? UserDirectory(site).find(userId) : std::nullopt;
  const std::string refusal = roleRefusal(user, needed, what);
  if (refusal.empty()) return;
  // Listed under the user who tried; an id that names no active user is the system's entry.
  recordAudit(site, user ? user->id : kSystemUser, kRoleRefusedAction, studyId, action + ": " + refusal);
  throw StoreError(refusal);
}

}  // namespace fedmrg::app
