// The chest gate (engine/infer/chest_gate, engine/model/chest_gate_statistics): the rule on tags and image
// distance, the statistics' fit, score and file, and the shipped model's gate on real non-chest DICOM files
// (with and without their tags) and on synthetic chest studies of every FL-MRG-Synth site.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "engine/infer/chest_gate.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_folder.h"
#ifdef FEDMRG_HAVE_DCMTK
#include <dcmtk/dcmdata/dctk.h>

#include "engine/datasets/dataset_loaders.h"
#include "engine/imaging/dicom_image.h"
#include "engine/synth/synth_generator.h"
#endif
#include "reference_data.h"

namespace fs = std::filesystem;
using namespace fedmrg::engine;

namespace {

ChestGateInput chestTags() {
  ChestGateInput in;
  in.modality = "DX";
  in.bodyPart = "CHEST";
  in.viewPosition = "PA";
  in.photometric = "MONOCHROME2";
  in.width = in.height = 1024;
  return in;
}

ChestGateStatistics thresholds(double accept, double refuse) {
  ChestGateStatistics s;
  s.acceptBelow = accept;
  s.refuseAbove = refuse;
  return s;
}

std::vector<std::vector<float>> gaussian(int n, int dim, float shift, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> z(0, 1);
  std::vector<std::vector<float>> out(size_t(n), std::vector<float>(size_t(dim), 0.f));
  for (auto& v : out)
    for (int i = 0; i < dim; ++i) v[size_t(i)] = z(rng) * float(1 + i % 4) + shift;  // unequal spreads
  return out;
}

}  // namespace

class TestChestGate : public QObject {
  Q_OBJECT

 private:
  const std::string model_ = std::string(FEDMRG_SOURCE_DIR) + "/resources/models/default";

 private slots:
  void tagsThatNameAnotherStudyRefuse() {
    const ChestGateStatistics s = thresholds(1.5, 3);
    struct Case {
      const char* what;
      ChestGateInput in;
      const char* reasonHas;
    };
    ChestGateInput mr = chestTags(), hand = chestTags(), frames = chestTags(), rgb = chestTags(), desc = chestTags();
    mr.modality = "MR";
    hand.modality = "CR", hand.bodyPart = "HAND";
    frames.frames = 10;
    rgb.photometric = "RGB";
    desc.bodyPart.clear(), desc.studyDescription = "XR KNEE 2 VIEWS";
    for (const Case& c : {Case{"MR", mr, "MR"}, Case{"hand", hand, "HAND"}, Case{"frames", frames, "10 frames"},
                          Case{"colour", rgb, "RGB"}, Case{"description", desc, "KNEE"}}) {
      // Even an image that scores like the training images is refused: the tags say what it is.
      const ChestGateResult r = decideChestGate(c.in, &s, 0.5);
      QVERIFY2(r.decision == ChestGateDecision::No, c.what);
      QVERIFY2(!r.drafts(), c.what);
      QVERIFY2(r.reason.find(c.reasonHas) != std::string::npos, r.reason.c_str());
    }
  }

  void aPanoramicShapeWithoutChestTagsRefuses() {
    ChestGateInput pano;  // a dental panoramic: CR, no body part, twice as wide as tall
    pano.modality = "CR";
    pano.photometric = "MONOCHROME2";
    pano.width = 2800, pano.height = 1400;
    const ChestGateResult r = decideChestGate(pano, nullptr, std::nullopt);
    QCOMPARE(r.decision, ChestGateDecision::No);
    QVERIFY(r.reason.find("2800x1400") != std::string::npos);
  }

