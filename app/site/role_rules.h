#pragma once
// Which action needs which role, and the refusal that says so. The services that do the actions
// enforce it (report_service, user_directory, pacs_node, audit_trail), not only the ui by hiding
// buttons; every refusal names the missing role and the roles the user has, and is audited.
#include <cstdint>
#include <optional>
#include <string>

#include "app/site/user_directory.h"

namespace fedmrg::app {

class Site;

// The audit action of a refusal; its detail names the refused action and the reason.
constexpr const char* kRoleRefusedAction = "role.refused";

// What `user` (none: nobody is signed in) may not do without `needed`, e.g. "Signing needs the
// radiologist role; jdoe has: admin"; empty when the user holds the role. `what` names the action
// as the sentence's subject ("Signing", "Managing users").
std::string roleRefusal(const std::optional<User>& user, Role needed, const std::string& what);

// Looks up the active user `userId`; when it lacks `needed`, writes a "role.refused" audit entry
// (detail: `action`, the audit name of what was refused, and the refusal) and throws StoreError with
// the refusal. Call it before any transaction of the action, so the entry is not rolled back with it.
void requireRole(Site& site, int64_t userId, Role needed, const std::string& what, const std::string& action,
                 int64_t studyId = 0);

}  // namespace fedmrg::app
