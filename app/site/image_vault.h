#pragma once
// The site's encrypted image files. Every imported DICOM file is stored as AES-256-GCM ciphertext
// under a random identifier chosen here (never a UID from the file), with a fresh 96-bit nonce per
// file and the identifier as associated data, so a file renamed or swapped for another fails to
// decrypt. The 256-bit data key lives in the SQLCipher store (settings "images.key"); plain bytes
// exist only in memory and are decoded from there.
#include <QByteArray>
#include <QString>
#include <stdexcept>

#include "engine/imaging/dicom_image.h"

namespace fedmrg::app {

// An image file that cannot be stored or read; what() names the file and the reason.
class VaultError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ImageVault {
 public:
  static constexpr int kKeyBytes = 32;
  // Files under `siteDir`/images, sealed with `key` (kKeyBytes). Throws VaultError for a wrong key size.
  ImageVault(QString siteDir, QByteArray key);
  ~ImageVault();
  ImageVault(const ImageVault&) = delete;
  ImageVault& operator=(const ImageVault&) = delete;

  // A fresh random data key.
  static QByteArray newKey();
  // True when the file at `path` starts with the vault's header (it is one of our sealed files).
  static bool isSealed(const QString& path);

  // Seals `plain` into a new file images/<identifier>.fmi, mode 0600, written to a hidden temporary
  // name, synced and renamed: a kill leaves either nothing or a complete sealed file, never plain
  // bytes. Returns the path relative to the site folder, as the images table stores it.
  QString store(const QByteArray& plain) const;
  // The plain bytes of the sealed file at `path` (absolute, or relative to the site folder). Throws
  // VaultError when the file is missing, not sealed, altered, or sealed with another key.
  QByteArray read(const QString& path) const;
  // The image at `path` decoded from memory: a sealed file is decrypted first; a plain DICOM file
  // (outside the site, e.g. one being imported) is read as it is. `options` as for engine::readDicomImage
  // (a draft decodes only the resolution the model needs). Throws engine::DicomError or VaultError.
  engine::DicomImage readImage(const QString& path, const engine::DecodeOptions& options = {}) const;

  QString imageDir() const;
  // The identifier a stored file is sealed with: its name without the extension.
  static QString identifierOf(const QString& path);

 private:
  QString absolute(const QString& path) const;
  QString siteDir_;
  QByteArray key_;
};

// Makes `dir` (and the folders up to it it creates) exist with mode 0700, whatever the umask, and
// tightens an existing one to 0700. Throws VaultError naming the folder.
void makePrivateDir(const QString& dir);

}  // namespace fedmrg::app
