// Draft generation: through the real ReportGenerator with a model folder, giving exactly the engine's draft
// (its text split into FINDINGS and IMPRESSION, its diagnosis states as labels); a clear "no report model
// installed" without one; a file that is not a readable DICOM image refused with the file and the reason.
#include "app/tiny_model.h"  // LibTorch first: Qt's "slots" macro breaks its headers

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

#include "app/site/draft_activity.h"
#include "app/site/draft_service.h"
#include "app/site/finding_labels.h"
#include "app/site/image_vault.h"
#include "app/test_dicom.h"
#include "engine/imaging/dicom_image.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_folder.h"

using namespace fedmrg::app;
namespace engine = fedmrg::engine;

namespace {

// A tiny model folder at `model` and a 128x128 test image at `file`.
bool writeModelAndImage(const QString& model, const QString& file) {
  if (!QDir().mkpath(model)) return false;
  fedmrg::testing::writeTinyModel(model.toStdString());
  fedmrg::testing::TestDicom image;
  image.width = image.height = 128;
  fedmrg::testing::writeTestDicom(file.toStdString(), image);
  return true;
}

// What the engine alone drafts for the file with the model's default options.
engine::Draft engineDraft(const QString& model, const QString& file) {
  engine::ReportGenerator generator(model.toStdString());
  return generator.draft(engine::readDicomImage(file.toStdString()), generator.defaultOptions());
}

// The engine's decided states in the app's names (the two enums share their values).
FindingStates asFindings(const engine::ObservationStates& states) {
  FindingStates out = blankFindings();
  for (int i = 0; i < kFindingCount; ++i) out[i] = static_cast<FindingState>(states[i]);
  return out;
}

QString defaultModel() { return QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default"; }

}  // namespace

class TstDraftService : public QObject {
  Q_OBJECT

 private slots:
  void splitsSections() {
    auto s = splitReportText("COMPARISON: None.\nFINDINGS: Heart is normal. Lungs clear.\nIMPRESSION: Normal chest.");
    QCOMPARE(s.findings, std::string("COMPARISON: None.\nHeart is normal. Lungs clear."));
    QCOMPARE(s.impression, std::string("Normal chest."));
    s = splitReportText("findings: a b c impression: d");
    QCOMPARE(s.findings, std::string("a b c"));
    QCOMPARE(s.impression, std::string("d"));
    s = splitReportText("  no markers at all ");
    QCOMPARE(s.findings, std::string("no markers at all"));
    QVERIFY(s.impression.empty());
  }

  void saysWhenNoModelIsInstalled() {
    QTemporaryDir dir;
    auto service = makeDraftService(dir.filePath("model"));
    QString reason;
    QVERIFY(!service->available(&reason));
    QVERIFY2(reason.contains("No report model installed"), qPrintable(reason));
    DraftedReport d;
    std::atomic<bool> cancel{false};
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, service->generate("x.dcm", d, {}, cancel));
    QVERIFY(d.findings.empty() && d.impression.empty());
    QVERIFY(QDir().mkpath(dir.filePath("model")));
    QVERIFY(!service->available(&reason));
    const std::string config = fedmrg::engine::ModelFolder(dir.filePath("model").toStdString()).configPath();
    QVERIFY2(reason.contains(QFileInfo(QString::fromStdString(config)).fileName()), qPrintable(reason));
  }

  void siteModelFolderIsInsideTheSite() {
    // Only the site decides: the user's FEDMRG_MODEL_DIR is read by the program's main, not here.
    qputenv("FEDMRG_MODEL_DIR", "/elsewhere/model");
    const QString site = QDir::temp().filePath("some-site");
    QCOMPARE(siteModelDir(site), QDir(site).filePath("model"));
    qunsetenv("FEDMRG_MODEL_DIR");
  }

