#include "app/site/site.h"

#include <QDateTime>
#include <QDir>

#include "app/site/user_directory.h"

namespace fedmrg::app {
namespace {
QString storePath(const QString& dir) { return QDir(dir).filePath(QStringLiteral("site.db")); }
}  // namespace

std::string nowUtc() {
  return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
}

bool Site::exists(const QString& dir) { return QFile::exists(storePath(dir)); }

std::unique_ptr<Site> Site::create(const QString& dir, const std::string& passphrase, const std::string& siteName,
                                   const std::string& adminUser, const std::string& adminDisplayName,
                                   const std::string& adminPassword) {
  if (exists(dir)) throw StoreError(dir.toStdString() + ": a site exists here already");
  if (siteName.empty()) throw StoreError("the site needs a name");
  if (!QDir().mkpath(dir) || !QDir().mkpath(QDir(dir).filePath(QStringLiteral("images"))))
    throw StoreError(dir.toStdString() + ": cannot create the site folder");
  std::unique_ptr<Site> site(new Site(dir, SiteStore::open(storePath(dir).toStdString(), passphrase, true)));
  SiteStore::Transaction tx(site->store());
  site->store().setSetting("site.name", siteName);
  site->store().setSetting("site.created_at", nowUtc());
  UserDirectory users(*site);
  const int64_t admin = users.addUser(adminUser, adminDisplayName, Role::Admin, adminPassword);
  site->audit(admin, "site.create", 0, siteName);
  tx.commit();
  return site;
}

std::unique_ptr<Site> Site::open(const QString& dir, const std::string& passphrase) {
  if (!exists(dir)) throw StoreError(dir.toStdString() + ": no site here (site.db is missing)");
  QDir().mkpath(QDir(dir).filePath(QStringLiteral("images")));
  return std::unique_ptr<Site>(new Site(dir, SiteStore::open(storePath(dir).toStdString(), passphrase, false)));
}

Site::Site(QString dir, std::unique_ptr<SiteStore> store) : dir_(std::move(dir)), store_(std::move(store)) {}

QString Site::imageDir() const { return QDir(dir_).filePath(QStringLiteral("images")); }

std::string Site::name() { return store_->setting("site.name").value_or(""); }

void Site::audit(int64_t userId, const std::string& action, int64_t studyId, const std::string& detail) {
  auto st = store_->prepare("INSERT INTO audit_log(at, user_id, action, study_id, detail) VALUES(?, ?, ?, ?, ?)");
  st.bind(1, nowUtc());
  if (userId > 0) st.bind(2, userId); else st.bindNull(2);
  st.bind(3, action);
  if (studyId > 0) st.bind(4, studyId); else st.bindNull(4);
  st.bind(5, detail).run();
}

}  // namespace fedmrg::app
