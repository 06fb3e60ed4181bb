#pragma once
// A site on disk: a folder holding the encrypted store (site.db) and the managed image folder
// (images/). Creating one records the site's name and its first administrator.
#include <QString>
#include <memory>

#include "app/site/image_vault.h"
#include "app/site/site_store.h"
#include "app/site/user_directory.h"

namespace fedmrg::app {

class Site {
 public:
  // True when `dir` holds a site store.
  static bool exists(const QString& dir);
  // Creates the folder, the encrypted store, the site name and the first admin user, all or
  // nothing: site.db appears only once the admin exists. Throws StoreError, leaving no site.db,
  // when a site exists there already, an input is refused (no site name, no passphrase, no admin
  // user name, an admin password shorter than 8, `adminRoles` without admin) or the store cannot be
  // made. `adminRoles`: the first admin may also be a radiologist who signs reports, by the setup
  // dialog's choice; the default keeps what sites were before roles became a set (the first user signed).
  static std::unique_ptr<Site> create(const QString& dir, const std::string& passphrase, const std::string& siteName,
                                      const std::string& adminUser, const std::string& adminDisplayName,
                                      const std::string& adminPassword,
                                      const Roles& adminRoles = {Role::Admin, Role::Radiologist});
  // Opens an existing site: makes its folders private (0700) and its store 0600, gives a site made
  // before images were encrypted its image key, and seals any plain image file left (see
  // image_migration.h). Throws StoreError (wrong passphrase, not encrypted, no site) or VaultError.
  static std::unique_ptr<Site> open(const QString& dir, const std::string& passphrase);

  SiteStore& store() { return *store_; }
  const QString& dir() const { return dir_; }
  QString imageDir() const;
  // The site's encrypted image files; shared with the workers that decode on other threads.
  std::shared_ptr<const ImageVault> vault() const { return vault_; }
  std::string name();

  // Appends an audit entry: who (user id; 0, the system, only for what no user caused), what, on
  // which study (0: none). The same as recordAudit() in audit_trail.h, which writes every entry.
  void audit(int64_t userId, const std::string& action, int64_t studyId = 0, const std::string& detail = {});

 private:
  Site(QString dir, std::unique_ptr<SiteStore> store);
  QString dir_;
  std::unique_ptr<SiteStore> store_;
  std::shared_ptr<const ImageVault> vault_;
};

// The current time as ISO 8601 UTC with milliseconds, the format every table stores.
std::string nowUtc();

}  // namespace fedmrg::app
