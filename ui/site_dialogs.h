#pragma once
// Start-up dialogs: first-start site creation, unlocking the encrypted store (another try after a
// wrong passphrase) and signing in as a local user.
#include <QDialog>
#include <memory>
#include <optional>

#include "app/site/site.h"
#include "app/site/user_directory.h"

class QLabel;
class QLineEdit;

namespace fedmrg::ui {

class SetupDialog : public QDialog {
  Q_OBJECT

 public:
  explicit SetupDialog(const QString& siteDir, QWidget* parent = nullptr);
  std::unique_ptr<app::Site> takeSite() { return std::move(site_); }

  QLineEdit* siteName;
  QLineEdit* passphrase;
  QLineEdit* passphraseAgain;
  QLineEdit* adminUser;
  QLineEdit* adminName;
  QLineEdit* adminPassword;

 public slots:
  void accept() override;

 private:
  QString dir_;
  QLabel* error_;
  std::unique_ptr<app::Site> site_;
};

class UnlockDialog : public QDialog {
  Q_OBJECT

 public:
  explicit UnlockDialog(const QString& siteDir, QWidget* parent = nullptr);
  std::unique_ptr<app::Site> takeSite() { return std::move(site_); }
  QLineEdit* passphrase;
  QLabel* error() const { return error_; }

 public slots:
  // Tries the passphrase: opens the site, or shows why not and asks again.
  void accept() override;

 private:
  QString dir_;
  QLabel* error_;
  std::unique_ptr<app::Site> site_;
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

}  // namespace fedmrg::ui
