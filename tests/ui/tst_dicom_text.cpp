// DICOM text is shown as plain text in every widget (issue 15, item 6): a study whose patient name
// and description are markup ("<b>…</b>", "<img src=…>") shows them literally, character for
// character, in every label of the window that displays them; none interprets them as rich text.
#include <QLabel>
#include <QtTest>

#include "app/site/study_catalog.h"
#include "ui/widget_test_main.h"
#include "ui/workstation_fixture.h"

using namespace fedmrg;

namespace {
const std::string kName = "<b>Bold</b>^<i>Ital</i>";
const std::string kDescription = "<img src=\"file:///etc/passwd\">CHEST";
}  // namespace

class TstDicomText : public QObject {
  Q_OBJECT

 private slots:
  void markupInDicomTextShowsLiterally() {
    testing::WorkstationFixture f;
    testing::TestDicom d;
    d.patientName = kName;
    d.description = kDescription;
    d.studyUid = "1.2.826.0.1.3680043.10.95.1";
    d.width = d.height = 64;
    QVERIFY(f.start({d}));
    const qint64 study = f.site->store().queryInt("SELECT id FROM studies LIMIT 1");
    QVERIFY(f.window->openStudy(study));
    QTest::qWait(200);  // the viewer decodes on a worker thread
    QTRY_VERIFY_WITH_TIMEOUT(!f.window->findChildren<QLabel*>().isEmpty(), 5000);
    int showing = 0;
    QStringList interpreted;
    for (QLabel* label : f.window->findChildren<QLabel*>()) {
      const QString text = label->text();
      if (!text.contains("<b>Bold</b>") && !text.contains("<img src=") && !text.contains("<i>Ital</i>")) continue;
      ++showing;
      if (label->textFormat() != Qt::PlainText)
        interpreted
            << QStringLiteral("%1 (%2): %3").arg(label->objectName(), label->parent()->metaObject()->className(), text);
    }
    QVERIFY2(interpreted.isEmpty(), qPrintable(interpreted.join("\n")));
    // The banner and the viewer's overlay at least: the check above looked at something.
    QVERIFY2(showing >= 2, qPrintable(QString::number(showing)));
  }
};

FEDMRG_WIDGET_TEST_MAIN(TstDicomText)
#include "tst_dicom_text.moc"
