// Draft generation: through the real ReportGenerator with a model folder; a clear "no report model
// installed" without one; report text split into FINDINGS and IMPRESSION.
#include "app/tiny_model.h"  // LibTorch first: Qt's "slots" macro breaks its headers

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/draft_service.h"
#include "app/site/finding_labels.h"
#include "app/test_dicom.h"
#include "engine/model/model_folder.h"

using namespace fedmrg::app;

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
    Draft d;
    std::atomic<bool> cancel{false};
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, service->generate("x.dcm", d, {}, cancel));
    QVERIFY(d.findings.empty() && d.impression.empty());
    QVERIFY(QDir().mkpath(dir.filePath("model")));
    QVERIFY(!service->available(&reason));
    const std::string config = fedmrg::engine::ModelFolder(dir.filePath("model").toStdString()).configPath();
    QVERIFY2(reason.contains(QFileInfo(QString::fromStdString(config)).fileName()), qPrintable(reason));
  }

  void draftsWithAModelFolder() {
    QTemporaryDir dir;
    const QString model = dir.filePath("model");
    QVERIFY(QDir().mkpath(model));
    fedmrg::testing::writeTinyModel(model.toStdString());
    fedmrg::testing::TestDicom image;
    image.width = image.height = 128;
    const QString file = dir.filePath("study.dcm");
    fedmrg::testing::writeTestDicom(file.toStdString(), image);

    auto service = makeDraftService(model);
    QVERIFY(service->available(nullptr));
    Draft d;
    std::atomic<bool> cancel{false};
    std::vector<double> steps;
    QVERIFY(service->generate(file, d, [&](double p) { steps.push_back(p); }, cancel));
    QVERIFY(!d.findings.empty() || !d.impression.empty());
    QVERIFY(!steps.empty());
    QCOMPARE(steps.back(), 1.0);
    QVERIFY(std::is_sorted(steps.begin(), steps.end()));
    decodeLabels(d.labels);  // well-formed
    // Deterministic: the same image drafts the same text.
    Draft again;
    QVERIFY(service->generate(file, again, {}, cancel));
    QCOMPARE(again.findings, d.findings);

    std::atomic<bool> cancelled{true};
    Draft none;
    QVERIFY(!service->generate(file, none, {}, cancelled));
    QVERIFY(none.findings.empty());
  }
};

QTEST_APPLESS_MAIN(TstDraftService)
#include "tst_draft_service.moc"
