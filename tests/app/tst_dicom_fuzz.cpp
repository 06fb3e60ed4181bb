// A bounded fuzz test of the checked decode (issue 15): a few hundred mutated DICOM files (bit flips; edits
// of Rows, Columns, Bits Allocated, Photometric Interpretation and Number of Frames; truncation; damage to
// the JPEG and JPEG 2000 codec headers) go through the importer and through the draft path's decode. No
// crash, no hang (the whole run is timed), every refusal has a reason, and a file whose pixel data no longer
// matches its header is never decoded. Seeds: files written here with DCMTK/OpenJPEG, plus the real files
// of ../shared/reference/dicom-nonchest when present.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "app/site/dicom_importer.h"
#include "app/site/site.h"
#include "damaged_dicom.h"
#include "engine/imaging/dicom_image.h"
#include "engine/imaging/jpeg2000_encoder.h"
#include "reference_data.h"

using namespace fedmrg::app;
using namespace fedmrg::testing;
namespace engine = fedmrg::engine;

namespace {

struct Mutant {
  QString file;
  QString how;
  bool mustRefuse = false;  // the pixel data cannot match the header any more
};

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(bytes);
}

bool isEncapsulated(const QString& file) {
  try {
    const std::string ts = engine::readDicomMetadata(file.toStdString()).transferSyntaxUid;
    return ts != "1.2.840.10008.1.2.1" && ts != "1.2.840.10008.1.2" && ts != "1.2.840.10008.1.2.2";
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

class TestDicomFuzz : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::mt19937 rng_{20261201};
  QStringList seeds_;
  std::vector<Mutant> mutants_;

  int pick(int n) { return int(rng_() % unsigned(n)); }

  QString out(const QString& seed, const QString& how) {
    return dir_.filePath(QStringLiteral("m%1-%2-%3.dcm").arg(mutants_.size()).arg(QFileInfo(seed).baseName(), how));
  }

  void mutate(const QString& seed) {
    const QByteArray bytes = readAll(seed);
    const bool encapsulated = isEncapsulated(seed);
    // Bit flips anywhere: may hit anything, so only "no crash, a reason when refused" holds.
    for (int k = 0; k < 12; ++k) {
      QByteArray b = bytes;
      for (int f = 1 + pick(8); f > 0; --f) {
        const int at = pick(int(b.size()));
        b[at] = char(b[at] ^ (1 << pick(8)));
      }
      const QString file = out(seed, "flip");
      writeAll(file, b);
      mutants_.push_back({file, "bit flips", false});
    }
    // Truncation well before the end: the pixel data (the last element) is cut.
    for (int k = 0; k < 5; ++k) {
      const QString file = out(seed, "cut");
      writeAll(file, bytes.left(pick(int(bytes.size()) - 64)));
      mutants_.push_back({file, "truncated", true});
    }
    // Header edits that break the pixel description.
    const std::vector<std::pair<DcmTagKey, std::string>> edits{{DCM_Rows, "1"},
                                                               {DCM_Rows, "3"},
                                                               {DCM_Columns, "255"},
                                                               {DCM_Columns, "32768"},
                                                               {DCM_Rows, "16384"},
                                                               {DCM_BitsAllocated, "1"},
                                                               {DCM_BitsAllocated, "12"},
                                                               {DCM_BitsAllocated, "32"},
                                                               {DCM_PhotometricInterpretation, "RGB"},
                                                               {DCM_PhotometricInterpretation, "YBR_FULL"},
                                                               {DCM_PhotometricInterpretation, "PALETTE COLOR"},
                                                               {DCM_NumberOfFrames, "7"},
                                                               {DCM_NumberOfFrames, "0"},
                                                               {DCM_NumberOfFrames, "1000000"}};
    for (const auto& [tag, value] : edits) {
      const QString file = out(seed, "edit");
      QFile::copy(seed, file);
      try {
        editHeader(file.toStdString(), tag, value);
      } catch (const std::exception&) {
        continue;  // DCMTK would not write it: not a mutant
      }
      // Every edit changes what the header announces; only a palette on a monochrome image might still
      // be decodable, and only when the file brings a palette (it does not).
      mutants_.push_back(
          {file, QString::fromLatin1(DcmTag(tag).getTagName()) + "=" + QString::fromStdString(value), true});
    }
    if (!encapsulated) return;
    // Codec header damage: bytes of the first 80 bytes of the first frame changed, or the frame zeroed.
    for (int k = 0; k < 10; ++k) {
      const QString file = out(seed, "codec");
      QFile::copy(seed, file);
      const bool zero = k == 0;
      try {
        editFirstFragment(file.toStdString(), [&](std::vector<uint8_t>& b) {
          if (zero) std::fill(b.begin(), b.end(), 0);
          else
            for (int f = 1 + pick(4); f > 0; --f)
              b[size_t(pick(int(std::min<size_t>(80, b.size()))))] ^= uint8_t(1 + pick(255));
        });
      } catch (const std::exception&) {
        continue;
      }
      mutants_.push_back({file, zero ? "frame zeroed" : "codec header damaged", zero});
    }
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const QString seeds = dir_.filePath("seeds");
    QDir().mkpath(seeds);
    auto seed = [&](const char* name) { return (seeds + "/" + name); };
    NativeSpec s;
    writeNativeDicom(seed("native16.dcm").toStdString(), s);
    compressDicom(seed("native16.dcm").toStdString(), seed("jpegls16.dcm").toStdString(), "jpeg-lossless");
    compressDicom(seed("native16.dcm").toStdString(), seed("rle16.dcm").toStdString(), "rle");
    s.bitsAllocated = s.bitsStored = 8;
    writeNativeDicom(seed("native8.dcm").toStdString(), s);
    compressDicom(seed("native8.dcm").toStdString(), seed("jpeg8.dcm").toStdString(), "jpeg-baseline");
    seeds_ << seed("native16.dcm") << seed("jpegls16.dcm") << seed("rle16.dcm") << seed("native8.dcm")
           << seed("jpeg8.dcm");
    if (engine::haveJpeg2000Encoder()) {
      engine::writeJpeg2000Copy(seed("native16.dcm").toStdString(), seed("j2k16.dcm").toStdString());
      seeds_ << seed("j2k16.dcm");
    }
    const QString real = QString::fromStdString(referencePath("dicom-nonchest/RG3_J2KR.dcm"));
    if (QFile::exists(real)) seeds_ << real;
    for (const QString& f : seeds_) mutate(f);
  }

  void realFilesAreAmongTheSeeds() {
    if (!QFile::exists(QString::fromStdString(referencePath("dicom-nonchest/RG3_J2KR.dcm"))))
      FEDMRG_REFERENCE_MISSING("dicom-nonchest/RG3_J2KR.dcm", "the fuzz test mutates synthetic files only");
    QVERIFY(seeds_.size() >= 7);
  }

  void seedsDecode() {
    for (const QString& f : seeds_) QVERIFY2(engine::readDicomImage(f.toStdString()).width > 0, qPrintable(f));
  }

  // The draft path's decode: checked, at the model's resolution.
  void everyMutantIsDecodedConsistentlyOrRefusedWithAReason() {
    QVERIFY2(mutants_.size() >= 250, qPrintable(QString::number(mutants_.size())));
    QElapsedTimer clock;
    clock.start();
    int decoded = 0, refused = 0;
    for (const Mutant& m : mutants_) {
      try {
        const engine::DicomImage img = engine::readDicomImage(m.file.toStdString(), engine::draftDecodeOptions(128));
        QVERIFY2(!m.mustRefuse, qPrintable(m.file + " (" + m.how + ") decoded"));
        // What decodes matches its header: the announced size (or a power-of-two reduction of it), every pixel.
        QVERIFY(img.width > 0 && img.height > 0);
        QCOMPARE((img.meta.columns + (1 << img.reduction) - 1) >> img.reduction, img.width);
        QCOMPARE((img.meta.rows + (1 << img.reduction) - 1) >> img.reduction, img.height);
        QCOMPARE(img.values.size(), size_t(img.width) * size_t(img.height));
        ++decoded;
      } catch (const engine::DicomError& e) {
        const QString why = QString::fromUtf8(e.what());
        QVERIFY2(why.startsWith(m.file + ": ") && why.size() > m.file.size() + 10, qPrintable(why));
        // Never a codec's or DCMTK's internal text.
        QVERIFY2(!why.contains("I/O suspension") && !why.contains("premature end of stream"), qPrintable(why));
        ++refused;
      }
    }
    qInfo("%zu mutants through the draft decode: %d decoded, %d refused, %.1f s", mutants_.size(), decoded, refused,
          double(clock.elapsed()) / 1000);
    QVERIFY2(clock.elapsed() < 30000, "the decode of the mutants took too long");
  }

  void importerRefusesEveryMismatchWithAReason() {
    auto site = Site::create(dir_.filePath("site"), "fuzz passphrase", "Fuzz Site", "admin", "Admin", "adminpass1");
    QStringList files;
    for (const Mutant& m : mutants_) files << m.file;
    QElapsedTimer clock;
    clock.start();
    const ImportResult r = DicomImporter(*site).importFiles(files);
    QCOMPARE(r.scanned, int(files.size()));
    QCOMPARE(r.imported + r.duplicates + int(r.errors.size()), r.scanned);
    QSet<QString> refused;
    for (const ImportIssue& e : r.errors) {
      QVERIFY2(e.reason.size() > 10, qPrintable(e.file + ": " + e.reason));
      refused.insert(e.file);
    }
    for (const Mutant& m : mutants_)
      if (m.mustRefuse) QVERIFY2(refused.contains(m.file), qPrintable(m.file + " (" + m.how + ") imported"));
    qInfo("%d mutants through the importer: %d imported, %d duplicates, %zu refused, %.1f s", r.scanned, r.imported,
          r.duplicates, r.errors.size(), double(clock.elapsed()) / 1000);
  }
};

QTEST_GUILESS_MAIN(TestDicomFuzz)
#include "tst_dicom_fuzz.moc"
