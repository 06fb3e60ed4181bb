// The keyboard flow of a reading session, with real key presses (QTest, through Qt's shortcut
// map): Alt+Down / Alt+Up move to the next / previous study while the report text has the focus
// (the worklist, the viewer, the editor and the banner agree, the typed text is kept); Alt+2 and
// Alt+I change the viewer while typing, without a character reaching the text; Ctrl+L and the chip
// keys set chips; Ctrl+Shift+Return signs final and opens the next study still to sign, and stays
// when signing is refused. Every menu shortcut is in the F1 table, and no two share a key (Qt
// ignores an ambiguous shortcut). Every menu action has a shortcut (or a stated reason for none)
// and a tooltip of its own that names the key; every button has a tooltip, which names the key of
// the menu action that does the same.
#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/study_catalog.h"
#include "app/site/worklist_model.h"
#include "ui/action_hints.h"
#include "ui/image_viewer.h"
#include "ui/patient_banner.h"
#include "ui/prior_panel.h"
#include "ui/widget_test_main.h"
#include "ui/workstation_fixture.h"

using namespace fedmrg;

class TstKeyboardFlow : public QObject {
  Q_OBJECT

 private:
  testing::WorkstationFixture fixture_;
  std::unique_ptr<app::Site>& site_ = fixture_.site;
  std::unique_ptr<ui::MainWindow>& window_ = fixture_.window;

  QTableView* view() const { return window_->worklistView(); }
  ui::ReportEditor* editor() const { return window_->reportEditor(); }
  QPlainTextEdit* findings() const { return editor()->findingsEdit(); }

  qint64 studyAtRow(int row) const {
    return view()->model()->index(row, 0).data(app::WorklistModel::StudyIdRole).toLongLong();
  }
  int openRow() const {
    for (int r = 0; r < view()->model()->rowCount(); ++r)
      if (studyAtRow(r) == window_->currentStudy()) return r;
    return -1;
  }

  // Empty when the worklist's current row, the open study, the editor, the banner and the viewer
  // show the same study (and patient); else what differs.
  QString inSync() const {
    const QModelIndex current = view()->currentIndex();
    const qint64 study = current.siblingAtColumn(0).data(app::WorklistModel::StudyIdRole).toLongLong();
    const QString patient = current.siblingAtColumn(app::WorklistModel::PatientId).data().toString();
    if (window_->currentStudy() != study)
      return QStringLiteral("worklist %1, open %2").arg(study).arg(window_->currentStudy());
    if (editor()->study() != study) return QStringLiteral("worklist %1, editor %2").arg(study).arg(editor()->study());
    if (editor()->patientBanner()->patientId() != patient)
      return QStringLiteral("banner %1").arg(editor()->patientBanner()->patientId());
    if (!window_->viewer()->hasImage() || QString::fromStdString(window_->viewer()->image()->info.patientId) != patient)
      return QStringLiteral("the viewer does not show %1").arg(patient);
    return {};
  }

  void press(QWidget* target, Qt::Key key, Qt::KeyboardModifiers modifiers) { fixture_.press(target, key, modifiers); }

  void typeInFindings(const QString& text) {
    findings()->setFocus();
    QTest::keyClicks(findings(), text);
  }

  // The keys of the F1 table, one sequence per key ("Alt+1 / Alt+2" is two).
  static QSet<QString> helpKeys() {
    QSet<QString> keys;
    for (const auto& [row, what] : ui::MainWindow::shortcutTable())
      for (const QString& part : row.split(QStringLiteral(" / ")))
        keys << QKeySequence::fromString(part.trimmed(), QKeySequence::PortableText)
                    .toString(QKeySequence::PortableText);
    return keys;
  }

