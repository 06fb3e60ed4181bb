// Templates in the workstation, with real key presses: Ctrl+Alt+N puts the normal chest macro into
// an empty report (text and chips) and Undo takes it out again; Ctrl+T opens the chooser, typing
// filters it and Enter inserts at the cursor of a report with typed text, which is all kept and
// comes back whole with Undo; a final report takes no template. The manager dialog adds, renames and
// deletes templates with the store's reasons shown, and a saved "Normal chest" is the user's macro.
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "app/site/report_templates.h"
#include "ui/template_dialog.h"
#include "ui/widget_test_main.h"
#include "ui/workstation_fixture.h"

using namespace fedmrg;

class TstTemplateDialog : public QObject {
  Q_OBJECT

 private:
  testing::WorkstationFixture fixture_;
  std::unique_ptr<ui::MainWindow>& window_ = fixture_.window;

  ui::ReportEditor* editor() const { return window_->reportEditor(); }
  QPlainTextEdit* findings() const { return editor()->findingsEdit(); }
  QPlainTextEdit* impression() const { return editor()->impressionEdit(); }

  void press(QWidget* target, Qt::Key key, Qt::KeyboardModifiers modifiers) {
    target->setFocus();
    fixture_.press(target, key, modifiers);
  }

  // Presses Ctrl+T in FINDINGS and runs `use` on the (modal) chooser it opens.
  void withChooser(const std::function<void(ui::TemplateChooser*)>& use) {
    auto seen = std::make_shared<bool>(false);
    QObject guard;  // the timer dies with this call when no dialog opened
    QTimer::singleShot(100, &guard, [seen, use] {
      auto* chooser = qobject_cast<ui::TemplateChooser*>(QApplication::activeModalWidget());
      *seen = chooser != nullptr;
      if (chooser) use(chooser);
      else if (auto* other = QApplication::activeModalWidget()) other->close();
    });
    press(findings(), Qt::Key_T, Qt::ControlModifier);
    QVERIFY2(*seen, "Ctrl+T opened no template chooser");
  }

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("DISPLAY")) QSKIP("no X display: run under Xvfb (xvfb-run -a) for the VTK view");
    QVERIFY(
        fixture_.start({testing::patientStudy("1.2.826.0.1.3680043.10.96", 1, "Test^Patient", "PT-1", "20260105")}));
    QVERIFY(window_->selectFirstStudy());
    window_->templates().add({0, "Pneumonia RLL", "Right lower lobe consolidation.", "Right lower lobe pneumonia.",
                              "pneumonia=positive;consolidation=positive"});
  }

  void normalMacroFillsAnEmptyReportAndUndoEmptiesIt() {
    const auto normal = app::ReportTemplates::builtInNormalChest();
    findings()->setFocus();
    press(findings(), Qt::Key_N, Qt::ControlModifier | Qt::AltModifier);
    QCOMPARE(findings()->toPlainText().toStdString(), normal.findings);
    QCOMPARE(impression()->toPlainText().toStdString(), normal.impression);
    QCOMPARE(editor()->labels(), app::decodeLabels(normal.labels));
    QVERIFY(editor()->dirty());
    QTest::keyClick(findings(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(findings()->toPlainText().isEmpty());
    QCOMPARE(editor()->labels(), app::blankFindings());  // the chips came back with the text
    impression()->setFocus();
    QTest::keyClick(impression(), Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(impression()->toPlainText().isEmpty());
  }

  void chooserFiltersAndInsertsAtTheCursorKeepingTypedText() {
    findings()->setFocus();
    QTest::keyClicks(findings(), "Heart normal.");
    QTest::keyClick(findings(), Qt::Key_Home);  // the cursor before "Heart"
    editor()->chip(2)->click();                 // Cardiomegaly: positive, set by the reader
    const app::FindingStates chipsBefore = editor()->labels();
    withChooser([](ui::TemplateChooser* chooser) {
      QCOMPARE(chooser->list()->count(), 2);  // the built-in macro and the user's own
      QTest::keyClicks(chooser->filterEdit(), "PNEU");
      QCOMPARE(chooser->list()->count(), 1);
      QTest::keyClick(chooser->filterEdit(), Qt::Key_Return);
    });
    QCOMPARE(findings()->toPlainText(), QString("Right lower lobe consolidation. Heart normal."));
    QCOMPARE(impression()->toPlainText(), QString("Right lower lobe pneumonia."));  // empty: replaced
    QCOMPARE(editor()->labels()[7], app::FindingState::Positive);                   // Pneumonia, was blank
    QCOMPARE(editor()->labels()[2], chipsBefore[2]);                                // the reader's chip kept
    // Undo brings the typed text back as it was, and the chips.
    QTest::keyClick(findings(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(findings()->toPlainText(), QString("Heart normal."));
    QCOMPARE(editor()->labels(), chipsBefore);
    // A cancelled chooser changes nothing.
    withChooser([](ui::TemplateChooser* chooser) { QTest::keyClick(chooser->filterEdit(), Qt::Key_Escape); });
    QCOMPARE(findings()->toPlainText(), QString("Heart normal."));
  }

  void managerAddsRenamesDeletesAndShowsReasons() {
    app::ReportTemplates& templates = window_->templates();
    ui::TemplateDialog dialog(templates, {0, {}, "Open findings.", "Open impression.", "edema=positive"});
    QCOMPARE(dialog.list()->count(), 2);
    QVERIFY(dialog.list()->item(0)->text().contains("built-in"));
    // Saving the built-in macro changed keeps it as the user's own "Normal chest".
    dialog.list()->setCurrentRow(0);
    dialog.findingsEdit()->setPlainText("Lungs clear.");
    QVERIFY(dialog.saveTemplate());
    QCOMPARE(templates.normalMacro().findings, std::string("Lungs clear."));
    QVERIFY(!templates.normalMacro().builtIn());
    // An empty name and a taken name are refused with the reason; nothing is stored.
    dialog.nameEdit()->setText("  ");
    QVERIFY(!dialog.addAsNew());
    QVERIFY(dialog.errorLabel()->text().startsWith("Template name:"));
    dialog.nameEdit()->setText("pneumonia rll");
    QVERIFY(!dialog.addAsNew());
    QVERIFY(dialog.errorLabel()->text().contains("already"));
    QCOMPARE(templates.list().size(), size_t(2));
    // "Take from the open report" fills the text and chips; a new name adds, another renames.
    dialog.nameEdit()->setText("Edema");
    for (auto* b : dialog.findChildren<QPushButton*>())
      if (b->text().startsWith("Take")) b->click();
    QCOMPARE(dialog.findingsEdit()->toPlainText(), QString("Open findings."));
    QVERIFY(dialog.addAsNew());
    QCOMPARE(templates.list().size(), size_t(3));
    QCOMPARE(app::decodeLabels(templates.list()[0].labels)[5], app::FindingState::Positive);  // Edema
    QCOMPARE(dialog.list()->currentItem()->text(), QString("Edema"));
    dialog.nameEdit()->setText("Pulmonary edema");
    QVERIFY(dialog.saveTemplate());
    QCOMPARE(QString::fromStdString(templates.list().back().name), QString("Pulmonary edema"));
    QCOMPARE(dialog.list()->currentItem()->text(), QString("Pulmonary edema"));
    QVERIFY(dialog.deleteTemplate());
    QCOMPARE(templates.list().size(), size_t(2));
    // Deleting the user's own "Normal chest" brings the built-in one back.
    for (int r = 0; r < dialog.list()->count(); ++r)
      if (dialog.list()->item(r)->text() == "Normal chest") dialog.list()->setCurrentRow(r);
    QVERIFY(dialog.deleteTemplate());
    QVERIFY(templates.normalMacro().builtIn());
  }

  void finalReportTakesNoTemplate() {
    findings()->setFocus();
    findings()->selectAll();
    QTest::keyClicks(findings(), "Clear lungs.");
    impression()->clear();
    for (int i = 0; i < app::kFindingCount; ++i)
      while (editor()->labels()[size_t(i)] != app::FindingState::Blank) editor()->chip(i)->click();
    QVERIFY(editor()->save());
    QVERIFY(editor()->signFinal());
    press(findings(), Qt::Key_N, Qt::ControlModifier | Qt::AltModifier);
    QCOMPARE(findings()->toPlainText(), QString("Clear lungs."));
    QVERIFY(editor()->messageLabel()->text().contains("final"));
  }

  void cleanupTestCase() { window_.reset(); }
};

FEDMRG_WIDGET_TEST_MAIN(TstTemplateDialog)
#include "tst_template_dialog.moc"
