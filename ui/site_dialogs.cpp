#include "ui/site_dialogs.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/site/site.h"

namespace fedmrg::ui {
namespace {

QLineEdit* secretField(QWidget* parent) {
  auto* field = new QLineEdit(parent);
  field->setEchoMode(QLineEdit::Password);
  return field;
}

QLabel* errorLabel(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setTextFormat(Qt::PlainText);  // reasons quote paths and names, never markup
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("QLabel { color: #c03030; }"));
  return label;
}

// Form + error line + OK/Cancel, the layout every start-up dialog shares.
QFormLayout* dialogFrame(QDialog* dialog, const QString& intro, QLabel* error) {
  auto* layout = new QVBoxLayout(dialog);
  auto* introLabel = new QLabel(intro, dialog);
  introLabel->setTextFormat(Qt::PlainText);  // names the site and its folder
  introLabel->setWordWrap(true);
  layout->addWidget(introLabel);
  auto* form = new QFormLayout;
  layout->addLayout(form);
  layout->addWidget(error);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
  QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
  QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  layout->addWidget(buttons);
  return form;
}

}  // namespace

SiteDialog::SiteDialog(QString siteDir, QWidget* parent)
    : QDialog(parent), dir_(std::move(siteDir)), error_(errorLabel(this)) {}

SetupDialog::SetupDialog(const QString& siteDir, QWidget* parent) : SiteDialog(siteDir, parent) {
  setWindowTitle(tr("Create the site"));
  auto* form = dialogFrame(this,
                           tr("No site exists at %1 yet. Create it: its database (study details, reports, users, "
                              "audit log) is encrypted with the passphrase, which cannot be recovered if it is "
                              "lost. Imported DICOM files are kept unencrypted in the site's images folder.")
                               .arg(QDir::toNativeSeparators(siteDir)),
                           error_);
  siteName = new QLineEdit(this);
  passphrase = secretField(this);
  passphraseAgain = secretField(this);
  adminUser = new QLineEdit(this);
  adminName = new QLineEdit(this);
  adminPassword = secretField(this);
  form->addRow(tr("Site name"), siteName);
  form->addRow(tr("Store passphrase"), passphrase);
  form->addRow(tr("Passphrase again"), passphraseAgain);
  form->addRow(tr("Administrator user name"), adminUser);
  form->addRow(tr("Administrator full name"), adminName);
  form->addRow(tr("Administrator password"), adminPassword);
  adminIsRadiologist = new QCheckBox(tr("The administrator also reads and signs reports (radiologist role)"), this);
  adminIsRadiologist->setToolTip(tr("Only radiologists sign reports. Leave this off when the administrator is not a "
                                    "radiologist; radiologists are added later under File, Users."));
  form->addRow(QString(), adminIsRadiologist);
}

void SetupDialog::accept() {
  if (passphrase->text().size() < 8) return error_->setText(tr("The passphrase needs at least 8 characters."));
  if (passphrase->text() != passphraseAgain->text()) return error_->setText(tr("The two passphrases differ."));
  try {
    site_ = app::Site::create(dir_, passphrase->text().toStdString(), siteName->text().trimmed().toStdString(),
                              adminUser->text().trimmed().toStdString(), adminName->text().trimmed().toStdString(),
                              adminPassword->text().toStdString(),
                              adminIsRadiologist->isChecked() ? app::Roles{app::Role::Admin, app::Role::Radiologist}
                                                              : app::Roles{app::Role::Admin});
    QDialog::accept();
  } catch (const std::exception& e) {
    error_->setText(QString::fromUtf8(e.what()));
  }
}

UnlockDialog::UnlockDialog(const QString& siteDir, QWidget* parent) : SiteDialog(siteDir, parent) {
  setWindowTitle(tr("Unlock the site"));
  auto* form = dialogFrame(this, tr("The database of the site at %1 is encrypted.").arg(QDir::toNativeSeparators(siteDir)), error_);
  passphrase = secretField(this);
  form->addRow(tr("Passphrase"), passphrase);
}

namespace {
QString waitText(int seconds) {
  return QObject::tr("Too many failed attempts: wait %n s before trying again.", nullptr, seconds);
}
}  // namespace

void UnlockDialog::accept() {
  if (const int wait = backOff_.secondsToWait(); wait > 0) {
    error_->setText(waitText(wait));
    return;
  }
  try {
    site_ = app::Site::open(dir_, passphrase->text().toStdString());
    backOff_.succeeded();
    QDialog::accept();
  } catch (const std::exception& e) {
    const QString why = QString::fromUtf8(e.what());
    const bool wrong = why.contains(QLatin1String("wrong passphrase"));
    if (wrong) backOff_.failed();
    const int wait = backOff_.secondsToWait();
    error_->setText(wrong ? tr("Wrong passphrase.") + QLatin1Char(' ') + (wait > 0 ? waitText(wait) : tr("Try again."))
                          : why);
    passphrase->clear();
    passphrase->setFocus();
  }
}