  static void menuActions(QMenu* menu, QList<QAction*>& out) {
    for (QAction* a : menu->actions()) {
      if (a->menu()) menuActions(a->menu(), out);
      else out << a;
    }
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    // Three patients; by date, newest first: Alpha, Bravo, Charlie.
    QVERIFY(fixture_.start({testing::patientStudy("1.2.826.0.1.3680043.10.97", 1, "Alpha^Anna", "P1", "20260115"),
                            testing::patientStudy("1.2.826.0.1.3680043.10.97", 2, "Bravo^Ben", "P2", "20260114"),
                            testing::patientStudy("1.2.826.0.1.3680043.10.97", 3, "Charlie^Carl", "P3", "20260113")}));
    QCOMPARE(view()->model()->rowCount(), 3);
  }

  void everyMenuShortcutIsInTheHelpAndUnique() {
    const QSet<QString> help = helpKeys();
    QList<QAction*> actions;
    for (QAction* top : window_->menuBar()->actions())
      if (top->menu()) menuActions(top->menu(), actions);
    QVERIFY(actions.size() > 20);
    int withShortcut = 0;
    for (QAction* a : actions)
      for (const QKeySequence& key : a->shortcuts()) {
        ++withShortcut;
        QVERIFY2(help.contains(key.toString(QKeySequence::PortableText)),
                 qPrintable(QStringLiteral("%1 (%2) is not in the F1 table").arg(a->text(), key.toString())));
      }
    QVERIFY(withShortcut >= 25);
    // Every owner of a key in the window: actions, buttons, QShortcuts and the menus' Alt+letter. Keys of
    // another top-level window parented to this one (a progress dialog's Esc) act only in that window.
    auto inThisWindow = [this](QObject* o) {
      for (; o; o = o->parent())
        if (auto* w = qobject_cast<QWidget*>(o)) return w->window() == window_.get();
      return true;
    };
    QMap<QString, QStringList> owners;
    for (QAction* a : window_->findChildren<QAction*>())
      if (inThisWindow(a))
        for (const QKeySequence& key : a->shortcuts()) owners[key.toString(QKeySequence::PortableText)] << a->text();
    for (QAbstractButton* b : window_->findChildren<QAbstractButton*>())
      if (!b->shortcut().isEmpty() && inThisWindow(b))
        owners[b->shortcut().toString(QKeySequence::PortableText)] << b->text();
    for (QShortcut* s : window_->findChildren<QShortcut*>())
      if (inThisWindow(s)) owners[s->key().toString(QKeySequence::PortableText)] << s->objectName();
    for (QAction* top : window_->menuBar()->actions())
      if (const QKeySequence m = QKeySequence::mnemonic(top->text()); !m.isEmpty())
        owners[m.toString(QKeySequence::PortableText)] << top->text();
    for (auto it = owners.cbegin(); it != owners.cend(); ++it)
      QVERIFY2(it.value().size() == 1,
               qPrintable(QStringLiteral("%1 is taken by %2").arg(it.key(), it.value().join(", "))));
  }

  // The text Qt shows as a tooltip when none was set: no '&', no "...".
  static QString defaultTip(const QString& text) {
    QString s = text;
    s.remove(QStringLiteral("..."));
    s.remove(QLatin1Char('&'));
    return s.trimmed();
  }

  void everyActionHasATooltipAndAShortcutOrAReason() {
    QList<QAction*> actions;
    for (QAction* top : window_->menuBar()->actions())
      if (top->menu()) menuActions(top->menu(), actions);
    int exempt = 0;
    for (QAction* a : actions) {
      if (a->isSeparator()) continue;
      const QString name = defaultTip(a->text());
      const QString reason = a->property(ui::kNoShortcutReason).toString();
      QVERIFY2(!a->shortcut().isEmpty() || !reason.isEmpty(),
               qPrintable(QStringLiteral("\"%1\" has no shortcut and no reason for none").arg(name)));
      if (a->shortcut().isEmpty()) ++exempt;
      QVERIFY2(!a->toolTip().isEmpty() && a->toolTip() != name,
               qPrintable(QStringLiteral("\"%1\" has no tooltip of its own").arg(name)));
      if (!a->shortcut().isEmpty())
        QVERIFY2(a->toolTip().contains(a->shortcut().toString(QKeySequence::NativeText)),
                 qPrintable(QStringLiteral("the tooltip of \"%1\" does not name %2: %3")
                                .arg(name, a->shortcut().toString(QKeySequence::NativeText), a->toolTip())));
    }
    QVERIFY(exempt >= 1 && exempt <= 8);  // About and the language choices, not the daily work
  }

