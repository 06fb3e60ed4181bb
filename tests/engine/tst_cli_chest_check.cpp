// fedmrg-cli generate with the shipped model: every draft's output carries the chest radiograph check and the
// model's training data (text and JSON); an image that is not a chest radiograph gets exit status 3 and no
// draft; a model folder without a provenance file says "unknown training data".
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "app/test_dicom.h"
#include "engine/cli_process.h"

class TestCliGenerate : public QObject {
  Q_OBJECT

 private:
  const QString model_ = QStringLiteral(FEDMRG_SOURCE_DIR "/resources/models/default");
  QTemporaryDir tmp_;
  QString chest_, mr_;

  static QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    fedmrg::testing::TestDicom image;  // CR, CHEST, 256 x 256
    chest_ = tmp_.filePath("chest.dcm");
    fedmrg::testing::writeTestDicom(chest_.toStdString(), image);
    image.modality = "MR";
    image.bodyPart = "SHOULDER";
    mr_ = tmp_.filePath("shoulder.dcm");
    fedmrg::testing::writeTestDicom(mr_.toStdString(), image);
  }

  void aDraftPrintsTheChestCheckAndTheTrainingData() {
    const QString json = tmp_.filePath("draft.json");
    const clitest::Run r = clitest::cli({"generate", "--model", model_, "--max-new", "20", "--json", json, chest_});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("Chest radiograph check: "), qPrintable(r.out));
    QVERIFY2(r.out.contains("Model trained on: synthetic images only"), qPrintable(r.out));
    QVERIFY2(r.out.contains("DRAFT - machine-generated"), qPrintable(r.out));
    const QJsonObject j = readJson(json);
    QCOMPARE(j["draft"].toBool(), true);
    QVERIFY(j["training_data"].toString().startsWith("synthetic images only"));
    const QJsonObject gate = j["chest_gate"].toObject();
    QVERIFY(gate["decision"].toString() == "yes" || gate["decision"].toString() == "uncertain");
    QVERIFY(gate["score"].isDouble() && gate["refuse_above"].toDouble() > gate["accept_below"].toDouble());
  }

  void aNonChestImageGetsNoDraft() {
    const QString json = tmp_.filePath("refused.json");
    const clitest::Run r = clitest::cli({"generate", "--model", model_, "--json", json, mr_});
    QCOMPARE(r.code, 3);
    QVERIFY2(r.out.contains("NO DRAFT: ") && r.out.contains("shoulder.dcm") && r.out.contains("modality is MR"),
             qPrintable(r.out));
    QVERIFY(!r.out.contains("DRAFT - machine-generated"));
    const QJsonObject j = readJson(json);
    QCOMPARE(j["draft"].toBool(true), false);
    QCOMPARE(j["chest_gate"].toObject()["decision"].toString(), QString("no"));
  }

  void aFolderWithoutProvenanceSaysUnknownTrainingData() {
    const QString copy = tmp_.filePath("no-provenance");
    QVERIFY(QDir().mkpath(copy));
    for (const QString& f : QDir(model_).entryList(QDir::Files))
      if (f != "provenance.json") QVERIFY(QFile::copy(model_ + "/" + f, copy + "/" + f));
    const clitest::Run r = clitest::cli({"generate", "--model", copy, "--max-new", "10", chest_});
    QVERIFY2(r.code == 0, qPrintable(r.out));
    QVERIFY2(r.out.contains("Model trained on: unknown training data"), qPrintable(r.out));
  }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cli_chest_check.moc"
