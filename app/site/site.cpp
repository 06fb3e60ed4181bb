#include "app/site/site.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

#include "app/site/audit_trail.h"
#include "app/site/image_migration.h"
#include "app/site/user_directory.h"

namespace fedmrg::app {
namespace {
QString storePath(const QString& dir) { return QDir(dir).filePath(QStringLiteral("site.db")); }

// A store file and its write-ahead log and shared-memory index.
void removeStoreFiles(const QString& path) {
  for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
    QFile::remove(path + suffix);
}

// The store and its log files: owner only, whatever the umask gave them.
void makeStorePrivate(const QString& path) {
  for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
    if (QFile::exists(path + suffix)) ::chmod(QFile::encodeName(path + suffix).constData(), S_IRUSR | S_IWUSR);
}

// The image key is stored hex-encoded in the settings table (inside the encrypted store).
constexpr const char* kImageKeySetting = "images.key";
}  // namespace

std::string nowUtc() {
  return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
}

bool Site::exists(const QString& dir) { return QFile::exists(storePath(dir)); }

std::unique_ptr<Site> Site::create(const QString& dir, const std::string& passphrase, const std::string& siteName,
                                   const std::string& adminUser, const std::string& adminDisplayName,
                                   const std::string& adminPassword, const Roles& adminRoles) {
  if (exists(dir)) throw StoreError(dir.toStdString() + ": a site exists here already");
  // Everything that can be refused is refused before anything is written.
  if (siteName.empty()) throw StoreError("the site needs a name");
  if (passphrase.empty()) throw StoreError("a passphrase is required; the store is always encrypted");
  if (const std::string problem = UserDirectory::newUserProblem(adminUser, adminPassword); !problem.empty())
    throw StoreError(problem);
  if (!adminRoles.count(Role::Admin)) throw StoreError("the site's first user must hold the admin role");
  const bool dirExisted = QFileInfo(dir).isDir();
  try {
    makePrivateDir(dir);
  } catch (const VaultError& e) {
    throw StoreError(e.what());
  }
  // The store is built under another name and renamed to site.db only once its admin exists: a
  // failure, or a kill half-way, leaves no site.db, so the next start offers to create the site again
  // instead of unlocking a site nobody can sign in to.
  const QString building = QDir(dir).filePath(QStringLiteral(".site.db.creating"));
  removeStoreFiles(building);  // what a killed earlier attempt left
  try {
    {
      Site draft(dir, SiteStore::open(building.toStdString(), passphrase, true));
      SiteStore::Transaction tx(draft.store());
      draft.store().setSetting("site.name", siteName);
      draft.store().setSetting("site.created_at", nowUtc());
      draft.store().setSetting(kImageKeySetting, ImageVault::newKey().toHex().toStdString());
      UserDirectory users(draft, kSystemUser);  // no user exists yet to name as the one who adds the admin
      const int64_t admin = users.addUser(adminUser, adminDisplayName, adminRoles, adminPassword);
      draft.audit(admin, "site.create", 0, siteName);
      tx.commit();
      // Everything into the main file: the write-ahead log is named after the file and would not follow it.
      draft.store().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    if (QFile::exists(building + QStringLiteral("-wal")) && QFileInfo(building + QStringLiteral("-wal")).size() > 0)
      throw StoreError(dir.toStdString() + ": the new store's write-ahead log was not folded into it");
    if (!QFile::rename(building, storePath(dir)))
      throw StoreError(dir.toStdString() + ": cannot move the new store into place as site.db");
    removeStoreFiles(building);
  } catch (...) {
    removeStoreFiles(building);
    if (!dirExisted) QDir().rmdir(dir);  // only when empty: never anything the user put there
    throw;
  }
  return open(dir, passphrase);
}

std::unique_ptr<Site> Site::open(const QString& dir, const std::string& passphrase) {
  if (!exists(dir)) throw StoreError(dir.toStdString() + ": no site here (site.db is missing)");
  makePrivateDir(dir);
  makePrivateDir(QDir(dir).filePath(QStringLiteral("images")));
  std::unique_ptr<Site> site(new Site(dir, SiteStore::open(storePath(dir).toStdString(), passphrase, false)));
  makeStorePrivate(storePath(dir));
  SiteStore& store = site->store();
  std::optional<std::string> key = store.setting(kImageKeySetting);
  if (!key) {  // a site made before images were encrypted: its key, once, before anything is sealed
    key = ImageVault::newKey().toHex().toStdString();
    store.setSetting(kImageKeySetting, *key);
  }
  site->vault_ = std::make_shared<const ImageVault>(dir, QByteArray::fromHex(QByteArray::fromStdString(*key)));
  const ImageMigrationResult moved = sealPlainImages(store, *site->vault_);
  if (moved.sealed > 0 || moved.failed > 0)
    site->audit(kSystemUser, "images.encrypt", 0,
                std::to_string(moved.sealed) + " sealed, " + std::to_string(moved.failed) + " unreadable");
  return site;
}

Site::Site(QString dir, std::unique_ptr<SiteStore> store) : dir_(std::move(dir)), store_(std::move(store)) {}

QString Site::imageDir() const { return QDir(dir_).filePath(QStringLiteral("images")); }

std::string Site::name() { return store_->setting("site.name").value_or(""); }

void Site::audit(int64_t userId, const std::string& action, int64_t studyId, const std::string& detail) {
  recordAudit(*this, userId, action, studyId, detail);
}

}  // namespace fedmrg::app
