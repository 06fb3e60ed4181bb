#include "app/site/user_directory.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "app/site/back_off.h"
#include "app/site/role_rules.h"
#include "app/site/site.h"

namespace fedmrg::app {
namespace {

// How a hash was made: "pbkdf2-sha256:<iterations>". Stored beside each hash.
std::string kdfName(int iterations) { return "pbkdf2-sha256:" + std::to_string(iterations); }
const std::string kCurrentKdf = kdfName(UserDirectory::kIterations);

// The iterations a stored kdf names; 0 for one this build does not know.
int iterationsOf(const std::string& kdf) {
  const std::string prefix = "pbkdf2-sha256:";
  if (kdf.rfind(prefix, 0) != 0) return 0;
  try {
    const int n = std::stoi(kdf.substr(prefix.size()));
    return n >= 1000 ? n : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

// PBKDF2-HMAC-SHA256 (RFC 8018), one 32-byte block, by OpenSSL.
std::vector<uint8_t> pbkdf2(const std::string& password, const std::vector<uint8_t>& salt, int iterations) {
  std::vector<uint8_t> out(32);
  if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()), salt.data(), int(salt.size()), iterations, EVP_sha256(),
                        int(out.size()), out.data()) != 1)
    throw StoreError("password hashing failed");
  return out;
}

std::vector<uint8_t> newSalt() {
  std::vector<uint8_t> salt(16);
  if (RAND_bytes(salt.data(), int(salt.size())) != 1) throw StoreError("the system's random generator failed");
  return salt;
}

bool sameHash(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Role roleFrom(const std::string& s) { return s == "admin" ? Role::Admin : Role::Radiologist; }

}  // namespace

const char* roleName(Role role) { return role == Role::Admin ? "admin" : "radiologist"; }

std::string roleNames(const Roles& roles) {
  std::string out;
  for (Role r : roles) out += (out.empty() ? "" : ", ") + std::string(roleName(r));  // enum order: radiologist first
  return out.empty() ? "no role" : out;
}

std::string UserDirectory::newUserProblem(const std::string& username, const std::string& password) {
  if (username.empty()) return "a user needs a user name";
  if (password.size() < 8) return "the password of '" + username + "' is shorter than 8 characters";
  return {};
}

int64_t UserDirectory::addUser(const std::string& username, const std::string& displayName, const Roles& roles,
                               const std::string& password) {
  if (const std::string problem = newUserProblem(username, password); !problem.empty()) throw StoreError(problem);
  if (roles.empty()) throw StoreError("the user '" + username + "' needs a role (radiologist, admin or both)");
  checkActingAdmin("user.add");
  auto taken = site_.store().prepare("SELECT 1 FROM users WHERE username = ?");
  taken.bind(1, username);
  if (taken.step()) throw StoreError("the user name '" + username + "' is taken");
  // A savepoint, not a Transaction: Site::create adds its first admin inside its own transaction, and
  // the user and its roles must appear together either way.
  const std::vector<uint8_t> salt = newSalt();
  const std::vector<uint8_t> hash = pbkdf2(password, salt, kIterations);  // slow: before the store is locked
  site_.store().exec("SAVEPOINT user_add");
  try {
    const int64_t id = insertUser(username, displayName, roles, salt, hash);
    site_.store().exec("RELEASE user_add");
    return id;
  } catch (...) {
    site_.store().exec("ROLLBACK TO user_add");
    site_.store().exec("RELEASE user_add");
    throw;
  }
}

int64_t UserDirectory::insertUser(const std::string& username, const std::string& displayName, const Roles& roles,
                                  const std::vector<uint8_t>& salt, const std::vector<uint8_t>& hash) {
  auto st = site_.store().prepare(
      "INSERT INTO users(username, display_name, role, salt, pass_hash, created_at, kdf) VALUES(?, ?, ?, ?, ?, ?, ?)");
  // users.role is no longer read (user_roles is), but the column is NOT NULL: see 012_user_roles.sql.
  const Role legacy = roles.count(Role::Admin) ? Role::Admin : Role::Radiologist;
  st.bind(1, username).bind(2, displayName.empty() ? username : displayName).bind(3, roleName(legacy));
  st.bindBlob(4, salt).bindBlob(5, hash).bind(6, nowUtc()).bind(7, kCurrentKdf).run();
  const int64_t id = site_.store().lastInsertId();
  storeRoles(id, roles);
  site_.audit(actingUserId_, "user.add", 0, username + " (" + roleNames(roles) + ")");
  return id;
}

void UserDirectory::setRoles(int64_t userId, const Roles& roles) {
  checkActingAdmin("user.roles");
  const auto user = find(userId);
  if (!user) throw StoreError("no active user with id " + std::to_string(userId));
  if (roles.empty()) throw StoreError("the user '" + user->username + "' needs a role (radiologist, admin or both)");
  if (user->has(Role::Admin) && !roles.count(Role::Admin) &&
      site_.store().queryInt("SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id "
                             "WHERE r.role = 'admin' AND u.active = 1") <= 1)
    throw StoreError("'" + user->username + "' is the site's only admin: give another user the admin role first");
  SiteStore::Transaction tx(site_.store());
  auto clear = site_.store().prepare("DELETE FROM user_roles WHERE user_id = ?");
  clear.bind(1, userId).run();
  storeRoles(userId, roles);
  site_.audit(actingUserId_, "user.roles", 0, user->username + ": " + roleNames(user->roles) + " -> " + roleNames(roles));
  tx.commit();
}

void UserDirectory::storeRoles(int64_t userId, const Roles& roles) {
  for (Role r : roles) {
    auto st = site_.store().prepare("INSERT INTO user_roles(user_id, role) VALUES(?, ?)");
    st.bind(1, userId).bind(2, roleName(r)).run();
  }
}

Roles UserDirectory::rolesOf(int64_t userId) {
  Roles roles;
  auto st = site_.store().prepare("SELECT role FROM user_roles WHERE user_id = ?");
  st.bind(1, userId);
  while (st.step()) roles.insert(roleFrom(st.text(0)));
  return roles;
}

int UserDirectory::backOffSeconds(int failures) { return BackOff::delayAfter(failures); }

int UserDirectory::secondsToWait(const std::string& username) {
  auto st = site_.store().prepare("SELECT failures, last_failure_at FROM sign_in_failures WHERE username = ?");
  st.bind(1, username);
  if (!st.step()) return 0;
  const QDateTime last = QDateTime::fromString(QString::fromStdString(st.text(1)), Qt::ISODateWithMs);
  const qint64 waited = last.isValid() ? last.secsTo(clock_()) : 0;
  return int(std::max<qint64>(0, backOffSeconds(int(st.int64(0))) - waited));
}

void UserDirectory::recordFailure(const std::string& username) {
  // SQLCipher 3.4 is SQLite 3.15: no UPSERT, so update and insert when there was no row.
  const std::string now = clock_().toUTC().toString(Qt::ISODateWithMs).toStdString();
  auto up = site_.store().prepare(
      "UPDATE sign_in_failures SET failures = failures + 1, last_failure_at = ? WHERE username = ?");
  up.bind(1, now).bind(2, username).run();
  if (site_.store().changes() > 0) return;
  auto ins = site_.store().prepare("INSERT INTO sign_in_failures(username, failures, last_failure_at) VALUES(?, 1, ?)");
  ins.bind(1, username).bind(2, now).run();
}

SignInResult UserDirectory::signIn(const std::string& username, const std::string& password) {
  if (const int wait = secondsToWait(username); wait > 0) {
    site_.audit(0, "login.delayed", 0, "'" + username + "' must wait " + std::to_string(wait) + " s");
    return {std::nullopt, wait, true};
  }
  auto st = site_.store().prepare(
      "SELECT id, display_name, salt, pass_hash, kdf FROM users WHERE username = ? AND active = 1");
  st.bind(1, username);
  const bool known = st.step();
  // An unknown name costs the same hash as a known one: the time taken does not tell them apart.
  const std::vector<uint8_t> salt = known ? st.blob(2) : std::vector<uint8_t>(16, 0);
  const int iterations = known ? iterationsOf(st.text(4)) : kIterations;
  const std::vector<uint8_t> computed = pbkdf2(password, salt, iterations > 0 ? iterations : kIterations);
  const bool match = known && iterations > 0 && sameHash(computed, st.blob(3));
  if (!match) {
    recordFailure(username);
    // Nobody is signed in yet: a failed attempt is listed under the account it tried, when there is one.
    site_.audit(known ? st.int64(0) : 0, "login.failed", 0,
                known ? "wrong password" : "unknown or inactive user name '" + username + "'");
    return {std::nullopt, secondsToWait(username), false};
  }
  User u{st.int64(0), username, st.text(1), rolesOf(st.int64(0))};
  if (st.text(4) != kCurrentKdf) {  // made with older parameters: re-hashed now that the password is known
    const std::vector<uint8_t> fresh = newSalt();
    auto up = site_.store().prepare("UPDATE users SET salt = ?, pass_hash = ?, kdf = ? WHERE id = ?");
    up.bindBlob(1, fresh).bindBlob(2, pbkdf2(password, fresh, kIterations)).bind(3, kCurrentKdf).bind(4, u.id).run();
  }
  auto clear = site_.store().prepare("DELETE FROM sign_in_failures WHERE username = ?");
  clear.bind(1, username).run();
  site_.audit(u.id, "login", 0, {});
  return {u, 0, false};
}

std::vector<User> UserDirectory::users() {
  std::vector<User> out;
  auto st = site_.store().prepare("SELECT id, username, display_name FROM users ORDER BY username");
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.text(2), {}});
  for (User& u : out) u.roles = rolesOf(u.id);
  return out;
}

std::optional<User> UserDirectory::find(int64_t id) {
  auto st = site_.store().prepare("SELECT username, display_name FROM users WHERE id = ? AND active = 1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return User{id, st.text(0), st.text(1), rolesOf(id)};
}

void UserDirectory::checkActingAdmin(const std::string& action) {
  // The system (no acting user) adds only the site's first user, at its creation.
  if (actingUserId_ == 0 && count() == 0) return;
  requireRole(site_, actingUserId_, Role::Admin, "Managing users", action);
}

int UserDirectory::count() { return int(site_.store().queryInt("SELECT count(*) FROM users")); }

}  // namespace fedmrg::app
