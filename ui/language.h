#pragma once
// The workstation's language (issue 14, item 6): English (the source text), German or Simplified
// Chinese, from the translations embedded in the program (translations/, docs/workstation.md
// "Translations"). The choice is a setting of the OS user, applied at the next start; without one,
// the system's language when it is translated, else English.
#include <QLocale>
#include <QString>
#include <vector>

class QMenu;
class QStatusBar;

namespace fedmrg::ui {

struct Language {
  QString code;  // "en", "de", "zh_CN": the suffix of translations/fedmrg_<code>.ts
  QString name;  // in its own language, so that anyone finds theirs
};

// Every language the workstation is translated into, English first.
const std::vector<Language>& languages();

// The stored choice: a code from languages(), or empty for "the system's language".
QString storedLanguage();
void storeLanguage(const QString& code);

// The language to show: `stored` when it is one of languages(), else the one that matches
// `system` (its language, and for Chinese its script), else "en".
QString effectiveLanguage(const QString& stored, const QLocale& system = QLocale::system());

// Installs the translations of `code` into the application (the workstation's own and, where Qt's
// are installed, Qt's for its standard buttons and key names), replacing any installed before.
// English installs none. False when `code` has no embedded translation.
bool applyLanguage(const QString& code);

// View ▸ Language: the system's language or one of languages(), checked as stored; choosing one
// stores it and says in `status` that it applies at the next start.
QMenu* addLanguageMenu(QMenu* parent, QStatusBar* status);

}  // namespace fedmrg::ui
