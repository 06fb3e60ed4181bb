// The encrypted image files: a sealed file round-trips, holds neither the DICOM preamble nor a
// patient name, is 0600 in a 0700 folder whatever the umask, and refuses to open when altered,
// renamed (its identity is bound to it) or read with another key. A sealed image decodes in memory
// exactly like the plain file it came from.
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/site/image_vault.h"
#include "app/test_dicom.h"
#include "engine/imaging/dicom_image.h"

using namespace fedmrg::app;

namespace {
int modeOf(const QString& path) {
  struct stat st {};
  return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}
QByteArray contentOf(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
}  // namespace

class TstImageVault : public QObject {
  Q_OBJECT

 private slots:
  void sealedFileRoundTripsAndHidesItsContent() {
    QTemporaryDir dir;
    const mode_t old = ::umask(0);  // the widest umask: modes must not depend on it
    const ImageVault vault(dir.path(), ImageVault::newKey());
    const QByteArray plain = QByteArray(128, '\0') + "DICM" + "Secret^Patient and more bytes";
    const QString stored = vault.store(plain);
    ::umask(old);
    QVERIFY(stored.startsWith("images/"));
    const QString file = dir.filePath(stored);
    QCOMPARE(modeOf(file), 0600);
    QCOMPARE(modeOf(vault.imageDir()), 0700);
    const QByteArray onDisk = contentOf(file);
    QVERIFY(!onDisk.contains("DICM"));
    QVERIFY(!onDisk.contains("Secret^Patient"));
    QVERIFY(ImageVault::isSealed(file));
    QCOMPARE(vault.read(stored), plain);
    // The same bytes sealed twice differ: a fresh nonce (and name) per file.
    QVERIFY(contentOf(dir.filePath(vault.store(plain))).mid(8) != onDisk.mid(8));
    QCOMPARE(QDir(vault.imageDir()).entryList(QDir::Files | QDir::Hidden).size(), 2);  // no temporaries left
  }

  void alteredRenamedOrForeignFilesAreRefused() {
    QTemporaryDir dir;
    const ImageVault vault(dir.path(), ImageVault::newKey());
    const QString a = dir.filePath(vault.store("first image"));
    const QString b = dir.filePath(vault.store("second image"));
    // Another key.
    const ImageVault other(dir.path(), ImageVault::newKey());
    QVERIFY_THROWS_EXCEPTION(VaultError, other.read(a));
    // Swapped: b's content under a's name fails, since the identity is the associated data.
    const QByteArray bytesA = contentOf(a), bytesB = contentOf(b);
    {
      QFile f(a);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(bytesB);
    }
    QVERIFY_THROWS_EXCEPTION(VaultError, vault.read(a));
    // One bit flipped in the ciphertext.
    QByteArray flipped = bytesA;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 1);
    {
      QFile f(a);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(flipped);
    }
    QVERIFY_THROWS_EXCEPTION(VaultError, vault.read(a));
    // Not sealed at all: the reason says so and names the file.
    const QString plain = dir.filePath("plain.bin");
    {
      QFile f(plain);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("just bytes");
    }
    try {
      vault.read(plain);
      QFAIL("a plain file was read as sealed");
    } catch (const VaultError& e) {
      QVERIFY(QString(e.what()).contains("plain.bin"));
      QVERIFY(QString(e.what()).contains("not an encrypted site image"));
    }
    QVERIFY_THROWS_EXCEPTION(VaultError, ImageVault(dir.path(), QByteArray(16, 'k')));
  }

  void sealedImageDecodesLikeTheFile() {
    QTemporaryDir dir;
    const QString source = dir.filePath("source.dcm");
    fedmrg::testing::writeTestDicom(source.toStdString(), {});
    const ImageVault vault(dir.path(), ImageVault::newKey());
    const QString stored = vault.store(contentOf(source));
    const auto fromFile = fedmrg::engine::readDicomImage(source.toStdString());
    const auto fromVault = vault.readImage(stored);
    QCOMPARE(fromVault.width, fromFile.width);
    QCOMPARE(fromVault.meta.patientName, fromFile.meta.patientName);
    QVERIFY(fromVault.values == fromFile.values);
    // A plain file outside the site (what is being imported) reads through the same in-memory path.
    QVERIFY(vault.readImage(source).values == fromFile.values);
  }

  void privateFolderIsTightenedAndMadeWhateverTheUmask() {
    QTemporaryDir dir;
    const QString loose = dir.filePath("loose");
    QVERIFY(QDir().mkpath(loose));
    QFile::setPermissions(loose, QFileDevice::Permissions(0x7777));
    makePrivateDir(loose);
    QCOMPARE(modeOf(loose), 0700);
    const mode_t old = ::umask(0);
    makePrivateDir(dir.filePath("a/b/c"));
    ::umask(old);
    QCOMPARE(modeOf(dir.filePath("a")), 0700);
    QCOMPARE(modeOf(dir.filePath("a/b/c")), 0700);
  }
};

QTEST_APPLESS_MAIN(TstImageVault)
#include "tst_image_vault.moc"
