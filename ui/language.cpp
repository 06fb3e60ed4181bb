#include "ui/language.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QLibraryInfo>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTranslator>
#include <memory>

#include "ui/action_hints.h"

namespace fedmrg::ui {
namespace {

const QString kSettingKey = QStringLiteral("ui/language");

// The translators in use: kept for the program's life, removed when another language is applied.
std::vector<std::unique_ptr<QTranslator>>& installed() {
  static std::vector<std::unique_ptr<QTranslator>> translators;
  return translators;
}

}  // namespace

const std::vector<Language>& languages() {
  static const std::vector<Language> all{{QStringLiteral("en"), QStringLiteral("English")},
                                         {QStringLiteral("de"), QStringLiteral("Deutsch")},
                                         {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
  return all;
}

QString storedLanguage() { return QSettings().value(kSettingKey).toString(); }

void storeLanguage(const QString& code) {
  QSettings settings;
  if (code.isEmpty()) settings.remove(kSettingKey);
  else settings.setValue(kSettingKey, code);
}

QString effectiveLanguage(const QString& stored, const QLocale& system) {
  for (const auto& l : languages())
    if (l.code == stored) return stored;
  if (system.language() == QLocale::German) return QStringLiteral("de");
  // Simplified Chinese only: a Traditional Chinese reader is better served by English than by
  // characters of the other script.
  if (system.language() == QLocale::Chinese && system.script() != QLocale::TraditionalChineseScript &&
      system.territory() != QLocale::Taiwan && system.territory() != QLocale::HongKong)
    return QStringLiteral("zh_CN");
  return QStringLiteral("en");
}

bool applyLanguage(const QString& code) {
  for (auto& t : installed()) QCoreApplication::removeTranslator(t.get());
  installed().clear();
  if (code == QLatin1String("en")) return true;
  auto own = std::make_unique<QTranslator>();
  if (!own->load(QStringLiteral(":/i18n/fedmrg_%1.qm").arg(code))) return false;
  QCoreApplication::installTranslator(own.get());
  installed().push_back(std::move(own));
  // Qt's own (OK, Cancel, Close, key names such as Strg): from the system's Qt when installed
  // (Debian: qt6-translations-l10n); without it those few words stay English.
  auto qt = std::make_unique<QTranslator>();
  if (qt->load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(qt.get());
    installed().push_back(std::move(qt));
  }
  return true;
}

QMenu* addLanguageMenu(QMenu* parent, QStatusBar* status) {
  QMenu* menu = parent->addMenu(QObject::tr("&Language"));
  menu->setObjectName(QStringLiteral("languageMenu"));
  auto* group = new QActionGroup(menu);
  const QString stored = storedLanguage();
  auto add = [&](const QString& code, const QString& name) {
    QAction* action = menu->addAction(name);
    action->setCheckable(true);
    action->setChecked(code == stored);
    action->setData(code);
    action->setToolTip(code.isEmpty() ? QObject::tr("Use the system's language when it is translated, else English")
                                      : QObject::tr("Show the workstation in %1 from the next start").arg(name));
    exemptFromShortcut(action, "a choice made once, in a submenu the menu's own keys reach");
    group->addAction(action);
    QObject::connect(action, &QAction::triggered, menu, [code, status] {
      storeLanguage(code);
      status->showMessage(QObject::tr("The language changes at the next start of the workstation."), 15000);
    });
  };
  add(QString(), QObject::tr("System language"));
  for (const auto& l : languages()) add(l.code, l.name);
  return menu;
}

}  // namespace fedmrg::ui