  void everyButtonHasATooltipNamingItsActionsKey() {
    QMap<QString, QString> keyOfAction;  // menu text without '&' and '…' -> its key
    QList<QAction*> actions;
    for (QAction* top : window_->menuBar()->actions())
      if (top->menu()) menuActions(top->menu(), actions);
    for (QAction* a : actions)
      if (!a->shortcut().isEmpty())
        keyOfAction[defaultTip(a->text()).remove(QChar(0x2026))] = a->shortcut().toString(QKeySequence::NativeText);
    int named = 0;
    for (QAbstractButton* b : window_->findChildren<QAbstractButton*>()) {
      if (!qobject_cast<QPushButton*>(b) && !qobject_cast<QCheckBox*>(b))
        continue;  // not Qt's own (corner, dock title)
      const QString name = defaultTip(b->text()).remove(QChar(0x2026));
      QVERIFY2(!b->toolTip().isEmpty(), qPrintable(QStringLiteral("the button \"%1\" has no tooltip").arg(name)));
      // The editor's and the prior's buttons repeat menu actions; elsewhere a like name is another
      // thing (the PACS panel's Search is not the worklist's).
      const bool repeatsAMenuAction =
          window_->reportEditor()->isAncestorOf(b) || window_->priorPanel()->isAncestorOf(b);
      if (const auto key = keyOfAction.constFind(name); repeatsAMenuAction && key != keyOfAction.cend()) {
        QVERIFY2(b->toolTip().contains(*key),
                 qPrintable(QStringLiteral("the button \"%1\" does not name %2: %3").arg(name, *key, b->toolTip())));
        ++named;
      }
    }
    QVERIFY2(named >= 7,
             qPrintable(QString::number(named)));  // Generate draft, Save, Sign …, Export SR, Audit log, Prior report
  }

