#pragma once
// What a `grep -r` over a site folder would find, and the modes of what lies there: the done-when
// checks of issue 15 for encryption at rest, shared by the import and migration tests.
#include <sys/stat.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QStringList>

#include "app/site/image_loader.h"
#include "app/site/site.h"

namespace fedmrg::testing {

inline int fileMode(const QString& path) {
  struct stat st {};
  return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

// Every file under `root` (hidden ones too) whose bytes contain `needle`.
inline QStringList filesContaining(const QString& root, const QByteArray& needle) {
  QStringList hits;
  QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    QFile f(it.next());
    if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle)) hits << f.fileName();
  }
  return hits;
}

// Files not 0600 and folders not 0700 under `root` (and root itself), as "path mode" lines.
inline QStringList looseModes(const QString& root, const QStringList& skipSuffixes = {}) {
  QStringList loose;
  if (fileMode(root) != 0700) loose << root + QStringLiteral(" %1").arg(fileMode(root), 0, 8);
  QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString p = it.next();
    bool skip = false;
    for (const QString& s : skipSuffixes) skip = skip || p.endsWith(s);
    const int want = it.fileInfo().isDir() ? 0700 : 0600;
    if (!skip && fileMode(p) != want) loose << p + QStringLiteral(" %1").arg(fileMode(p), 0, 8);
  }
  return loose;
}

// Why the site's image rows are not all readable ("" when every row names a file that decodes
// through the vault, to a patient named `patientName`).
inline QString storedImagesProblem(app::Site& site, const std::string& patientName) {
  auto st = site.store().prepare("SELECT file_path FROM images");
  const app::ImageLoader loader(site.vault());
  while (st.step()) {
    try {
      const QString file = QDir(site.dir()).absoluteFilePath(QString::fromStdString(st.text(0)));
      if (loader.load(file)->info.patientName != patientName) return file + ": decodes to another patient";
    } catch (const std::exception& e) {
      return QString::fromUtf8(e.what());
    }
  }
  return {};
}

}  // namespace fedmrg::testing
