// Tests of the data set loaders on small fixtures written here: IU X-ray (R2Gen annotation.json and
// the indiana_*.csv layout), MIMIC-CXR-JPG, a DICOM folder with a CSV, and FL-MRG-Synth. Missing and
// corrupt files must be reported with path and reason and skipped, with correct counts.
#include <QtTest>

#include <filesystem>

#ifdef FEDMRG_HAVE_DCMTK
#include <fstream>

#include "engine/core/png_writer.h"
#include "engine/datasets/csv_reader.h"
#include "engine/datasets/dataset_loaders.h"
#include "engine/synth/chest_renderer.h"
#include "engine/synth/dicom_writer.h"
#include "engine/synth/synth_generator.h"

using namespace fedmrg::engine;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

void writeSmallPng(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::vector<uint8_t> px(16 * 16, 128);
  writePng(p.string(), px.data(), 16, 16, 1);
}

// Enough of a JPEG for the loaders' checks: start-of-image and end-of-image markers.
std::string fakeJpeg() { return std::string("\xFF\xD8\xFF\xE0", 4) + std::string(32, 'j') + std::string("\xFF\xD9", 2); }

void writeSmallDicom(const fs::path& p, uint64_t seed) {
  fs::create_directories(p.parent_path());
  const SiteProfile site = builtinSites()[0];
  const SynthImage img = renderChest(sampleStudy(site, seed), site.acquisition, 64);
  writeSynthDicom(p.string(), img, synthDicomInfo(seed, site, false, 50, false, 1), TransferSyntax::ExplicitLittle);
}

bool hasIssue(const LoadResult& r, const std::string& pathPart, const std::string& reasonPart) {
  for (const LoadIssue& i : r.issues)
    if (i.path.find(pathPart) != std::string::npos && i.reason.find(reasonPart) != std::string::npos) return true;
  return false;
}

QString describe(const LoadResult& r) {
  QString s = QString("loaded %1 skipped %2:").arg(r.loaded).arg(r.skipped);
  for (const LoadIssue& i : r.issues) s += QString(" [%1: %2]").arg(QString::fromStdString(i.path), QString::fromStdString(i.reason));
  return s;
}

}  // namespace
#endif  // FEDMRG_HAVE_DCMTK

class TestDatasetLoaders : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root() const { return std::filesystem::path(tmp_.path().toStdString()); }

 private slots:
#ifndef FEDMRG_HAVE_DCMTK
  void skipped() { QSKIP("FL-MRG-Synth (engine/synth) is built only with DCMTK"); }
