#include "app/site/image_vault.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "engine/imaging/dicom_memory.h"

namespace fedmrg::app {
namespace {

// File layout: magic | nonce | ciphertext | tag. The magic's version byte lets a later format coexist.
constexpr char kMagic[8] = {'F', 'M', 'R', 'G', 'I', 'M', 'G', '1'};
constexpr int kMagicBytes = 8, kNonceBytes = 12, kTagBytes = 16;
const QString kExtension = QStringLiteral(".fmi");

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

QByteArray randomBytes(int n) {
  QByteArray out(n, Qt::Uninitialized);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), n) != 1)
    throw VaultError("the system's random generator failed");
  return out;
}

const unsigned char* u8(const QByteArray& a) { return reinterpret_cast<const unsigned char*>(a.constData()); }
unsigned char* u8(QByteArray& a) { return reinterpret_cast<unsigned char*>(a.data()); }

// AES-256-GCM over `plain` with `aad` bound to it: ciphertext followed by the tag.
QByteArray seal(const QByteArray& key, const QByteArray& nonce, const QByteArray& aad, const QByteArray& plain) {
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  QByteArray out(plain.size() + kTagBytes, Qt::Uninitialized);
  int n = 0, tail = 0;
  const bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
                  EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, u8(key), u8(nonce)) == 1 &&
                  EVP_EncryptUpdate(ctx.get(), nullptr, &n, u8(aad), int(aad.size())) == 1 &&
                  EVP_EncryptUpdate(ctx.get(), u8(out), &n, u8(plain), int(plain.size())) == 1 &&
                  EVP_EncryptFinal_ex(ctx.get(), u8(out) + n, &tail) == 1 &&
                  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, u8(out) + n + tail) == 1;
  if (!ok) throw VaultError("AES-256-GCM encryption failed");
  return out;
}

// The plain bytes, or nothing when the tag does not match (altered file, other key, other identifier).
std::optional<QByteArray> open(const QByteArray& key, const QByteArray& nonce, const QByteArray& aad,
                               const char* sealed, int sealedBytes) {
  if (sealedBytes < kTagBytes) return std::nullopt;
  const int cipherBytes = sealedBytes - kTagBytes;
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  QByteArray plain(cipherBytes, Qt::Uninitialized);
  QByteArray tag(sealed + cipherBytes, kTagBytes);
  int n = 0, tail = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, u8(key), u8(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, u8(aad), int(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), u8(plain), &n, reinterpret_cast<const unsigned char*>(sealed), cipherBytes) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), u8(plain) + n, &tail) == 1;
  if (!ok) {
    OPENSSL_cleanse(plain.data(), size_t(plain.size()));
    return std::nullopt;
  }
  return plain;
}

std::string errnoText() { return std::strerror(errno); }

// Writes `bytes` to a new file at `path` with mode 0600 (set explicitly: the umask only removes
// bits), synced before it is closed. Throws VaultError.
void writeNewPrivateFile(const QString& path, const QByteArray& bytes) {
  const QByteArray native = QFile::encodeName(path);
  const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) throw VaultError(path.toStdString() + ": cannot create: " + errnoText());
  bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0;
  for (qsizetype done = 0; ok && done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    done += n > 0 ? n : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  const std::string why = errnoText();
  ::close(fd);
  if (!ok) {
    ::unlink(native.constData());
    throw VaultError(path.toStdString() + ": cannot write: " + why);
  }
}

