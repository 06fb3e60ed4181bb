// Tests of the FL-MRG-Synth generator's files: byte-identical for a seed whatever the thread count,
// every DICOM file opens with DCMTK (DcmFileFormat + DicomImage, and the dcmdump tool), the
// attributes a PACS export carries are there, and reports.jsonl / manifest.json are complete.
#include <QtTest>

#ifdef FEDMRG_HAVE_DCMTK
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmimgle/dcmimage.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/core/json.h"
#include "engine/imaging/dicom_image.h"
#include "engine/synth/synth_generator.h"

using namespace fedmrg::engine;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> allFiles(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = readAll(e.path());
  return out;
}

SynthSummary generate(const std::string& dir, int threads, uint64_t seed = 11) {
  SynthOptions o;
  o.outDir = dir;
  o.studiesPerSite = 3;
  o.size = 192;
  o.seed = seed;
  o.threads = threads;
  return generateSynthDataset(o);
}

}  // namespace
#endif  // FEDMRG_HAVE_DCMTK

class TestSynthDicom : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string dirA_;

 private slots:
#ifndef FEDMRG_HAVE_DCMTK
  void skipped() { QSKIP("FL-MRG-Synth (engine/synth) is built only with DCMTK"); }
#else
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    dirA_ = tmp_.filePath("a").toStdString();
    const SynthSummary s = generate(dirA_, 2);
    QCOMPARE(s.studies, 15);
  }

  void sameSeedGivesIdenticalBytes() {
    const std::string dirB = tmp_.filePath("b").toStdString();
    generate(dirB, 1);
    const auto a = allFiles(dirA_), b = allFiles(dirB);
    QCOMPARE(a.size(), size_t(5 * 3 + 5 + 1));  // DICOM files, one reports.jsonl per site, manifest
    for (const auto& [name, bytes] : a) {
      QVERIFY2(b.count(name), name.c_str());
      QVERIFY2(b.at(name) == bytes, name.c_str());
    }
    // A different seed gives different images and UIDs.
    const std::string dirC = tmp_.filePath("c").toStdString();
    generate(dirC, 2, 12);
    QVERIFY(allFiles(dirC).at("site-a/images/000001.dcm") != a.at("site-a/images/000001.dcm"));
  }

  void everyFileOpensWithDcmtk() {
    registerDicomCodecs();
    int files = 0;
    std::map<std::string, int> syntaxes;
    for (const auto& e : fs::recursive_directory_iterator(dirA_)) {
      if (e.path().extension() != ".dcm") continue;
      ++files;
      const std::string path = e.path().string();
      DcmFileFormat ff;
      QVERIFY2(ff.loadFile(path.c_str()).good(), path.c_str());
      DcmDataset* ds = ff.getDataset();
      OFString value;
      for (const DcmTagKey& tag : {DCM_SOPClassUID, DCM_SOPInstanceUID, DCM_StudyInstanceUID, DCM_SeriesInstanceUID,
                                   DCM_PatientName, DCM_PatientID, DCM_PatientSex, DCM_PatientAge, DCM_StudyDate,
                                   DCM_BodyPartExamined, DCM_ViewPosition, DCM_InstitutionName, DCM_WindowCenter,
                                   DCM_WindowWidth, DCM_PixelSpacing, DCM_Modality}) {
        QVERIFY2(ds->findAndGetOFString(tag, value).good() && !value.empty(), (path + " " + tag.toString().c_str()).c_str());
      }
      ds->findAndGetOFString(DCM_BodyPartExamined, value);
      QCOMPARE(std::string(value.c_str()), std::string("CHEST"));
      Uint16 bits = 0;
      ds->findAndGetUint16(DCM_BitsStored, bits);
      QVERIFY(bits == 10 || bits == 12 || bits == 14 || bits == 16);
      ::DicomImage img(path.c_str());
      QVERIFY2(img.getStatus() == EIS_Normal, (path + ": " + ::DicomImage::getString(img.getStatus())).c_str());
      QCOMPARE(int(img.getHeight()), 192);
      syntaxes[ff.getMetaInfo() ? std::to_string(int(ds->getOriginalXfer())) : "?"]++;
      // The project's reader agrees: values in range, MONOCHROME1 flagged, window from the file.
      const fedmrg::engine::DicomImage di = readDicomImage(path);
      QVERIFY(di.windowFromFile);
      QCOMPARE(di.meta.bitsStored, int(bits));
      float lo = 1e9f, hi = -1e9f;
      for (float v : di.values) lo = std::min(lo, v), hi = std::max(hi, v);
      QVERIFY(lo >= 0 && hi <= float((1 << bits) - 1) && hi - lo > float(1 << (bits - 2)));
    }
    QCOMPARE(files, 15);
    QCOMPARE(syntaxes.size(), size_t(3));  // explicit little endian, JPEG lossless, RLE
  }

  void dcmdumpExitsZero() {
    const QString dcmdump = QStandardPaths::findExecutable("dcmdump");
    if (dcmdump.isEmpty()) QSKIP("dcmdump (package dcmtk) is not installed");
    for (const auto& e : fs::recursive_directory_iterator(dirA_)) {
      if (e.path().extension() != ".dcm") continue;
      QProcess p;
      p.start(dcmdump, {QString::fromStdString(e.path().string())});
      QVERIFY(p.waitForFinished(60000));
      QVERIFY2(p.exitCode() == 0, e.path().c_str());
      const QByteArray out = p.readAllStandardOutput(), err = p.readAllStandardError();
      QVERIFY(out.contains("(0018,0015) CS [CHEST]"));
      // Our implementation identity (not DCMTK's version) and a consistent meta header.
      QVERIFY(out.contains("(0002,0013) SH [FEDMRG_SYNTH_1]"));
      QVERIFY2(err.isEmpty(), err.constData());
    }
  }

  void reportsAndManifestAreComplete() {
    const Json manifest = Json::parseFile(dirA_ + "/manifest.json");
    QCOMPARE(manifest.at("sites").size(), size_t(5));
    QCOMPARE(manifest.at("held_out_sites").size(), size_t(1));
    std::set<std::string> uids;
    for (const Json& site : manifest.at("sites").asArray()) {
      const std::string id = site.at("id").asString();
      const Json& splits = site.at("splits");
      QCOMPARE(splits.at("train").asInt() + splits.at("val").asInt() + splits.at("test").asInt(), int64_t(3));
      if (site.at("held_out").asBool()) QCOMPARE(splits.at("test").asInt(), int64_t(3));
      std::ifstream in(dirA_ + "/" + site.at("reports").asString());
      std::string line;
      int n = 0;
      while (std::getline(in, line)) {
        const Json j = Json::parse(line);
        ++n;
        QVERIFY(fs::exists(dirA_ + "/" + id + "/" + j.at("file").asString()));
        QVERIFY(!j.at("report").asString().empty());
        QCOMPARE(j.at("labels").size(), size_t(14));
        QVERIFY(uids.insert(j.at("study_uid").asString()).second);
        const DicomMetadata meta = readDicomMetadata(dirA_ + "/" + id + "/" + j.at("file").asString());
        QCOMPARE(meta.studyInstanceUid, j.at("study_uid").asString());
        QCOMPARE(meta.viewPosition, j.at("view").asString());
      }
      QCOMPARE(n, 3);
    }
  }

  void badOutputFolderIsReported() {
    QFile blocker(tmp_.filePath("file"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    SynthOptions o;
    o.outDir = tmp_.filePath("file").toStdString();
    o.studiesPerSite = 1;
    o.size = 64;
    try {
      generateSynthDataset(o);
      QFAIL("wrote into a file");
    } catch (const std::exception& e) {
      QVERIFY2(QString(e.what()).contains("file"), e.what());
    }
  }
#endif
};

QTEST_APPLESS_MAIN(TestSynthDicom)
#include "tst_synth_dicom.moc"
