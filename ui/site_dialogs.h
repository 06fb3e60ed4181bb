#pragma once
// Start-up dialogs: first-start site creation, unlocking the encrypted store (another try after a
// wrong passphrase) and signing in as a local user.
#include <QDialog>
#include <memory>
#include <optional>

#include "app/site/back_off.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace fedmrg::ui {

// A dialog that ends with an open site (created or unlocked) for the caller to take.
class SiteDialog : public QDialog {
  Q_OBJECT

 public:
  std::unique_ptr<app::Site> takeSite() { return std::move(site_); }
  QLabel* error() const { return error_; }

 protected:
  SiteDialog(QString siteDir, QWidget* parent);
  QString dir_;
  QLabel* error_;
  std::unique_ptr<app::Site> site_;
};

class SetupDialog : public SiteDialog {
  Q_OBJECT

 public:
  explicit SetupDialog(const QString& siteDir, QWidget* parent = nullptr);
  QLineEdit* siteName;
  QLineEdit* passphrase;
  QLineEdit* passphraseAgain;
  QLineEdit* adminUser;
  QLineEdit* adminName;
  QLineEdit* adminPassword;
  // The first admin may also read and sign reports (the radiologist role); off unless chosen.
  QCheckBox* adminIsRadiologist;

 public slots:
  void accept() override;
};

class UnlockDialog : public SiteDialog {
  Q_OBJECT

 public:
  explicit UnlockDialog(const QString& siteDir, QWidget* parent = nullptr);
  QLineEdit* passphrase;
  // Wrong passphrases make the next try wait (kept in memory: the store is still locked).
  app::BackOff& backOff() { return backOff_; }

 public slots:
  // Tries the passphrase: opens the site, or shows why not (and how long to wait) and asks again.
  void accept() override;

 private:
  app::BackOff backOff_;
};

class LoginDialog : public QDialog {
  Q_OBJECT

 public:
  explicit LoginDialog(app::Site& site, QWidget* parent = nullptr);
  std::optional<app::User> user() const { return user_; }
  QLineEdit* username;
  QLineEdit* password;
  QLabel* error() const { return error_; }

 public slots:
  void accept() override;

 private:
  app::Site& site_;
  QLabel* error_;
  std::optional<app::User> user_;
};

// The site's users (admins only): the list with their roles, a form to add one, and the roles of the
// selected user changed with the same two boxes. What the form changes is done by, and audited as,
// the signed-in administrator `admin`.
class UsersDialog : public QDialog {
  Q_OBJECT

 public:
  UsersDialog(app::Site& site, app::User admin, QWidget* parent = nullptr);
  QLineEdit* username;
  QLineEdit* displayName;
  QLineEdit* password;
  QCheckBox* radiologistRole;  // the roles of a new user, or the new roles of the selected one
  QCheckBox* adminRole;
  QListWidget* list;  // each item's data: the user id
  QLabel* error() const { return error_; }

 public slots:
  // Adds the user in the form; the list shows it, or the error line says why not.
  bool addUser();
  // Gives the selected user the roles the boxes show; the error line says why not.
  bool setRoles();

 private:
  app::Roles chosenRoles() const;
  void reload();
  app::Site& site_;
  app::User admin_;
  QLabel* error_;
};

}  // namespace fedmrg::ui