  void altDownAndUpMoveWhileTyping() {
    QVERIFY(window_->openStudy(studyAtRow(0)));
    typeInFindings("Typed on the first.");
    press(findings(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(openRow(), 1);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    QCOMPARE(editor()->patientBanner()->patientId(), QString("P2"));
    QVERIFY(findings()->toPlainText().isEmpty());
    QVERIFY(findings()->hasFocus());  // the reader goes on typing
    press(findings(), Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(openRow(), 2);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    press(findings(), Qt::Key_Down, Qt::AltModifier);  // the last: stays, and says so
    QCOMPARE(openRow(), 2);
    QVERIFY(window_->statusBar()->currentMessage().contains("last"));
    press(findings(), Qt::Key_Up, Qt::AltModifier);
    press(findings(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(openRow(), 0);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    QCOMPARE(findings()->toPlainText(), QString("Typed on the first."));  // autosaved, restored
  }

  void viewerKeysWorkWhileTyping() {
    QVERIFY(window_->viewer()->hasImage());
    findings()->setFocus();
    const QString before = findings()->toPlainText();
    app::ViewState expected = window_->viewer()->viewState();
    QVERIFY(expected.applyPreset("mediastinum"));
    press(findings(), Qt::Key_2, Qt::AltModifier);
    QCOMPARE(window_->viewer()->viewState().window().center, expected.window().center);
    QCOMPARE(window_->viewer()->viewState().window().width, expected.window().width);
    const bool inverted = window_->viewer()->viewState().invert();
    press(findings(), Qt::Key_I, Qt::AltModifier);
    QCOMPARE(window_->viewer()->viewState().invert(), !inverted);
    const bool overlays = window_->viewer()->overlaysVisible();
    press(findings(), Qt::Key_O, Qt::AltModifier);
    QCOMPARE(window_->viewer()->overlaysVisible(), !overlays);
    press(findings(), Qt::Key_O, Qt::AltModifier);
    press(findings(), Qt::Key_0, Qt::AltModifier);  // reset: the image's own window again
    app::ViewState reset = window_->viewer()->viewState();
    QVERIFY(reset.window().center != expected.window().center || reset.window().width != expected.window().width);
    QCOMPARE(findings()->toPlainText(), before);  // no "2", "i" or "o" reached the text
    QVERIFY(findings()->hasFocus());
    // The viewer's plain keys still work when it has the focus.
    window_->viewer()->setFocus();
    app::ViewState lung = window_->viewer()->viewState();
    QVERIFY(lung.applyPreset("lung"));
    press(window_->viewer(), Qt::Key_1, Qt::NoModifier);
    QCOMPARE(window_->viewer()->viewState().window().center, lung.window().center);
  }

  void chipsByKeyboard() {
    typeInFindings(" ");
    press(findings(), Qt::Key_L, Qt::ControlModifier);
    QWidget* first = editor()->chip(0);
    QVERIFY(first->hasFocus());
    press(first, Qt::Key_P, Qt::NoModifier);
    QCOMPARE(editor()->labels()[0], app::FindingState::Positive);
    press(first, Qt::Key_Space, Qt::NoModifier);  // cycles as a click does
    QCOMPARE(editor()->labels()[0], app::FindingState::Negative);
    press(first, Qt::Key_Delete, Qt::NoModifier);
    QCOMPARE(editor()->labels()[0], app::FindingState::Blank);
    press(first, Qt::Key_Right, Qt::NoModifier);
    QVERIFY(editor()->chip(1)->hasFocus());
    press(editor()->chip(1), Qt::Key_U, Qt::NoModifier);
    QCOMPARE(editor()->labels()[1], app::FindingState::Uncertain);
    press(editor()->chip(1), Qt::Key_Delete, Qt::NoModifier);
    press(editor()->chip(1), Qt::Key_Escape, Qt::NoModifier);
    QVERIFY(findings()->hasFocus());
    QCOMPARE(editor()->labels(), app::blankFindings());
  }

  void signFinalAndOpenNext() {
    // Study 2 (row 1) is empty: signing it is refused, and the reader stays on it.
    QVERIFY(window_->openStudy(studyAtRow(1)));
    findings()->setFocus();
    press(findings(), Qt::Key_S, Qt::ControlModifier);  // an empty draft is saved, not signed
    press(findings(), Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY2(editor()->messageLabel()->text().contains("empty"), qPrintable(editor()->messageLabel()->text()));
    QCOMPARE(openRow(), 1);
    QVERIFY(site_ && app::findStudy(*site_, studyAtRow(1))->status != app::ReportStatus::Final);
    // Row 0 has typed text: signed final, then on to row 1, the next one still to sign.
    press(findings(), Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(openRow(), 0);
    QVERIFY(!findings()->toPlainText().trimmed().isEmpty());
    const qint64 first = window_->currentStudy();
    press(findings(), Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(app::findStudy(*site_, first)->status, app::ReportStatus::Final);
    QCOMPARE(openRow(), 1);
    QVERIFY2(inSync().isEmpty(), qPrintable(inSync()));
    // Row 1 and row 2 signed in turn; then none is left, and the status bar says so.
    typeInFindings("Clear lungs.");
    press(findings(), Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(openRow(), 2);
    typeInFindings("Clear lungs.");
    press(findings(), Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(openRow(), 2);
    QCOMPARE(app::findStudy(*site_, studyAtRow(2))->status, app::ReportStatus::Final);
    QVERIFY2(window_->statusBar()->currentMessage().contains("No study left"),
             qPrintable(window_->statusBar()->currentMessage()));
  }

  void cleanupTestCase() { window_.reset(); }
};

FEDMRG_WIDGET_TEST_MAIN(TstKeyboardFlow)
#include "tst_keyboard_flow.moc"
