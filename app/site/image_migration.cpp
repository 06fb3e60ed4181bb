#include "app/site/image_migration.h"

#include <openssl/crypto.h>

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <set>
#include <utility>
#include <vector>

namespace fedmrg::app {
namespace {

QString siteDirOf(const ImageVault& vault) { return QFileInfo(vault.imageDir()).absolutePath(); }

std::set<QString> referencedFiles(SiteStore& store, const QDir& site) {
  std::set<QString> out;
  auto st = store.prepare("SELECT file_path FROM images");
  while (st.step()) out.insert(QDir::cleanPath(site.absoluteFilePath(QString::fromStdString(st.text(0)))));
  return out;
}

// Removes the empty folders below `root` (the old per-study folders), deepest first.
void removeEmptyFolders(const QString& root) {
  QStringList dirs;
  QDirIterator it(root, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
  while (it.hasNext()) dirs << it.next();
  std::sort(dirs.begin(), dirs.end(), [](const QString& a, const QString& b) { return a.size() > b.size(); });
  for (const QString& d : dirs) QDir().rmdir(d);  // fails, harmlessly, on a folder that is not empty
}

}  // namespace

ImageMigrationResult sealPlainImages(SiteStore& store, const ImageVault& vault, int orphanAgeSeconds) {
  ImageMigrationResult result;
  const QDir site(siteDirOf(vault));
  std::vector<std::pair<int64_t, QString>> rows;
  {
    auto st = store.prepare("SELECT id, file_path FROM images");
    while (st.step()) rows.emplace_back(st.int64(0), site.absoluteFilePath(QString::fromStdString(st.text(1))));
  }
  for (const auto& [id, file] : rows) {
    if (!QFileInfo(file).isFile() || ImageVault::isSealed(file)) continue;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
      ++result.failed;
      continue;
    }
    QByteArray plain = f.readAll();
    f.close();
    // Sealed copy first, then the row (one statement: atomic), then the plain file: a kill between
    // any two steps leaves the row naming a complete file and the next open finishing the job.
    const QString sealed = vault.store(plain);
    OPENSSL_cleanse(plain.data(), size_t(plain.size()));
    auto update = store.prepare("UPDATE images SET file_path = ? WHERE id = ?");
    update.bind(1, sealed.toStdString()).bind(2, id).run();
    QFile::remove(file);
    ++result.sealed;
  }

  const std::set<QString> referenced = referencedFiles(store, site);
  const QDateTime oldEnough = QDateTime::currentDateTimeUtc().addSecs(-orphanAgeSeconds);
  QDirIterator it(vault.imageDir(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QFileInfo info(it.next());
    const QString path = QDir::cleanPath(info.absoluteFilePath());
    if (referenced.count(path)) continue;
    const bool plain = !ImageVault::isSealed(path);
    if (plain || info.lastModified().toUTC() < oldEnough) {
      if (QFile::remove(path)) ++result.removed;
    }
  }
  removeEmptyFolders(vault.imageDir());
  return result;
}

}  // namespace fedmrg::app
