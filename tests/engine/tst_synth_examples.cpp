// Tests of the FL-MRG-Synth -> training example path: manifest and JSONL reading, bad lines skipped
// and named, token budgets, DICOM images at the model's size.
#include <QtTest>

#include <fstream>

#ifdef FEDMRG_HAVE_DCMTK
#include "engine/imaging/dicom_image.h"
#include "engine/synth/synth_generator.h"
#endif
#include "engine/infer/report_generator.h"
#include "engine/model/prompt_builder.h"
#include "engine/text/bpe_tokenizer.h"
#include "engine/train/synth_examples.h"

using namespace fedmrg::engine;

class TestSynthExamples : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;

 private slots:
  void initTestCase() {
#ifndef FEDMRG_HAVE_DCMTK
    QSKIP("built without DCMTK: FL-MRG-Synth and DICOM reading are off");
#else
    SynthOptions o;
    o.outDir = dir_.path().toStdString();
    o.studiesPerSite = 4;
    o.size = 64;
    o.threads = 1;
    generateSynthDataset(o);
#endif
  }

  void readsSitesAndRecords() {
    auto sites = readSynthSites(dir_.path().toStdString());
    QVERIFY(sites.size() >= 2);
    int heldOut = 0;
    for (const auto& s : sites) heldOut += s.heldOut;
    QCOMPARE(heldOut, 1);
    auto all = readSynthRecords(sites[0], "");
    QCOMPARE(all.size(), size_t(4));
    auto train = readSynthRecords(sites[0], "train");
    QVERIFY(train.size() < all.size());
    for (const auto& r : all) {
      QVERIFY(QFile::exists(QString::fromStdString(r.imagePath)));
      QVERIFY(!r.report.empty());
      QCOMPARE(r.site, sites[0].id);
    }
  }

  void badLinesAreSkippedAndNamed() {
    QTemporaryDir d;
    QDir().mkpath(d.filePath("s"));
    std::ofstream(d.filePath("s/reports.jsonl").toStdString())
        << "{\"file\": \"a.dcm\", \"report\": \"No effusion.\", \"labels\": {\"pleural_effusion\": \"negative\"}}\n"
        << "not json\n"
        << "{\"file\": \"b.dcm\", \"report\": \"x\", \"labels\": {\"edema\": \"sure\"}}\n";
    SynthSiteEntry site{"s", d.filePath("s").toStdString(), false};
    int skipped = 0;
    std::string problem;
    auto r = readSynthRecords(site, "", &skipped, &problem);
    QCOMPARE(r.size(), size_t(1));
    QCOMPARE(int(r[0].states[size_t(observationIndex("pleural_effusion"))]), int(ObservationState::Negative));
    QCOMPARE(skipped, 2);
    QVERIFY2(QString::fromStdString(problem).contains("reports.jsonl:2"), problem.c_str());
    QVERIFY_THROWS_EXCEPTION(TrainError, readSynthSites(d.path().toStdString()));
  }

  void examplesFitTheModel() {
    auto sites = readSynthSites(dir_.path().toStdString());
    auto records = readSynthRecords(sites[0], "");
    ModelConfig c = ModelConfig::tiny(4000);
    BpeTrainOptions to;
    to.vocabSize = 400;
    BpeTokenizer tok = BpeTokenizer::train(tokenizerCorpus(records, c), to);
    TrainExample e = buildExample(records[0], c, tok, 3);
    QCOMPARE(e.image.size(), size_t(c.imageSize * c.imageSize));
    for (float v : e.image) QVERIFY(v >= 0.0f && v <= 1.0f);
    QCOMPARE(e.site, 3);
    QCOMPARE(e.promptIds.front(), tok.bosId());
    QCOMPARE(e.reportIds.back(), tok.eosId());
    QCOMPARE(tok.decode(std::vector<int>(e.promptIds.begin() + 1, e.promptIds.end())),
             promptText(records[0].states, true, c.prompt.instruction));
    QVERIFY(size_t(c.visualPrefixRows()) + e.promptIds.size() + e.reportIds.size() <= size_t(c.decoder.maxSeqLen));
    // A long report is cut to the budget, and still ends with the end token.
    c.decoder.maxSeqLen = c.visualPrefixRows() + int(e.promptIds.size()) + 4;
    std::vector<int> cut = reportTokenIds(std::string(500, 'a') + " b c d e f", e.promptIds.size(), c, tok);
    QCOMPARE(cut.size(), size_t(4));
    QCOMPARE(cut.back(), tok.eosId());
    SynthRecord missing = records[0];
    missing.imagePath = "/nonexistent/x.dcm";
    try {
      buildExample(missing, ModelConfig::tiny(4000), tok, 0);
      QFAIL("no error");
    } catch (const TrainError& ex) {
      QVERIFY2(QString(ex.what()).contains("/nonexistent/x.dcm"), ex.what());
    }
  }

  void draftFromDicomEqualsDraftFromItsPixels() {
#ifdef FEDMRG_HAVE_DCMTK
    auto sites = readSynthSites(dir_.path().toStdString());
    auto records = readSynthRecords(sites[1], "");
    ModelConfig c = ModelConfig::tiny(4000);
    c.decoder.maxSeqLen = 512;
    BpeTrainOptions to;
    to.vocabSize = 320;
    BpeTokenizer tok = BpeTokenizer::train(tokenizerCorpus(records, c), to);
    c.decoder.vocabSize = tok.vocabSize();
    std::vector<TrainExample> examples;
    for (const auto& r : records) examples.push_back(buildExample(r, c, tok, 0));
    Trainer t(c, 1);
    TrainOptions o;
    o.steps = 3;
    o.batchSize = 2;
    o.threads = 1;
    t.train(examples, o);
    QTemporaryDir model;
    t.save(model.path().toStdString(), &tok);

    ReportGenerator gen(model.path().toStdString());
    GenerationOptions go = gen.defaultOptions();
    go.maxNewTokens = 8;
    DicomImage image = readDicomImage(records[0].imagePath);
    Draft a = gen.draft(image, go);
    Draft b = gen.draftFromPixels(modelInput(image, c.imageSize), go);
    QCOMPARE(a.tokens, b.tokens);
    QCOMPARE(a.text, b.text);
    QCOMPARE(a.probabilities, b.probabilities);
    QVERIFY(!a.tokens.empty());
#endif
  }
};

QTEST_APPLESS_MAIN(TestSynthExamples)
#include "tst_synth_examples.moc"
