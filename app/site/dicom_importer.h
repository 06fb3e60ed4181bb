#pragma once
// Imports DICOM files into a site: files, folders (recursive) and DICOMDIR media, de-duplicated by
// SOP Instance UID and pixel content (same UID with other pixels is refused, not skipped). Each image is
// decoded once, from memory, through the engine's checked decoder (the one the viewer and drafts use);
// files whose pixel data does not match their header are listed with the reason while the rest imports.
// Images are stored encrypted by the site's ImageVault, under names it draws; the source files are only read.
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <vector>

namespace fedmrg::app {

class Site;

struct ImportIssue {
  QString file;
  QString reason;
};

struct ImportResult {
  int scanned = 0;
  int imported = 0;
  int duplicates = 0;
  int studiesAdded = 0;
  bool cancelled = false;
  int64_t firstStudyId = 0;  // the study of the first file imported or found there already; 0: none
  std::vector<ImportIssue> errors;
};

class DicomImporter {
 public:
  explicit DicomImporter(Site& site, int64_t userId = 0) : site_(site), userId_(userId) {}

  // Expands files, folders (recursively) and DICOMDIR files (the folder they index) into the
  // list of candidate files, sorted, without DICOMDIR files themselves.
  static QStringList collectFiles(const QStringList& paths);

  // Called after each file with (done, total); import stops when `cancel` becomes true.
  using Progress = std::function<void(int done, int total)>;
  ImportResult importFiles(const QStringList& files, const Progress& progress = {},
                           const std::atomic<bool>* cancel = nullptr);
  ImportResult importPaths(const QStringList& paths, const Progress& progress = {},
                           const std::atomic<bool>* cancel = nullptr) {
    return importFiles(collectFiles(paths), progress, cancel);
  }

 private:
  Site& site_;
  int64_t userId_;
};

}  // namespace fedmrg::app
