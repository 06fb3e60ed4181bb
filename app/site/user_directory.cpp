#include "app/site/user_directory.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include "app/site/site.h"

namespace fedmrg::app {
namespace {

constexpr int kIterations = 60000;

// PBKDF2-HMAC-SHA256 (RFC 8018), one 32-byte block.
QByteArray pbkdf2(const std::string& password, const QByteArray& salt) {
  QMessageAuthenticationCode mac(QCryptographicHash::Sha256, QByteArray::fromStdString(password));
  mac.addData(salt);
  mac.addData(QByteArray::fromHex("00000001"));
  QByteArray u = mac.result(), out = u;
  for (int i = 1; i < kIterations; ++i) {
    mac.reset();
    mac.addData(u);
    u = mac.result();
    for (int k = 0; k < out.size(); ++k) out[k] = char(out[k] ^ u[k]);
  }
  return out;
}

std::vector<uint8_t> bytes(const QByteArray& a) { return {a.begin(), a.end()}; }

Role roleFrom(const std::string& s) { return s == "admin" ? Role::Admin : Role::Radiologist; }

}  // namespace

const char* roleName(Role role) { return role == Role::Admin ? "admin" : "radiologist"; }

std::string UserDirectory::newUserProblem(const std::string& username, const std::string& password) {
  if (username.empty()) return "a user needs a user name";
  if (password.size() < 8) return "the password of '" + username + "' is shorter than 8 characters";
  return {};
}

int64_t UserDirectory::addUser(const std::string& username, const std::string& displayName, Role role,
                               const std::string& password) {
  if (const std::string problem = newUserProblem(username, password); !problem.empty()) throw StoreError(problem);
  checkActingAdmin();
  auto taken = site_.store().prepare("SELECT 1 FROM users WHERE username = ?");
  taken.bind(1, username);
  if (taken.step()) throw StoreError("the user name '" + username + "' is taken");
  QByteArray salt(16, Qt::Uninitialized);
  QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(salt.data()), salt.size() / 4);
  auto st = site_.store().prepare(
      "INSERT INTO users(username, display_name, role, salt, pass_hash, created_at) VALUES(?, ?, ?, ?, ?, ?)");
  st.bind(1, username).bind(2, displayName.empty() ? username : displayName).bind(3, roleName(role));
  st.bindBlob(4, bytes(salt)).bindBlob(5, bytes(pbkdf2(password, salt))).bind(6, nowUtc()).run();
  const int64_t id = site_.store().lastInsertId();
  site_.audit(actingUserId_, "user.add", 0, username + " (" + roleName(role) + ")");
  return id;
}

std::optional<User> UserDirectory::authenticate(const std::string& username, const std::string& password) {
  auto st = site_.store().prepare(
      "SELECT id, display_name, role, salt, pass_hash FROM users WHERE username = ? AND active = 1");
  st.bind(1, username);
  // Nobody is signed in yet: a failed attempt is listed under the account it tried, when there is one.
  if (!st.step()) {
    site_.audit(0, "login.failed", 0, "unknown or inactive user name '" + username + "'");
    return std::nullopt;
  }
  const auto saltBytes = st.blob(3), hash = st.blob(4);
  const QByteArray salt(reinterpret_cast<const char*>(saltBytes.data()), qsizetype(saltBytes.size()));
  if (bytes(pbkdf2(password, salt)) != hash) {
    site_.audit(st.int64(0), "login.failed", 0, "wrong password");
    return std::nullopt;
  }
  User u{st.int64(0), username, st.text(1), roleFrom(st.text(2))};
  site_.audit(u.id, "login", 0, {});
  return u;
}

std::vector<User> UserDirectory::users() {
  std::vector<User> out;
  auto st = site_.store().prepare("SELECT id, username, display_name, role FROM users ORDER BY username");
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.text(2), roleFrom(st.text(3))});
  return out;
}

std::optional<User> UserDirectory::find(int64_t id) {
  auto st = site_.store().prepare("SELECT username, display_name, role FROM users WHERE id = ? AND active = 1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return User{id, st.text(0), st.text(1), roleFrom(st.text(2))};
}

void UserDirectory::checkActingAdmin() {
  if (actingUserId_ == 0) {
    if (count() > 0) throw StoreError("changing users needs a signed-in administrator (no acting user given)");
    return;
  }
  const auto acting = find(actingUserId_);
  if (!acting || acting->role != Role::Admin)
    throw StoreError("only an administrator may add or change users");
}

int UserDirectory::count() { return int(site_.store().queryInt("SELECT count(*) FROM users")); }

}  // namespace fedmrg::app
