// Roles in the window (issue 14, item 5): a session of an admin who is no radiologist has every sign
// action (buttons, menu entries, their shortcuts) and the addendum disabled, each saying why with the
// missing role; a dual-role admin's session has them enabled. The services refuse too (tst_role_rules).
#include <QAction>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QtTest>

#include "ui/role_hints.h"
#include "ui/widget_test_main.h"
#include "ui/workstation_fixture.h"

using namespace fedmrg;

namespace {

// The window's menu action with this text (with its & marks), or null.
QAction* menuAction(ui::MainWindow& window, const QString& text) {
  for (QAction* menu : window.menuBar()->actions())
    if (menu->menu())
      for (QAction* a : menu->menu()->actions())
        if (a->text() == text) return a;
  return nullptr;
}

const QStringList kSignActions{QStringLiteral("Sign &preliminary"), QStringLiteral("Sign &final"),
                               QStringLiteral("Sign final and open &next"), QStringLiteral("&Addendum…")};

}  // namespace

class TstRoleHints : public QObject {
  Q_OBJECT

  // Opens the first study and saves a draft, so that only the role can keep it from being signed.
  static void openWithDraft(testing::WorkstationFixture& ws) {
    QVERIFY(ws.window->openStudy(ws.site->store().queryInt("SELECT min(id) FROM studies")));
    ws.window->reportEditor()->findingsEdit()->setPlainText("Heart size normal. Lungs are clear.");
    ws.window->reportEditor()->impressionEdit()->setPlainText("No acute disease.");
    QVERIFY(ws.window->reportEditor()->save());
  }

 private slots:
  void adminOnlySessionCannotSignAndSaysWhy() {
    testing::WorkstationFixture ws;
    QVERIFY(ws.start({testing::patientStudy("1.2.826.0.1.3680043.10.99", 1, "Doe^Jane", "P1", "20260101")},
                     {app::Role::Admin}));
    openWithDraft(ws);
    const QString why = QStringLiteral("Signing needs the radiologist role; drjones has: admin");
    ui::ReportEditor* editor = ws.window->reportEditor();
    for (QPushButton* b : {editor->signPreliminaryButton(), editor->signFinalButton(), editor->addendumButton()}) {
      QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
      QCOMPARE(b->toolTip(), why);
    }
    for (const QString& text : kSignActions) {
      QAction* a = menuAction(*ws.window, text);
      QVERIFY2(a, qPrintable(text));
      QVERIFY2(!a->isEnabled(), qPrintable(text));
      QVERIFY2(a->toolTip().startsWith(why), qPrintable(a->toolTip()));  // the key may follow (action_hints)
    }
    // The shortcut of a disabled action does nothing: the report stays a draft.
    editor->findingsEdit()->setFocus();
    ws.press(editor->findingsEdit(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(app::ReportService(*ws.site, 1).studyStatus(ws.window->currentStudy()) == app::ReportStatus::Draft);
    // The admin manages users.
    QVERIFY(menuAction(*ws.window, QStringLiteral("&Users…"))->isEnabled());
  }

  void dualRoleSessionSigns() {
    testing::WorkstationFixture ws;
    QVERIFY(ws.start({testing::patientStudy("1.2.826.0.1.3680043.10.98", 1, "Roe^John", "P2", "20260102")}));
    openWithDraft(ws);
    ui::ReportEditor* editor = ws.window->reportEditor();
    QVERIFY(editor->signFinalButton()->isEnabled());
    QVERIFY2(!editor->signFinalButton()->toolTip().contains("needs the"), qPrintable(editor->signFinalButton()->toolTip()));
    for (const QString& text : kSignActions.mid(0, 3)) QVERIFY2(menuAction(*ws.window, text)->isEnabled(), qPrintable(text));
    QVERIFY(editor->signFinal());
  }

  // The notes name the missing role and the roles held, in the ui's words.
  void notesNameTheMissingRole() {
    app::User rad{7, "rad", "Dr Rad", {app::Role::Radiologist}};
    QCOMPARE(ui::signingRoleNote(rad), QString());
    QCOMPARE(ui::adminRoleNote(rad, QStringLiteral("Managing users")),
             QStringLiteral("Managing users needs the admin role; rad has: radiologist"));
    app::User nobody{8, "ghost", "", {}};
    QCOMPARE(ui::signingRoleNote(nobody), QStringLiteral("Signing needs the radiologist role; ghost has: no role"));
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstRoleHints)
#include "tst_role_hints.moc"
