// The workstation's language: the setting decides, else the system's language when it is
// translated, else English; the embedded German and Chinese translations reach the menus, the
// report editor's buttons and section headers, and the status filter; View > Language stores the
// choice. The report's own text (FINDINGS: / IMPRESSION: as the model writes it) is not a UI string.
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLibraryInfo>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
#include <QtTest>

#include "ui/language.h"
#include "ui/main_window.h"
#include "ui/report_editor.h"
#include "ui/widget_test_main.h"
#include "ui/workstation_fixture.h"

using namespace fedmrg;

class TstLanguage : public QObject {
  Q_OBJECT

  testing::WorkstationFixture fixture_;  // the site and its user; windows are made by each test
  app::User& user_ = fixture_.user;

  std::unique_ptr<ui::MainWindow> window() { return fixture_.newWindow(user_); }

  static QStringList menuTitles(ui::MainWindow& w) {
    QStringList titles;
    for (QAction* a : w.menuBar()->actions()) titles << a->text();
    return titles;
  }

  static QStringList labels(QWidget* w) {
    QStringList texts;
    for (QLabel* l : w->findChildren<QLabel*>()) texts << l->text();
    return texts;
  }

  static QAction* menuAction(ui::MainWindow& w, const QString& text) {
    for (QAction* a : w.findChildren<QAction*>())
      if (a->text() == text) return a;
    return nullptr;
  }

  // The menu bar's Alt+letter keys: unique in every language, or one of two menus is unreachable.
  static void mnemonicsUnique(ui::MainWindow& w) {
    QSet<QString> seen;
    for (const QString& title : menuTitles(w)) {
      const QString key = QKeySequence::mnemonic(title).toString(QKeySequence::PortableText);
      QVERIFY2(!key.isEmpty(), qPrintable(title + " has no Alt key"));
      QVERIFY2(!seen.contains(key), qPrintable(title + " repeats " + key));
      seen << key;
    }
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    QVERIFY(fixture_.createSite());
  }

  void theSettingThenTheSystemThenEnglish() {
    QCOMPARE(ui::effectiveLanguage("de", QLocale(QLocale::Chinese, QLocale::China)), QString("de"));
    QCOMPARE(ui::effectiveLanguage("", QLocale(QLocale::German, QLocale::Austria)), QString("de"));
    QCOMPARE(ui::effectiveLanguage("", QLocale(QLocale::Chinese, QLocale::China)), QString("zh_CN"));
    QCOMPARE(ui::effectiveLanguage("", QLocale(QLocale::Chinese, QLocale::Taiwan)), QString("en"));
    QCOMPARE(ui::effectiveLanguage("", QLocale(QLocale::French, QLocale::France)), QString("en"));
    QCOMPARE(ui::effectiveLanguage("xx", QLocale(QLocale::German, QLocale::Germany)),
             QString("de"));  // unknown setting
  }

  void everyLanguageIsEmbedded() {
    for (const auto& l : ui::languages()) QVERIFY2(ui::applyLanguage(l.code), qPrintable(l.code));
    QVERIFY(!ui::applyLanguage("fr"));
    QVERIFY(ui::applyLanguage("en"));
  }

  // Menu titles, the Generate draft button, the editor's section headers and a chip, per language.
  void shownIn_data() {
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("titles");
    QTest::addColumn<QString>("generate");
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<int>("chip");
    QTest::addColumn<QString>("chipText");  // the stored label stays English
    QTest::newRow("German") << "de"
                            << QStringList{"&Datei", "&Arbeitsliste", "A&nsicht", "&Messen", "&Bericht", "&Hilfe"}
                            << "Entwurf erstellen" << QStringList{"BEFUND", "BEURTEILUNG"} << 2
                            << "Kardiomegalie: leer";
    QTest::newRow("Chinese") << "zh_CN"
                             << QStringList{"文件(&F)", "工作列表(&W)", "视图(&V)", "测量(&M)", "报告(&R)", "帮助(&H)"}
                             << "生成草稿" << QStringList{"影像所见", "印象"} << 10 << "胸腔积液：空白";
  }

  void shownIn() {
    QFETCH(QString, code);
    QFETCH(QStringList, titles);
    QFETCH(QString, generate);
    QFETCH(QStringList, headers);
    QFETCH(int, chip);
    QFETCH(QString, chipText);
    QVERIFY(ui::applyLanguage(code));
    auto w = window();
    const QStringList shown = menuTitles(*w);
    for (const QString& t : titles) QVERIFY2(shown.contains(t), qPrintable(shown.join(", ")));
    mnemonicsUnique(*w);
    QCOMPARE(w->reportEditor()->generateButton()->text(), generate);
    for (const QString& h : headers)
      QVERIFY2(labels(w->reportEditor()).contains(h), qPrintable(labels(w->reportEditor()).join(" | ")));
    QCOMPARE(w->reportEditor()->chip(chip)->text(), chipText);
  }

  void germanStatusWordsAndKeys() {
    QVERIFY(ui::applyLanguage("de"));
    auto w = window();
    QCOMPARE(w->statusFilterBox()->itemText(0), QString("Alle Status"));
    QCOMPARE(w->statusFilterBox()->itemText(2), QString("Entwurf"));
    // Qt's own German (Strg for Ctrl) where the system has it (Debian: qt6-translations-l10n).
    if (QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath) + "/qtbase_de.qm")) {
      QAction* save = menuAction(*w, "&Speichern");
      QVERIFY(save);
      QVERIFY2(save->toolTip().contains("Strg+S"), qPrintable(save->toolTip()));
    }
  }

  void englishAgain() {
    QVERIFY(ui::applyLanguage("en"));
    auto w = window();
    QVERIFY(menuTitles(*w).contains("&File"));
    QCOMPARE(w->reportEditor()->generateButton()->text(), QString("Generate draft"));
  }

  void theLanguageMenuStoresTheChoice() {
    auto w = window();
    auto* menu = w->findChild<QMenu*>(QStringLiteral("languageMenu"));
    QVERIFY(menu);
    QAction* deutsch = menuAction(*w, "Deutsch");
    QVERIFY(deutsch);
    deutsch->trigger();
    QCOMPARE(ui::storedLanguage(), QString("de"));
    QVERIFY(!w->statusBar()->currentMessage().isEmpty());  // a restart applies it, and it says so
    QCOMPARE(ui::effectiveLanguage(ui::storedLanguage(), QLocale(QLocale::French)), QString("de"));
    // A new window shows the stored choice checked.
    auto next = window();
    QVERIFY(menuAction(*next, "Deutsch")->isChecked());
    menuAction(*next, QString::fromUtf8("简体中文"))->trigger();
    QCOMPARE(ui::storedLanguage(), QString("zh_CN"));
    menuAction(*next, "System language")->trigger();
    QVERIFY(ui::storedLanguage().isEmpty());
  }

  void cleanupTestCase() { fixture_.site.reset(); }
};

FEDMRG_WIDGET_TEST_MAIN(TstLanguage)
#include "tst_language.moc"