LoginDialog::LoginDialog(app::Site& site, QWidget* parent) : QDialog(parent), site_(site) {
  setWindowTitle(tr("Sign in"));
  error_ = errorLabel(this);
  auto* form = dialogFrame(this, tr("Sign in to %1.").arg(QString::fromStdString(site.name())), error_);
  username = new QLineEdit(this);
  password = secretField(this);
  form->addRow(tr("User name"), username);
  form->addRow(tr("Password"), password);
}

void LoginDialog::accept() {
  const app::SignInResult r =
      app::UserDirectory(site_).signIn(username->text().trimmed().toStdString(), password->text().toStdString());
  user_ = r.user;
  if (user_) return QDialog::accept();
  const QString wait = r.waitSeconds > 0 ? waitText(r.waitSeconds) : QString();
  error_->setText(r.refused ? wait : (tr("Wrong user name or password.") + QLatin1Char(' ') + wait).trimmed());
  password->clear();
  password->setFocus();
}

UsersDialog::UsersDialog(app::Site& site, app::User admin, QWidget* parent)
    : QDialog(parent), site_(site), admin_(std::move(admin)) {
  setWindowTitle(tr("Users"));
  auto* layout = new QVBoxLayout(this);
  list = new QListWidget(this);
  layout->addWidget(list);
  auto* form = new QFormLayout;
  username = new QLineEdit(this);
  displayName = new QLineEdit(this);
  password = secretField(this);
  radiologistRole = new QCheckBox(tr("radiologist (signs reports)"), this);
  radiologistRole->setChecked(true);
  adminRole = new QCheckBox(tr("admin (users, PACS, audit export, federation)"), this);
  auto* roles = new QHBoxLayout;
  roles->addWidget(radiologistRole);
  roles->addWidget(adminRole);
  form->addRow(tr("User name"), username);
  form->addRow(tr("Full name"), displayName);
  form->addRow(tr("Password"), password);
  form->addRow(tr("Roles"), roles);
  layout->addLayout(form);
  error_ = errorLabel(this);
  layout->addWidget(error_);
  auto* add = new QPushButton(tr("Add user"), this);
  add->setToolTip(tr("Add a local user with the name, password and roles above"));
  connect(add, &QPushButton::clicked, this, &UsersDialog::addUser);
  auto* setRolesButton = new QPushButton(tr("Set roles of the selected user"), this);
  setRolesButton->setToolTip(tr("Give the user selected in the list the roles ticked above"));
  connect(setRolesButton, &QPushButton::clicked, this, &UsersDialog::setRoles);
  auto* actions = new QHBoxLayout;
  actions->addWidget(add);
  actions->addWidget(setRolesButton);
  layout->addLayout(actions);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  reload();
}

void UsersDialog::reload() {
  list->clear();
  for (const auto& u : app::UserDirectory(site_).users()) {
    auto* item = new QListWidgetItem(QStringLiteral("%1 (%2) — %3")
                                         .arg(QString::fromStdString(u.username), QString::fromStdString(u.displayName),
                                              QString::fromStdString(app::roleNames(u.roles))),
                                     list);
    item->setData(Qt::UserRole, qint64(u.id));
  }
}

app::Roles UsersDialog::chosenRoles() const {
  app::Roles roles;
  if (radiologistRole->isChecked()) roles.insert(app::Role::Radiologist);
  if (adminRole->isChecked()) roles.insert(app::Role::Admin);
  return roles;
}

bool UsersDialog::setRoles() {
  if (!list->currentItem()) {
    error_->setText(tr("Select the user whose roles to set."));
    return false;
  }
  try {
    app::UserDirectory(site_, admin_.id).setRoles(list->currentItem()->data(Qt::UserRole).toLongLong(), chosenRoles());
  } catch (const std::exception& e) {
    error_->setText(QString::fromUtf8(e.what()));
    return false;
  }
  error_->clear();
  reload();
  return true;
}

bool UsersDialog::addUser() {
  try {
    app::UserDirectory(site_, admin_.id)
        .addUser(username->text().trimmed().toStdString(), displayName->text().trimmed().toStdString(),
                 chosenRoles(), password->text().toStdString());
  } catch (const std::exception& e) {
    error_->setText(QString::fromUtf8(e.what()));
    return false;
  }
  error_->clear();
  username->clear();
  displayName->clear();
  password->clear();
  reload();
  return true;
}

}  // namespace fedmrg::ui
