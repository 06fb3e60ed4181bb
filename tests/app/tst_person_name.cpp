// A user's display name becomes a DICOM person name (Family^Given^Middle^Prefix^Suffix) for the
// SR's verifying observer, whichever way the name was typed.
#include <QtTest>

#include "app/site/person_name.h"

using namespace fedmrg::app;

class TstPersonName : public QObject {
  Q_OBJECT

 private slots:
  void displayNamesBecomePersonNames_data() {
    QTest::addColumn<QString>("display");
    QTest::addColumn<QString>("pn");
    // One case a line reads as a table.
    // clang-format off
    QTest::newRow("given family") << "Jane Smith" << "Smith^Jane";
    QTest::newRow("family, given") << "Smith, Jane" << "Smith^Jane";
    QTest::newRow("title") << "Dr. Jane Smith" << "Smith^Jane^^Dr.";
    QTest::newRow("title without dot") << "Dr Jane Smith" << "Smith^Jane^^Dr";
    QTest::newRow("title, family first") << "Dr. Smith, Jane" << "Smith^Jane^^Dr.";
    QTest::newRow("middle name") << "Jane Anne Smith" << "Smith^Jane^Anne";
    QTest::newRow("suffix after comma") << "Jane Smith, MD" << "Smith^Jane^^^MD";
    QTest::newRow("suffix") << "Prof. Jane Smith PhD" << "Smith^Jane^^Prof.^PhD";
    QTest::newRow("family first with suffix") << "Smith, Jane A., MD" << "Smith^Jane^A.^^MD";
    QTest::newRow("particles") << "Jane A. van der Berg, MD" << "van der Berg^Jane^A.^^MD";
    QTest::newRow("one word") << "Admin" << "Admin";
    QTest::newRow("title and family") << "Dr Rad" << "Rad^^^Dr";
    QTest::newRow("spaces") << "  Jane   Smith " << "Smith^Jane";
    QTest::newRow("already PN") << "Doe^Jane" << "Doe^Jane";
    QTest::newRow("reserved characters") << "Jane= Sm\\ith" << "Smith^Jane";
    QTest::newRow("blank") << "   " << "";
    // clang-format on
  }
  void displayNamesBecomePersonNames() {
    QFETCH(QString, display);
    QFETCH(QString, pn);
    QCOMPARE(QString::fromStdString(dicomPersonName(display.toStdString())), pn);
  }

  void longNamesFitPersonNameLength() {
    const std::string name = dicomPersonName(std::string(40, 'a') + " " + std::string(40, 'b'));
    QCOMPARE(int(name.size()), 64);
    QVERIFY(QString::fromStdString(name).startsWith(QString(40, 'b') + "^"));
  }
};

QTEST_APPLESS_MAIN(TstPersonName)
#include "tst_person_name.moc"
