// fedmrg-cli generate on files whose pixel data does not match their header: no draft, a non-zero exit and
// the file's name with the reason on stderr; and every FL-MRG-Synth site's synthetic chest study still drafts
// through the same checked decode.
#include <QDirIterator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "cli_run.h"
#include "damaged_dicom.h"
#include "engine/imaging/jpeg2000_encoder.h"

using namespace clirun;
using namespace fedmrg::testing;

namespace {

QString defaultModel() { return QStringLiteral(FEDMRG_SOURCE_DIR) + "/resources/models/default"; }

}  // namespace

class TestCliGenerate : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

 private slots:
  void initTestCase() {
    if (!QFileInfo(defaultModel()).isDir()) QSKIP("resources/models/default is not in this checkout");
  }

  void corruptFilesExitNonZeroWithTheReason_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reason");
    NativeSpec s;
    s.rows = s.columns = 512;
    s.shortBy = 12000;
    writeNativeDicom(path("short.dcm"), s);
    QTest::newRow("short") << "short.dcm"
                           << "pixel data is 12,000 bytes shorter than its 512 × 512 16-bit image needs";
    s = NativeSpec{};
    s.bitsAllocated = s.bitsStored = 8;
    writeNativeDicom(path("plain8.dcm"), s);
    compressDicom(path("plain8.dcm"), path("zeroed-jpeg.dcm"), "jpeg-baseline");
    editFirstFragment(path("zeroed-jpeg.dcm"), [](std::vector<uint8_t>& b) { std::fill(b.begin(), b.end(), 0); });
    QTest::newRow("zeroed jpeg") << "zeroed-jpeg.dcm"
                                 << "does not start with a JPEG start-of-image marker";
    s = NativeSpec{};
    s.rows = s.columns = 32768;
    writeNativeDicom(path("huge.dcm"), s);
    QTest::newRow("32768 square") << "huge.dcm"
                                  << "larger than the 16384 pixels a side";
    if (fedmrg::engine::haveJpeg2000Encoder()) {
      writeNativeDicom(path("plain16.dcm"), NativeSpec{});
      fedmrg::engine::writeJpeg2000Copy(path("plain16.dcm"), path("cut-j2k.dcm"));
      editFirstFragment(path("cut-j2k.dcm"), [](std::vector<uint8_t>& b) { b.resize(b.size() / 2); });
      QTest::newRow("cut jpeg 2000") << "cut-j2k.dcm"
                                     << "the JPEG 2000 data is truncated";
    }
  }
  void corruptFilesExitNonZeroWithTheReason() {
    QFETCH(QString, file);
    QFETCH(QString, reason);
    const QString full = dir_.filePath(file);
    const Result r = run({"generate", "--model", defaultModel(), full});
    QVERIFY2(r.code > 0, qPrintable(QString::number(r.code) + r.out + r.err));
    QVERIFY2(r.err.contains(full + ": ") && r.err.contains(reason), qPrintable(r.err));
    QVERIFY2(!r.out.contains("DRAFT"), qPrintable(r.out));
  }

  void syntheticStudiesOfEverySiteStillDraft() {
    const Result synth =
        run({"synth", "--out", dir_.filePath("synth"), "--studies-per-site", "1", "--size", "128", "--threads", "1"},
            120000);
    QVERIFY2(synth.code == 0, qPrintable(synth.err));
    QSet<QString> sites;
    QDirIterator it(dir_.filePath("synth"), {"*.dcm"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QString file = it.next();
      const QString site = QDir(dir_.filePath("synth")).relativeFilePath(file).section('/', 0, 0);
      if (sites.contains(site)) continue;  // one study per site is enough: each site has its own syntax
      sites.insert(site);
      const Result r = run({"generate", "--model", defaultModel(), file});
      QVERIFY2(r.code == 0, qPrintable(file + ": " + r.err));
      // The draft follows the chest check and training-data lines; a draft is never withheld from a chest study.
      QVERIFY2(r.out.contains("\nDRAFT") && !r.out.contains("NO DRAFT"), qPrintable(r.out));
    }
    QVERIFY2(sites.size() >= 3, qPrintable(QStringList(sites.values()).join(", ")));
  }

  // Without --model, generate drafts with the default model found above the program: the checkout's
  // here, <prefix>/share/fedmrg/models/default when installed (scripts/check-installed-package.sh).
  void withoutModelTheDefaultModelDrafts() {
    QDirIterator it(dir_.filePath("synth"), {"*.dcm"}, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(it.hasNext());  // written by the test above
    const Result r = run({"generate", it.next()});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString model = QFileInfo(defaultModel()).canonicalFilePath();
    QVERIFY2(r.out.startsWith("Model folder: " + model + " (no --model given"), qPrintable(r.out));
    QVERIFY2(r.out.contains("\nDRAFT"), qPrintable(r.out));
  }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cli_generate.moc"