  void theImageScoreDecidesWhenTheTagsAllowIt() {
    const ChestGateStatistics s = thresholds(1.5, 3);
    ChestGateInput bare;  // tags stripped: only what decoding needs
    bare.photometric = "MONOCHROME2";
    bare.width = bare.height = 512;
    QCOMPARE(decideChestGate(chestTags(), &s, 0.9).decision, ChestGateDecision::Yes);
    QCOMPARE(decideChestGate(bare, &s, 0.9).decision, ChestGateDecision::Yes);
    QCOMPARE(decideChestGate(chestTags(), &s, 2.0).decision, ChestGateDecision::Uncertain);
    QCOMPARE(decideChestGate(bare, &s, 2.0).decision, ChestGateDecision::Uncertain);
    // Far from every training image: refused unless a tag names the chest (then a warning, not a refusal).
    QCOMPARE(decideChestGate(bare, &s, 5.0).decision, ChestGateDecision::No);
    QCOMPARE(decideChestGate(chestTags(), &s, 5.0).decision, ChestGateDecision::Uncertain);
    // A tag that names the chest and another part says nothing either way.
    ChestGateInput both = bare;
    both.studyDescription = "CHEST AND ABDOMEN";
    QCOMPARE(decideChestGate(both, &s, 5.0).decision, ChestGateDecision::No);
    // The result carries the score and thresholds for the draft's output.
    const ChestGateResult r = decideChestGate(chestTags(), &s, 2.0);
    QVERIFY(r.score && *r.score == 2.0);
    QCOMPARE(r.acceptBelow, 1.5);
    QVERIFY(r.summary().find("uncertain (image distance 2.00") == 0);
  }

  void withoutStatisticsTheGateIsAtBestUncertain() {
    const ChestGateResult r = decideChestGate(chestTags(), nullptr, std::nullopt);
    QCOMPARE(r.decision, ChestGateDecision::Uncertain);
    QVERIFY(!r.score);
    QVERIFY(r.summary().find("no image check") != std::string::npos);
  }

  void statisticsScoreTheirOwnDistributionNearOneAndAShiftFar() {
    const int dim = 40;
    const auto train = gaussian(600, dim, 0, 1), near = gaussian(200, dim, 0, 2), far = gaussian(50, dim, 8, 3);
    ChestGateStatistics s = ChestGateStatistics::fit(train, 8, 2, 4);
    double meanNear = 0, minFar = 1e9;
    for (const auto& f : near) meanNear += s.score(f) / double(near.size());
    for (const auto& f : far) minFar = std::min(minFar, s.score(f));
    QVERIFY2(meanNear > 0.8 && meanNear < 1.2, qPrintable(QString::number(meanNear)));
    QVERIFY2(minFar > 2.0, qPrintable(QString::number(minFar)));
    QVERIFY_THROWS_EXCEPTION(ChestGateStatisticsError, s.score(std::vector<float>(size_t(dim - 1), 0.f)));

    QTemporaryDir tmp;
    s.acceptBelow = 1.4, s.refuseAbove = 2.5;
    const ModelFolder folder(tmp.path().toStdString());
    QVERIFY(!folder.hasChestGate());
    folder.saveChestGate(s);
    QVERIFY(folder.hasChestGate());
    const ChestGateStatistics back = folder.loadChestGate();
    QCOMPARE(back.acceptBelow, 1.4);
    QCOMPARE(back.layoutGrid, 2);
    QVERIFY(std::fabs(back.score(far[0]) - s.score(far[0])) < 1e-3 * s.score(far[0]));
  }

  void aBrokenStatisticsFileIsRefusedWithItsNameAndField() {
    QTemporaryDir tmp;
    const ModelFolder folder(tmp.path().toStdString());
    ChestGateStatistics s = ChestGateStatistics::fit(gaussian(50, 30, 0, 4), 4, 2, 4);
    s.acceptBelow = 1, s.refuseAbove = 2;
    folder.saveChestGate(s);
    std::ifstream in(folder.chestGatePath());
    const std::string good((std::istreambuf_iterator<char>(in)), {});
    const std::pair<std::string, std::string> cases[] = {
        {"{\"format\":\"other\"}", "format"},
        {good.substr(0, good.size() / 2), "chest_gate.json"},
        {std::string(good).replace(good.find("\"accept_below\""), 14, "\"accept_belo_\""), "accept_below"},
        {std::string(good).replace(good.find("\"spread\":["), 10, "\"spread\":[0,"), "spread"}};
    for (const auto& [text, expected] : cases) {
      std::ofstream(folder.chestGatePath()) << text;
      try {
        folder.loadChestGate();
        QFAIL(("accepted: " + text.substr(0, 60)).c_str());
      } catch (const ChestGateStatisticsError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(folder.chestGatePath()) == 0, e.what());
        QVERIFY2(what.find(expected) != std::string::npos, e.what());
      }
    }
  }

