#include "app/site/pacs_retrieve.h"

#include <QDir>
#include <QTemporaryDir>

#include "app/site/site.h"

namespace fedmrg::app {

StudyRetrieval PacsRetriever::retrieve(const std::string& studyUid, const Progress& progress,
                                       const std::atomic<bool>* cancel) {
  StudyRetrieval r;
  r.studyUid = studyUid;
  // Beside the site's images, so that the import copies on the same disk.
  QDir(site_.dir()).mkpath(QStringLiteral("incoming"));
  QTemporaryDir folder(site_.dir() + QStringLiteral("/incoming/pacs-XXXXXX"));
  if (!folder.isValid()) {
    r.error = "cannot make a folder for the retrieved study in " + site_.dir().toStdString() + "/incoming";
    return r;
  }
  try {
    const RetrieveResult got = client_.retrieveStudy(studyUid, folder.path().toStdString(), progress, cancel);
    r.received = int(got.files.size());
    r.failedAtPacs = got.failed;
    r.cancelled = got.cancelled;
    QStringList files;
    for (const auto& f : got.files) files << QString::fromStdString(f);
    // A cancelled retrieve still imports what arrived whole: it is as good as any file.
    r.import = importer_.importFiles(files);
    if (r.received == 0 && !r.cancelled) r.error = client_.node().name + " sent no instance of study " + studyUid;
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

}  // namespace fedmrg::app