// A rename is durable only once its folder is synced.
void syncDir(const QString& dir) {
  const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void makePrivateDir(const QString& dir) {
  const QString clean = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  if (!QFileInfo(clean).isDir()) {
    const QString parent = QFileInfo(clean).absolutePath();
    if (parent != clean && !QFileInfo(parent).isDir()) makePrivateDir(parent);
    if (::mkdir(QFile::encodeName(clean).constData(), S_IRWXU) != 0 && errno != EEXIST)
      throw VaultError(clean.toStdString() + ": cannot create the folder: " + errnoText());
  }
  // Explicit: mkdir's mode is filtered by the umask, and an existing folder keeps whatever it had.
  if (::chmod(QFile::encodeName(clean).constData(), S_IRWXU) != 0)
    throw VaultError(clean.toStdString() + ": cannot make the folder private: " + errnoText());
}

ImageVault::ImageVault(QString siteDir, QByteArray key) : siteDir_(std::move(siteDir)), key_(std::move(key)) {
  if (key_.size() != kKeyBytes) throw VaultError("the image key must be 32 bytes");
}

ImageVault::~ImageVault() { OPENSSL_cleanse(key_.data(), size_t(key_.size())); }

QByteArray ImageVault::newKey() { return randomBytes(kKeyBytes); }

bool ImageVault::isSealed(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) && f.read(kMagicBytes) == QByteArray(kMagic, kMagicBytes);
}

QString ImageVault::imageDir() const { return QDir(siteDir_).filePath(QStringLiteral("images")); }

QString ImageVault::identifierOf(const QString& path) {
  const QString name = QFileInfo(path).fileName();
  return name.endsWith(kExtension) ? name.left(name.size() - kExtension.size()) : name;
}

QString ImageVault::absolute(const QString& path) const { return QDir(siteDir_).absoluteFilePath(path); }

QString ImageVault::store(const QByteArray& plain) const {
  const QString dir = imageDir();
  makePrivateDir(dir);
  const QString id = QString::fromLatin1(randomBytes(16).toHex());
  const QString target = QDir(dir).filePath(id + kExtension);
  // Hidden while incomplete; already ciphertext, so even a torn temporary holds nothing readable.
  const QString temporary = QDir(dir).filePath(QStringLiteral(".") + id + QStringLiteral(".part"));
  const QByteArray nonce = randomBytes(kNonceBytes);
  writeNewPrivateFile(temporary, QByteArray(kMagic, kMagicBytes) + nonce + seal(key_, nonce, id.toLatin1(), plain));
  if (::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(target).constData()) != 0) {
    const std::string why = errnoText();
    QFile::remove(temporary);
    throw VaultError(target.toStdString() + ": cannot move the sealed file into place: " + why);
  }
  syncDir(dir);
  return QStringLiteral("images/") + id + kExtension;
}

QByteArray ImageVault::read(const QString& path) const {
  const QString file = absolute(path);
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly))
    throw VaultError(file.toStdString() + ": cannot read the stored image: " + f.errorString().toStdString());
  const QByteArray sealed = f.readAll();
  if (!sealed.startsWith(QByteArray(kMagic, kMagicBytes)))
    throw VaultError(file.toStdString() + ": not an encrypted site image");
  const int header = kMagicBytes + kNonceBytes;
  if (sealed.size() < header + kTagBytes) throw VaultError(file.toStdString() + ": the stored image is truncated");
  const auto plain = open(key_, sealed.mid(kMagicBytes, kNonceBytes), identifierOf(file).toLatin1(),
                          sealed.constData() + header, int(sealed.size() - header));
  if (!plain)
    throw VaultError(file.toStdString() +
                     ": the stored image does not decrypt (altered, renamed, or sealed with another key)");
  return *plain;
}

engine::DicomImage ImageVault::readImage(const QString& path, const engine::DecodeOptions& options) const {
  const QString file = absolute(path);
  QByteArray bytes;
  if (isSealed(file)) {
    bytes = read(file);
  } else {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
      throw VaultError(file.toStdString() + ": cannot read: " + f.errorString().toStdString());
    bytes = f.readAll();
  }
  struct Wipe {  // plain patient data does not linger in freed memory
    QByteArray& b;
    ~Wipe() { OPENSSL_cleanse(b.data(), size_t(b.size())); }
  } wipe{bytes};
  return engine::readDicomImageFromMemory(reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size()),
                                          file.toStdString(), options);
}

}  // namespace fedmrg::app