  void draftsWithAModelFolder() {
    QTemporaryDir dir;
    const QString model = dir.filePath("model"), file = dir.filePath("study.dcm");
    QVERIFY(writeModelAndImage(model, file));

    auto service = makeDraftService(model);
    QVERIFY(service->available(nullptr));
    DraftedReport d;
    std::atomic<bool> cancel{false};
    std::vector<double> steps;
    QVERIFY(service->generate(file, d, [&](double p) { steps.push_back(p); }, cancel));
    QVERIFY(!steps.empty());
    QCOMPARE(steps.back(), 1.0);
    QVERIFY(std::is_sorted(steps.begin(), steps.end()));
    // Exactly the engine's draft of this image: its text in the two sections, its decided states as labels.
    const engine::Draft expected = engineDraft(model, file);
    QVERIFY(!expected.text.empty());
    const ReportSections sections = splitReportText(expected.text);
    QCOMPARE(d.findings, sections.findings);
    QCOMPARE(d.impression, sections.impression);
    QCOMPARE(d.labels, encodeLabels(asFindings(expected.states)));
    QVERIFY(decodeLabels(d.labels) == asFindings(expected.states));
    // Deterministic: the same image drafts the same report.
    DraftedReport again;
    QVERIFY(service->generate(file, again, {}, cancel));
    QCOMPARE(again.findings, d.findings);
    QCOMPARE(again.impression, d.impression);
    QCOMPARE(again.labels, d.labels);
    // Credited to the model that wrote it: the folder's name and the digest of its files.
    QCOMPARE(d.model.name, std::string("model"));
    QCOMPARE(d.model.version, identifyModel(model).version);
    QCOMPARE(again.model.version, d.model.version);

    std::atomic<bool> cancelled{true};
    DraftedReport none;
    QVERIFY(!service->generate(file, none, {}, cancelled));
    QVERIFY(none.findings.empty() && none.impression.empty() && none.labels.empty());
  }

  // A site's encrypted image drafts exactly like the plain file it was sealed from, decoded in memory;
  // without the vault the sealed file is no DICOM at all.
  // Each draft is marked in the shared DraftActivity for its whole run (the background trainer waits meanwhile),
  // and unmarked when it ends, failed drafts included.
  void marksEachDraftInTheActivity() {
    QTemporaryDir dir;
    const QString model = dir.filePath("model"), file = dir.filePath("study.dcm");
    QVERIFY(writeModelAndImage(model, file));
    auto activity = std::make_shared<DraftActivity>();
    auto service = makeDraftService(model, nullptr, activity);
    DraftedReport d;
    std::atomic<bool> cancel{false};
    std::vector<bool> seen;
    QVERIFY(service->generate(file, d, [&](double) { seen.push_back(activity->active()); }, cancel));
    QVERIFY(!seen.empty());
    QVERIFY(std::all_of(seen.begin(), seen.end(), [](bool b) { return b; }));
    QVERIFY(!activity->active());
    QVERIFY_THROWS_EXCEPTION(std::exception, service->generate(dir.filePath("missing.dcm"), d, {}, cancel));
    QVERIFY(!activity->active());
  }

  void draftsFromAnEncryptedSiteImage() {
    QTemporaryDir dir;
    const QString model = dir.filePath("model"), file = dir.filePath("study.dcm");
    QVERIFY(writeModelAndImage(model, file));
    QFile plain(file);
    QVERIFY(plain.open(QIODevice::ReadOnly));
    auto vault = std::make_shared<const ImageVault>(dir.filePath("site"), ImageVault::newKey());
    const QString sealed = dir.filePath("site/" + vault->store(plain.readAll()));
    std::atomic<bool> cancel{false};
    DraftedReport fromVault;
    QVERIFY(makeDraftService(model, vault)->generate(sealed, fromVault, {}, cancel));
    const ReportSections expected = splitReportText(engineDraft(model, file).text);
    QCOMPARE(fromVault.findings, expected.findings);
    DraftedReport none;
    QVERIFY_THROWS_EXCEPTION(std::exception, makeDraftService(model)->generate(sealed, none, {}, cancel));
  }

  // The shipped model writes both sections, and its labels carry the observations it decided (the tiny model
  // above writes noise, which has no IMPRESSION to split off).
  void shippedModelDraftsBothSections() {
    if (engine::ModelFolder(defaultModel().toStdString()).kind() != engine::ModelFolder::Kind::Fedmrg)
      QSKIP("resources/models/default is not in this checkout");
    QTemporaryDir dir;
    fedmrg::testing::TestDicom image;
    image.width = image.height = 256;
    const QString file = dir.filePath("study.dcm");
    fedmrg::testing::writeTestDicom(file.toStdString(), image);
    auto service = makeDraftService(defaultModel());
    DraftedReport d;
    std::atomic<bool> cancel{false};
    QVERIFY(service->generate(file, d, {}, cancel));
    const engine::Draft expected = engineDraft(defaultModel(), file);
    const ReportSections sections = splitReportText(expected.text);
    QVERIFY2(!sections.findings.empty() && !sections.impression.empty(), expected.text.c_str());
    QCOMPARE(d.findings, sections.findings);
    QCOMPARE(d.impression, sections.impression);
    QCOMPARE(d.labels, encodeLabels(asFindings(expected.states)));
  }