#ifdef FEDMRG_HAVE_DCMTK
  // Every real non-chest file, as it is and with every tag the gate reads stripped (written back by DCMTK),
  // gets no chest draft from the shipped model: the gate says no, or the file cannot be read at all.
  void realNonChestFilesGetNoDraftWithOrWithoutTags() {
    const std::string dir = fedmrg::testing::referencePath("dicom-nonchest");
    if (!fs::is_directory(dir)) FEDMRG_REFERENCE_MISSING("dicom-nonchest", "the chest gate on real non-chest files");
    const ModelFolder folder(model_);
    QVERIFY(folder.hasChestGate());
    const ChestGateStatistics stats = folder.loadChestGate();
    ReportGenerator::Options go;
    go.threads = 1;
    const ReportGenerator gen(model_, go);
    QTemporaryDir tmp;
    int files = 0, imageChecked = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".dcm") continue;
      ++files;
      const std::string stripped = tmp.filePath(QString::fromStdString(e.path().filename().string())).toStdString();
      DcmFileFormat ff;
      QVERIFY(ff.loadFile(e.path().c_str()).good());
      for (const DcmTagKey& tag : {DCM_Modality, DCM_BodyPartExamined, DCM_ViewPosition, DCM_StudyDescription,
                                   DCM_SeriesDescription, DCM_ImageType, DCM_ProtocolName})
        ff.getDataset()->findAndDeleteElement(tag, true, true);
      QVERIFY(ff.saveFile(stripped.c_str(), EXS_LittleEndianExplicit).good() || ff.saveFile(stripped.c_str()).good());
      for (const std::string& path : {e.path().string(), stripped}) {
        DicomImage image;
        try {
          image = readDicomImage(path);
        } catch (const DicomError& err) {  // no image, no draft: the message names the file
          QVERIFY2(std::string(err.what()).find(path) != std::string::npos, err.what());
          continue;
        }
        const ChestGateResult r = checkChestImage(gen, &stats, image);
        QVERIFY2(r.decision == ChestGateDecision::No, (path + ": " + r.summary()).c_str());
        if (path == stripped && r.reason.find("unlike every chest") != std::string::npos) ++imageChecked;
      }
    }
    QVERIFY(files >= 5);
    // Without tags the single-frame grey images (MR, the CR tibia) are caught by the image score alone.
    QVERIFY2(imageChecked >= 2, qPrintable(QString::number(imageChecked)));
  }

  void syntheticChestStudiesOfEverySiteStillDraft() {
    QTemporaryDir tmp;
    SynthOptions so;
    so.outDir = tmp.path().toStdString();
    so.studiesPerSite = 4;
    so.size = 256;
    so.seed = 23;  // not the seed the statistics were fitted on
    so.threads = 1;
    generateSynthDataset(so);
    const LoadResult data = loadSynthDataset(so.outDir);
    const ModelFolder folder(model_);
    const ChestGateStatistics stats = folder.loadChestGate();
    ReportGenerator::Options go;
    go.threads = 1;
    const ReportGenerator gen(model_, go);
    std::set<std::string> sites;
    int yes = 0;
    for (const auto& r : data.records) {
      const ChestGateResult g = checkChestImage(gen, &stats, readDicomImage(r.imagePath));
      QVERIFY2(g.drafts(), (r.imagePath + ": " + g.summary()).c_str());
      yes += g.decision == ChestGateDecision::Yes;
      sites.insert(r.site);
    }
    QCOMPARE(int(sites.size()), 5);
    QVERIFY2(yes >= int(data.records.size()) / 2, qPrintable(QString::number(yes)));
  }
#endif
};

QTEST_APPLESS_MAIN(TestChestGate)
#include "tst_chest_gate.moc"
