#pragma once
// The site's local users and their roles (a set: radiologist, admin, or both). Passwords are kept as PBKDF2-HMAC-SHA256 hashes with a
// per-user salt and 600,000 iterations, each hash with the parameters it was made with; failed
// sign-ins make the next attempt for that user name wait, longer after each failure.
#include <QDateTime>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fedmrg::app {

class Site;

// Radiologists sign reports (preliminary, final, addenda); admins manage users, PACS nodes, the audit
// export and the federation. role_rules.h says which action needs which role.
enum class Role { Radiologist, Admin };
const char* roleName(Role role);  // "radiologist", "admin"
using Roles = std::set<Role>;
// "radiologist, admin" (in that order); "no role" for none.
std::string roleNames(const Roles& roles);

struct User {
  int64_t id = 0;
  std::string username, displayName;
  Roles roles;
  bool has(Role role) const { return roles.count(role) > 0; }
};

// The outcome of a sign-in: the user, or none. `refused`: the attempt came during the back-off of
// earlier failures and the password was not checked. `waitSeconds`: how long before the next try.
struct SignInResult {
  std::optional<User> user;
  int waitSeconds = 0;
  bool refused = false;
};

class UserDirectory {
 public:
  // The time the back-off is measured with; tests inject their own instead of sleeping.
  using Clock = std::function<QDateTime()>;
  // The iterations of new password hashes (OWASP's figure for PBKDF2-HMAC-SHA256).
  static constexpr int kIterations = 600000;
  // The wait before the next sign-in after `failures` consecutive failures (BackOff::delayAfter).
  static int backOffSeconds(int failures);

  // `actingUserId`: the signed-in user who adds or changes users through this directory, named in the
  // audit log. 0 (the system) may only create the site's first user; reading and signing in need no one.
  explicit UserDirectory(Site& site, int64_t actingUserId = 0) : site_(site), actingUserId_(actingUserId) {}
  // Why a new user with this name and password would be refused (empty name, password shorter
  // than 8), or an empty string: checked before anything is written.
  static std::string newUserProblem(const std::string& username, const std::string& password);
  // Adds a user with these roles (at least one), attributed to the acting user; throws StoreError for
  // an empty name, a short password (< 8), no role, a taken name, or an acting user without the admin
  // role (while the site has users; the refusal names the missing role and is audited).
  int64_t addUser(const std::string& username, const std::string& displayName, const Roles& roles,
                  const std::string& password);
  int64_t addUser(const std::string& username, const std::string& displayName, Role role,
                  const std::string& password) {
    return addUser(username, displayName, Roles{role}, password);
  }
  // Gives the user exactly these roles (at least one). Throws StoreError, changing nothing, for an
  // acting user without the admin role, no role, an unknown user, or when it would leave the site
  // without an active admin.
  void setRoles(int64_t userId, const Roles& roles);
  // The user when the password matches, else nothing (the caller says "wrong user or password").
  std::optional<User> authenticate(const std::string& username, const std::string& password) {
    return signIn(username, password).user;
  }
  // Signs in with the back-off: an unknown user name costs the same hash as a known one, the hash is
  // compared in constant time, and a hash made with older parameters is upgraded on success.
  SignInResult signIn(const std::string& username, const std::string& password);
  void setClock(Clock clock) { clock_ = std::move(clock); }
  // The active user with this id, if any.
  std::optional<User> find(int64_t id);
  std::vector<User> users();
  int count();

 private:
  // Throws StoreError unless the acting user may change users (see the constructor); `action` is
  // audited with the refusal.
  void checkActingAdmin(const std::string& action);
  Roles rolesOf(int64_t userId);
  int64_t insertUser(const std::string& username, const std::string& displayName, const Roles& roles,
                     const std::vector<uint8_t>& salt, const std::vector<uint8_t>& hash);
  void storeRoles(int64_t userId, const Roles& roles);
  // Seconds left before `username` may try again (0: now).
  int secondsToWait(const std::string& username);
  void recordFailure(const std::string& username);
  Site& site_;
  int64_t actingUserId_;
  Clock clock_ = [] { return QDateTime::currentDateTimeUtc(); };
};

}  // namespace fedmrg::app
