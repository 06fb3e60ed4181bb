// The shipped model folder (resources/models/default): complete, under 30 MB, loads, and drafts reports whose
// findings are the states its diagnosis head predicted (the decoder follows the diagnosis-driven prompt).
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#ifdef FEDMRG_HAVE_DCMTK
#include "engine/datasets/dataset_loaders.h"
#include "engine/imaging/dicom_image.h"
#include "engine/synth/synth_generator.h"
#endif
#include "engine/labeler/labeler.h"
#include "engine/model/report_generator.h"

namespace fs = std::filesystem;
using namespace fedmrg;

class TestDefaultModel : public QObject {
  Q_OBJECT

 private:
  const std::string dir_ = std::string(FEDMRG_SOURCE_DIR) + "/resources/models/default";

 private slots:
  void folderIsCompleteAndSmall() {
    uintmax_t bytes = 0;
    for (const char* f : {"config.json", "tokenizer.json", "model.safetensors", "MODEL_CARD.md"}) {
      QVERIFY2(fs::exists(fs::path(dir_) / f), f);
      bytes += fs::file_size(fs::path(dir_) / f);
    }
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().extension() == ".safetensors" && e.path().filename() != "model.safetensors") bytes += e.file_size();
    QVERIFY2(bytes < 30u * 1000 * 1000, qPrintable(QString::number(double(bytes) / 1e6) + " MB"));
  }

  void draftsFollowThePredictedStates() {
#ifndef FEDMRG_HAVE_DCMTK
    QSKIP("FL-MRG-Synth studies (engine/synth) are built only with DCMTK");
#else
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    engine::SynthOptions so;
    so.outDir = tmp.path().toStdString();
    so.studiesPerSite = 5;
    so.size = 256;
    so.seed = 21;
    so.threads = 1;
    engine::generateSynthDataset(so);
    const engine::LoadResult data = engine::loadSynthDataset(so.outDir);
    QCOMPARE(data.skipped, 0);

    engine::ReportGenerator::Options go;
    go.threads = 1;
    engine::ReportGenerator gen(dir_, go);
    engine::GenerationOptions o = gen.defaultOptions();
    o.repetitionPenalty = 1.0f;
    o.noRepeatNgramSize = 0;
    o.maxNewTokens = 200;
    const engine::ReportLabeler labeler;
    int both = 0, onlyPredicted = 0, onlyText = 0, ended = 0, drafts = 0;
    for (const engine::DatasetRecord& r : data.records) {
      const engine::Draft d = gen.draft(engine::readDicomImage(r.imagePath), o);
      QVERIFY(!d.text.empty());
      ++drafts;
      ended += d.endedWithEos;
      const engine::ObservationStates written = labeler.states(d.text);
      for (int i = 1; i < engine::kNumObservations; ++i) {  // No Finding is derived, not prompted
        const bool predicted = d.states[size_t(i)] == engine::ObservationState::Positive;
        const bool inText = written[size_t(i)] == engine::ObservationState::Positive;
        both += predicted && inText;
        onlyPredicted += predicted && !inText;
        onlyText += inText && !predicted;
      }
    }
    QVERIFY(drafts >= 20);
    QVERIFY2(ended == drafts, "every draft should end with the end token within 200 tokens");
    // F1 between the positive states the head predicted and the positive findings the labeler reads in the text.
    const double f1 = 2.0 * both / (2.0 * both + onlyPredicted + onlyText);
    QVERIFY2(both >= 10, qPrintable(QString("only %1 predicted positives were written").arg(both)));
    QVERIFY2(f1 >= 0.85, qPrintable(QString("prompt/text F1 %1 (both %2, only predicted %3, only text %4)")
                                        .arg(f1).arg(both).arg(onlyPredicted).arg(onlyText)));
    qInfo("prompt/text F1 %.3f (both %d, only predicted %d, only in text %d) over %d drafts", f1, both, onlyPredicted,
          onlyText, drafts);
#endif
  }

  // fp16 decoder storage changes only the decoder's arithmetic: the same image gives the same diagnosis, and
  // the draft stays a complete report that writes the same positive findings.
  void halfPrecisionDecoderKeepsTheDraft() {
    engine::ReportGenerator::Options go;
    go.threads = 1;
    engine::ReportGenerator exact(dir_, go);
    go.decoderPrecision = "f16";
    engine::ReportGenerator half(dir_, go);
    const engine::ModelConfig& c = exact.config();
    std::vector<float> image(size_t(c.vision.channels) * size_t(c.imageSize) * size_t(c.imageSize));
    for (size_t i = 0; i < image.size(); ++i) image[i] = float((i * 7919) % 1000) / 1000.0f;
    const engine::GenerationOptions o = exact.defaultOptions();
    const engine::Draft a = exact.draftFromPixels(image, o);
    const engine::Draft b = half.draftFromPixels(image, o);
    QCOMPARE(b.probabilities, a.probabilities);
    QVERIFY(b.states == a.states);
    QVERIFY(b.endedWithEos);
    const engine::ReportLabeler labeler;
    QVERIFY2(labeler.states(b.text) == labeler.states(a.text),
             qPrintable(QString::fromStdString(a.text + "\n---\n" + b.text)));
    go.decoderPrecision = "f8";
    try {
      engine::ReportGenerator bad(dir_, go);
      QFAIL("an unknown precision was accepted");
    } catch (const engine::GeneratorError& e) {
      QVERIFY2(QString(e.what()).contains("unknown decoder precision 'f8'"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestDefaultModel)
#include "tst_default_model.moc"