#else
  void r2genAnnotation() {
    const fs::path d = root() / "r2gen";
    writeSmallPng(d / "images/CXR1_IM-1/0.png");
    writeSmallPng(d / "images/CXR1_IM-1/1.png");
    writeSmallPng(d / "images/CXR2_IM-2/0.png");
    writeSmallPng(d / "images/CXR4_IM-4/0.png");
    writeFile(d / "images/CXR3_IM-3/0.png", "this is not a png");
    const std::string ann =
        "{\"train\": [{\"id\": \"CXR1_IM-1\", \"report\": \"Heart size normal. No effusion.\", "
        "\"image_path\": [\"CXR1_IM-1/0.png\", \"CXR1_IM-1/1.png\"], \"split\": \"train\"},"
        "{\"id\": \"CXR9_IM-9\", \"report\": \"Clear lungs.\", \"image_path\": [\"CXR9_IM-9/0.png\"]},"
        "{\"id\": \"CXR3_IM-3\", \"report\": \"Small left effusion.\", \"image_path\": [\"CXR3_IM-3/0.png\"]}],"
        "\"val\": [{\"id\": \"CXR2_IM-2\", \"report\": \"Cardiomegaly.\", \"image_path\": [\"CXR2_IM-2/0.png\"]}],"
        "\"test\": [{\"id\": \"CXR4_IM-4\", \"report\": \"No pneumothorax.\", \"image_path\": [\"CXR4_IM-4/0.png\"]},"
        "{\"id\": \"broken\"}]}";
    writeFile(d / "annotation.json", ann);
    const LoadResult r = loadR2GenAnnotation((d / "annotation.json").string(), (d / "images").string());
    QVERIFY2(r.loaded == 3 && r.skipped == 3, qPrintable(describe(r)));
    QCOMPARE(r.records.size(), size_t(3));
    QCOMPARE(r.records[0].id, std::string("CXR1_IM-1"));
    QVERIFY(r.records[0].imagePath.find("CXR1_IM-1/0.png") != std::string::npos);
    QCOMPARE(r.records[0].split, std::string("train"));
    QCOMPARE(r.records[1].split, std::string("val"));
    QVERIFY(!r.records[0].hasStates);
    QVERIFY(hasIssue(r, "CXR9_IM-9/0.png", "file not found"));
    QVERIFY(hasIssue(r, "CXR3_IM-3/0.png", "not a PNG"));
    QVERIFY(hasIssue(r, "[test][1]", "missing report or image_path"));

    writeFile(d / "bad.json", "{\"train\": [\n  {\"id\": 1,}\n]}");
    const LoadResult bad = loadR2GenAnnotation((d / "bad.json").string(), (d / "images").string());
    QCOMPARE(bad.loaded, 0);
    QCOMPARE(bad.skipped, 1);
    QVERIFY2(hasIssue(bad, "bad.json", "line 2"), qPrintable(describe(bad)));
  }

  void indianaCsv() {
    const fs::path d = root() / "iu";
    writeSmallPng(d / "images/1_IM-0001-4001.dcm.png");
    writeSmallPng(d / "images/1_IM-0001-3001.dcm.png");
    writeFile(d / "indiana_reports.csv",
              "uid,MeSH,Problems,image,indication,comparison,findings,impression\n"
              "1,normal,normal,Xray Chest PA and Lateral,\"Cough, fever\",None.,\"The heart is normal.\n"
              "No \"\"acute\"\" effusion.\",Normal chest.\n"
              "2,normal,normal,Xray Chest,,,Lungs clear.,\n"
              "3,normal,normal,Xray Chest,,,,\n");
    writeFile(d / "indiana_projections.csv",
              "uid,filename,projection\n"
              "1,1_IM-0001-3001.dcm.png,Lateral\n"
              "1,1_IM-0001-4001.dcm.png,Frontal\n"
              "2,2_IM-0002-1001.dcm.png,Frontal\n");
    const LoadResult r = loadIndianaCsv((d / "indiana_reports.csv").string(), (d / "indiana_projections.csv").string(),
                                        (d / "images").string());
    QVERIFY2(r.loaded == 1 && r.skipped == 2, qPrintable(describe(r)));
    const DatasetRecord& rec = r.records[0];
    QCOMPARE(rec.id, std::string("1"));
    QVERIFY2(rec.imagePath.find("4001") != std::string::npos, rec.imagePath.c_str());  // the frontal one
    QCOMPARE(rec.report, std::string("FINDINGS: The heart is normal.\nNo \"acute\" effusion.\nIMPRESSION: Normal chest."));
    QVERIFY(hasIssue(r, "2_IM-0002-1001.dcm.png", "file not found"));
    QVERIFY(hasIssue(r, "indiana_reports.csv line 5", "empty report"));

    writeFile(d / "broken.csv", "uid,findings\n1,\"never closed\n");
    try {
      CsvTable::readFile((d / "broken.csv").string());
      QFAIL("accepted an unterminated quote");
    } catch (const CsvError& e) {
      QVERIFY2(QString(e.what()).contains("line 2"), e.what());
    }
    const LoadResult missing = loadIndianaCsv((d / "nope.csv").string(), (d / "indiana_projections.csv").string(), "");
    QCOMPARE(missing.loaded, 0);
    QVERIFY(hasIssue(missing, "", "nope.csv: cannot open"));
  }

  void mimicCxrJpg() {
    const fs::path jpg = root() / "mimic-jpg", rep = root() / "mimic-reports";
    writeFile(jpg / "mimic-cxr-2.0.0-split.csv",
              "dicom_id,study_id,subject_id,split\n"
              "lat1,50000001,10000032,train\n"
              "pa1,50000001,10000032,train\n"
              "ap2,50000002,10000032,validate\n"
              "pa3,50000003,11000040,test\n"
              "pa4,50000004,11000040,test\n");
    writeFile(jpg / "mimic-cxr-2.0.0-metadata.csv",
              "dicom_id,study_id,ViewPosition\nlat1,50000001,LATERAL\npa1,50000001,PA\nap2,50000002,AP\npa3,50000003,PA\npa4,50000004,PA\n");
    writeFile(jpg / "mimic-cxr-2.0.0-chexpert.csv",
              "subject_id,study_id,Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,"
              "Lung Lesion,Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices\n"
              "10000032,50000001,,1.0,,,,,,,,-1.0,,,0.0,\n"
              "10000032,50000002,,,,,,,,,1.0,,,,,\n");
    writeFile(jpg / "files/p10/p10000032/s50000001/pa1.jpg", fakeJpeg());
    writeFile(jpg / "files/p10/p10000032/s50000001/lat1.jpg", fakeJpeg());
    writeFile(jpg / "files/p10/p10000032/s50000002/ap2.jpg", fakeJpeg());
    writeFile(jpg / "files/p11/p11000040/s50000003/pa3.jpg", fakeJpeg().substr(0, 20));  // truncated
    writeFile(jpg / "files/p11/p11000040/s50000004/pa4.jpg", fakeJpeg());
    writeFile(rep / "files/p10/p10000032/s50000001.txt", "FINDINGS: Enlarged heart.\nIMPRESSION: Cardiomegaly.\n");
    writeFile(rep / "files/p10/p10000032/s50000002.txt", "IMPRESSION: Normal.\n");
    // s50000004 has no report file.
    const LoadResult r = loadMimicCxrJpg(jpg.string(), rep.string());
    QVERIFY2(r.loaded == 2 && r.skipped == 2, qPrintable(describe(r)));
    QVERIFY(r.records[0].imagePath.find("pa1.jpg") != std::string::npos);
    QCOMPARE(r.records[0].split, std::string("train"));
    QCOMPARE(r.records[1].split, std::string("val"));
    QVERIFY(r.records[0].hasStates);
    QCOMPARE(r.records[0].states[2], ObservationState::Positive);    // Cardiomegaly
    QCOMPARE(r.records[0].states[10], ObservationState::Uncertain);  // Pleural Effusion
    QCOMPARE(r.records[0].states[9], ObservationState::Negative);    // Pneumothorax
    QCOMPARE(r.records[0].states[5], ObservationState::Blank);       // Edema
    QCOMPARE(r.records[1].states[0], ObservationState::Positive);    // No Finding
    QCOMPARE(r.records[0].report, std::string("FINDINGS: Enlarged heart.\nIMPRESSION: Cardiomegaly."));
    QVERIFY(hasIssue(r, "pa3.jpg", "truncated JPEG"));
    QVERIFY(hasIssue(r, "s50000004.txt", "report file not found"));

    const LoadResult none = loadMimicCxrJpg((root() / "absent").string(), rep.string());
    QCOMPARE(none.loaded, 0);
    QVERIFY(hasIssue(none, "mimic-cxr-2.0.0-split.csv", "cannot open"));
  }

  void dicomFolderWithCsv() {
    const fs::path d = root() / "dicom";
    writeSmallDicom(d / "a/1.dcm", 1);
    writeSmallDicom(d / "orphan.dcm", 2);
    writeFile(d / "corrupt.dcm", std::string(200, '\x01'));
    writeFile(d / "reports.csv",
              "file,report,split,cardiomegaly,pleural_effusion\n"
              "a/1.dcm,\"Heart is enlarged, no effusion.\",train,positive,negative\n"
              "corrupt.dcm,No acute disease.,test,,\n"
              "missing.dcm,Clear lungs.,test,,\n"
              "a/1.dcm,Duplicate with a bad label.,train,maybe,\n");
    const LoadResult r = loadDicomFolder(d.string(), (d / "reports.csv").string());
    QVERIFY2(r.loaded == 1 && r.skipped == 4, qPrintable(describe(r)));
    const DatasetRecord& rec = r.records[0];
    QVERIFY(rec.hasStates);
    QCOMPARE(rec.states[2], ObservationState::Positive);
    QCOMPARE(rec.states[10], ObservationState::Negative);
    QCOMPARE(rec.states[5], ObservationState::Blank);
    QCOMPARE(rec.report, std::string("Heart is enlarged, no effusion."));
    QCOMPARE(rec.split, std::string("train"));
    QVERIFY(hasIssue(r, "corrupt.dcm", "not a readable DICOM file"));
    QVERIFY(hasIssue(r, "missing.dcm", "file not found"));
    QVERIFY(hasIssue(r, "orphan.dcm", "no report"));
    QVERIFY(hasIssue(r, "reports.csv line 5", "unreadable label value"));
  }

  void synthDataset() {
    const fs::path d = root() / "synth";
    SynthOptions o;
    o.outDir = d.string();
    o.studiesPerSite = 2;
    o.size = 64;
    generateSynthDataset(o);
    fs::remove(d / "site-c/images/000002.dcm");
    const LoadResult r = loadSynthDataset(d.string());
    QVERIFY2(r.loaded == 9 && r.skipped == 1, qPrintable(describe(r)));
    QVERIFY(hasIssue(r, "site-c/images/000002.dcm", "file not found"));
    for (const DatasetRecord& rec : r.records) {
      QVERIFY(rec.hasStates);
      QVERIFY(!rec.report.empty());
      QVERIFY(rec.split == "train" || rec.split == "val" || rec.split == "test");
    }
    QCOMPARE(r.records.back().site, std::string("site-e"));
    QCOMPARE(r.records.back().split, std::string("test"));  // the held-out site
  }
#endif
};

QTEST_APPLESS_MAIN(TestDatasetLoaders)
#include "tst_dataset_loaders.moc"
