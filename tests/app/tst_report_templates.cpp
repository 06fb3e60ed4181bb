// Report templates: stored per user in the site (a user never sees or changes another's), refused
// with a reason naming the field (empty name, duplicate name, over-long text), the built-in
// "Normal chest" macro reads as No Finding to the labeler with chips that agree, a user's own
// "Normal chest" overrides it, and the insertion rules keep every typed word and chip.
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/label_check.h"
#include "app/site/report_templates.h"
#include "app/site/site.h"
#include "app/site/user_directory.h"

using namespace fedmrg::app;

class TstReportTemplates : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<Site> site_;
  int64_t jones_ = 0, smith_ = 0;

  // The StoreError's message of `action`, or "" when it did not throw.
  template <typename F>
  static QString errorOf(F action) {
    try {
      action();
    } catch (const StoreError& e) {
      return QString::fromUtf8(e.what());
    }
    return {};
  }

  static QStringList names(const std::vector<ReportTemplate>& list) {
    QStringList out;
    for (const auto& t : list) out << QString::fromStdString(t.name);
    return out;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    site_ = Site::create(dir_.filePath("site"), "templates passphrase", "Templates Site", "jones", "Dr Jones",
                         "password123");
    jones_ = UserDirectory(*site_).authenticate("jones", "password123")->id;
    smith_ = UserDirectory(*site_, jones_).addUser("smith", "Dr Smith", Role::Radiologist, "password456");
  }

  // What the labeler reads from a report, finding by finding (blank: not mentioned): every chip set
  // to uncertain, the disagreements name the reading of every finding not read as uncertain.
  static FindingStates labelerReading(const std::string& findings, const std::string& impression) {
    FindingStates uncertain{};
    uncertain.fill(FindingState::Uncertain);
    FindingStates reading = uncertain;
    for (const auto& d : chipsAgainstText(findings, impression, encodeLabels(uncertain)))
      reading[size_t(d.finding)] = d.text;
    return reading;
  }

  void normalChestReadsAsNoFindingAndItsChipsAgree() {
    const auto normal = ReportTemplates::builtInNormalChest();
    const auto reading = labelerReading(normal.findings, normal.impression);
    QString read;
    for (int i = 0; i < kFindingCount; ++i)
      if (reading[size_t(i)] != FindingState::Blank)
        read += QStringLiteral("%1=%2 ").arg(findingName(i), findingStateName(reading[size_t(i)]));
    qInfo("labeler reads the normal macro as: %s", qPrintable(read));
    QCOMPARE(reading[0], FindingState::Positive);  // No Finding
    // The macro's chips are the labeler's reading, every finding it mentions and no other: signing
    // it as it is raises no chips-vs-text question, and the training queue records what it says.
    QCOMPARE(decodeLabels(normal.labels), reading);
    const auto disagreements = chipsAgainstText(normal.findings, normal.impression, normal.labels);
    QVERIFY2(disagreements.empty(), describe(disagreements).c_str());
  }

  void templatesArePerUser() {
    ReportTemplates jones(*site_, jones_), smith(*site_, smith_);
    const int64_t id = jones.add({0, "  Pneumonia RLL ", "Right lower lobe consolidation.", "Pneumonia.", ""});
    QVERIFY(id > 0);
    QCOMPARE(names(jones.list()), (QStringList{"Normal chest", "Pneumonia RLL"}));
    QCOMPARE(names(smith.list()), QStringList{"Normal chest"});
    // The same name is another user's own business.
    QVERIFY(smith.add({0, "Pneumonia RLL", "Smith's text.", "", ""}) > 0);
    QCOMPARE(jones.list().back().findings, std::string("Right lower lobe consolidation."));
    // Another user's id changes and deletes nothing.
    QVERIFY(errorOf([&] { smith.update({id, "Stolen", "x", "", ""}); }).contains("no template"));
    QVERIFY(errorOf([&] { smith.remove(id); }).contains("no template"));
    QCOMPARE(names(jones.list()), (QStringList{"Normal chest", "Pneumonia RLL"}));
  }

  void badInputIsRefusedNamingTheField() {
    ReportTemplates jones(*site_, jones_);
    QVERIFY(errorOf([&] { jones.add({0, "   ", "text", "", ""}); }).startsWith("Template name:"));
    QVERIFY(errorOf([&] { jones.add({0, "Empty", " ", "\n", ""}); }).startsWith("Template text:"));
    const QString duplicate = errorOf([&] { jones.add({0, "pneumonia rll", "other", "", ""}); });
    QVERIFY2(duplicate.startsWith("Template name:") && duplicate.contains("already"), qPrintable(duplicate));
    const std::string longText(ReportTemplates::kMaxTextLength + 1, 'a');
    QVERIFY(errorOf([&] { jones.add({0, "Long", longText, "", ""}); }).startsWith("FINDINGS:"));
    QVERIFY(errorOf([&] { jones.add({0, "Long", "ok", longText, ""}); }).startsWith("IMPRESSION:"));
    QVERIFY(errorOf([&] { jones.add({0, std::string(81, 'n'), "ok", "", ""}); }).startsWith("Template name:"));
    // Nothing refused was stored.
    QCOMPARE(names(jones.list()), (QStringList{"Normal chest", "Pneumonia RLL"}));
  }

  void editRenameAndDelete() {
    ReportTemplates jones(*site_, jones_);
    const int64_t id =
        jones.add({0, "Effusion", "Small left effusion.", "Left effusion.", "pleural_effusion=positive"});
    QVERIFY(errorOf([&] { jones.update({id, "Pneumonia RLL", "x", "", ""}); }).contains("already"));
    jones.update({id, "Left effusion", "Small left pleural effusion.", "Left effusion.", "pleural_effusion=positive"});
    const auto list = jones.list();
    QCOMPARE(names(list), (QStringList{"Normal chest", "Left effusion", "Pneumonia RLL"}));
    QCOMPARE(list[1].findings, std::string("Small left pleural effusion."));
    QCOMPARE(decodeLabels(list[1].labels)[10], FindingState::Positive);  // Pleural Effusion
    // Renaming to the same name in another case is the same template, not a duplicate.
    jones.update({id, "LEFT effusion", list[1].findings, list[1].impression, list[1].labels});
    jones.remove(id);
    QCOMPARE(names(jones.list()), (QStringList{"Normal chest", "Pneumonia RLL"}));
  }

  void ownNormalChestOverridesTheBuiltIn() {
    ReportTemplates jones(*site_, jones_), smith(*site_, smith_);
    QVERIFY(jones.normalMacro().builtIn());
    const int64_t own = jones.add({0, "normal CHEST", "Clear lungs.", "Normal chest.", ""});
    QCOMPARE(jones.normalMacro().id, own);
    QCOMPARE(jones.normalMacro().findings, std::string("Clear lungs."));
    QCOMPARE(names(jones.list()).filter(QStringLiteral("normal chest"), Qt::CaseInsensitive).size(), 1);
    QVERIFY(smith.normalMacro().builtIn());
    jones.remove(own);
    QVERIFY(jones.normalMacro().builtIn());
  }

  void filterByName() {
    ReportTemplates jones(*site_, jones_);
    QCOMPARE(names(filterTemplates(jones.list(), "PNEU")), QStringList{"Pneumonia RLL"});
    QCOMPARE(names(filterTemplates(jones.list(), "")).size(), 2);
    QVERIFY(filterTemplates(jones.list(), "zzz").empty());
  }

  void insertionKeepsTypedText() {
    auto empty = templateInsertion("  \n", 0, "No effusion.");
    QVERIFY(empty.replaceAll);
    QCOMPARE(empty.text, QString("No effusion."));
    auto end = templateInsertion("Heart normal.", 13, "No effusion.");
    QVERIFY(!end.replaceAll);
    QCOMPARE(end.text, QString(" No effusion."));
    auto middle = templateInsertion("AB", 1, "x");
    QCOMPARE(middle.text, QString(" x "));
    auto outOfRange = templateInsertion("A ", 99, "x");
    QCOMPARE(outOfRange.text, QString("x"));
  }

  void chipsAReaderSetAreKept() {
    FindingStates current = blankFindings();
    current[2] = FindingState::Positive;  // Cardiomegaly, set by the reader
    const std::string labels = "cardiomegaly=negative;pleural_effusion=negative";
    const auto added = chipsAfterTemplate(current, labels, false);
    QCOMPARE(added[2], FindingState::Positive);
    QCOMPARE(added[10], FindingState::Negative);
    const auto replaced = chipsAfterTemplate(current, labels, true);
    QCOMPARE(replaced[2], FindingState::Negative);
    QCOMPARE(chipsAfterTemplate(current, "", true), current);
  }
};

QTEST_GUILESS_MAIN(TstReportTemplates)
#include "tst_report_templates.moc"
