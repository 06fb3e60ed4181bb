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
  explicit UserDirectory(Site& site) : site_(site) {}
  // Why a new user with this name and password would be refused (empty name, password shorter
  // than 8), or an empty string: checked before anything is written.
  static std::string newUserProblem(const std::string& username, const std::string& password);
  // Adds a user; throws StoreError for an empty name, a short password (< 8) or a taken name.
  int64_t addUser(const std::string& username, const std::string& displayName, Role role,
                  const std::string& password);
  // The user when the password matches, else nothing (the caller says "wrong user or password").
  std::optional<User> authenticate(const std::string& username, const std::string& password);
  std::vector<User> users();
  int count();

 private:
  Site& site_;
};

}  // namespace fedmrg::app