  // Every draft carries the chest radiograph check and the model's training-data statement; a folder without
  // the statement says so, and an image whose tags name another study gets no draft.
  void draftsCarryTheChestCheckAndTheTrainingData() {
    QTemporaryDir dir;
    const QString bare = dir.filePath("bare"), stated = dir.filePath("stated");
    for (const QString& m : {bare, stated}) {
      QVERIFY(QDir().mkpath(m));
      fedmrg::testing::writeTinyModel(m.toStdString());
    }
    QFile provenance(QString::fromStdString(engine::ModelFolder(stated.toStdString()).provenancePath()));
    QVERIFY(provenance.open(QIODevice::WriteOnly));
    provenance.write(R"({"training_data": "synthetic images only"})");
    provenance.close();
    fedmrg::testing::TestDicom image;
    image.width = image.height = 128;
    const QString chest = dir.filePath("chest.dcm"), mr = dir.filePath("knee.dcm");
    fedmrg::testing::writeTestDicom(chest.toStdString(), image);
    image.modality = "MR";
    fedmrg::testing::writeTestDicom(mr.toStdString(), image);
    std::atomic<bool> cancel{false};

    DraftedReport d;
    QVERIFY(makeDraftService(bare)->generate(chest, d, {}, cancel));
    QCOMPARE(d.trainingData, std::string("unknown training data"));
    QCOMPARE(d.chestCheck, std::string("uncertain"));  // no statistics in the folder: no image check
    QVERIFY2(d.chestCheckLine.find("no image check") != std::string::npos, d.chestCheckLine.c_str());
    QVERIFY(d.chestUncertain());
    // Kept with the draft's version for the SR: the gate's reason, and no distance without an image check.
    QVERIFY2(d.chestCheckLine.find(d.chestCheckReason) != std::string::npos && !d.chestCheckReason.empty(),
             d.chestCheckReason.c_str());
    QVERIFY(!d.chestCheckScore.has_value());

    auto service = makeDraftService(stated);
    QVERIFY(service->generate(chest, d, {}, cancel));
    QCOMPARE(d.trainingData, std::string("synthetic images only"));
    DraftedReport refused;
    try {
      service->generate(mr, refused, {}, cancel);
      QFAIL("an MR image was drafted");
    } catch (const NotChestRadiographError& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains("knee.dcm") && QString::fromUtf8(e.what()).contains("MR"),
               e.what());
    }
    QVERIFY(refused.findings.empty() && refused.labels.empty());

    if (engine::ModelFolder(defaultModel().toStdString()).kind() != engine::ModelFolder::Kind::Fedmrg) return;
    QVERIFY(makeDraftService(defaultModel())->generate(chest, d, {}, cancel));
    QVERIFY2(d.chestCheckLine.find("image distance") != std::string::npos, d.chestCheckLine.c_str());
    QVERIFY(d.chestCheckScore.has_value());
    QVERIFY2(d.trainingData.find("synthetic images only") != std::string::npos, d.trainingData.c_str());
  }

  // An empty file and a file that is not DICOM: refused with the file's path and the reader's reason, and the
  // draft is left as it was.
  void refusesUnreadableFilesWithTheReason() {
    QTemporaryDir dir;
    const QString model = dir.filePath("model");
    QVERIFY(QDir().mkpath(model));
    fedmrg::testing::writeTinyModel(model.toStdString());
    auto service = makeDraftService(model);
    const QString empty = dir.filePath("empty.dcm"), text = dir.filePath("notes.dcm");
    QFile e(empty), t(text);
    QVERIFY(e.open(QIODevice::WriteOnly) && t.open(QIODevice::WriteOnly));
    t.write(QByteArray(400, 'x'));
    e.close();
    t.close();
    for (const QString& file : {empty, text}) {
      DraftedReport d;
      d.findings = "unchanged";
      std::atomic<bool> cancel{false};
      try {
        service->generate(file, d, {}, cancel);
        QFAIL(qPrintable(file + " drafted"));
      } catch (const std::runtime_error& error) {
        const QString what = QString::fromUtf8(error.what());
        QVERIFY2(what.startsWith(file + ": cannot read DICOM: "), qPrintable(what));
        QVERIFY2(what.size() > file.size() + 20, qPrintable(what));  // and a reason after it
      }
      QCOMPARE(d.findings, std::string("unchanged"));
    }
  }
};

QTEST_APPLESS_MAIN(TstDraftService)
#include "tst_draft_service.moc"
