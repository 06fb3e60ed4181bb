#pragma once
// The site's local users and their roles; passwords are kept as salted PBKDF2-HMAC-SHA256 hashes.
#include <optional>
#include <string>
#include <vector>

namespace fedmrg::app {

class Site;

enum class Role { Radiologist, Admin };
const char* roleName(Role role);  // "radiologist", "admin"

struct User {
  int64_t id = 0;
  std::string username, displayName;
  Role role = Role::Radiologist;
};

class UserDirectory {
 public:
  // `actingUserId`: the signed-in user who adds or changes users through this directory, named in the
  // audit log. 0 (the system) may only create the site's first user; reading and signing in need no one.
  explicit UserDirectory(Site& site, int64_t actingUserId = 0) : site_(site), actingUserId_(actingUserId) {}
  // Why a new user with this name and password would be refused (empty name, password shorter
  // than 8), or an empty string: checked before anything is written.
  static std::string newUserProblem(const std::string& username, const std::string& password);
  // Adds a user, attributed to the acting user; throws StoreError for an empty name, a short password
  // (< 8), a taken name, or an acting user who is no active administrator (while the site has users).
  int64_t addUser(const std::string& username, const std::string& displayName, Role role,
                  const std::string& password);
  // The user when the password matches, else nothing (the caller says "wrong user or password").
  std::optional<User> authenticate(const std::string& username, const std::string& password);
  // The active user with this id, if any.
  std::optional<User> find(int64_t id);
  std::vector<User> users();
  int count();

 private:
  // Throws StoreError unless the acting user may change users (see the constructor).
  void checkActingAdmin();
  Site& site_;
  int64_t actingUserId_;
};

}  // namespace fedmrg::app
