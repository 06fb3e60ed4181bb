#include "app/site/model_location.h"

#include <QDir>
#include <QFileInfo>

#include "app/site/draft_service.h"

namespace fedmrg::app {

QString installedModelDir(const QString& programDir) {
  return QDir::cleanPath(QDir(programDir).filePath(QStringLiteral("../share/fedmrg/models/default")));
}

QString chooseModelDir(const ModelSources& sources) {
  if (!sources.option.isEmpty()) return QFileInfo(sources.option).absoluteFilePath();
  if (!sources.environment.isEmpty()) return sources.environment;
  const QString site = siteModelDir(sources.siteDir);
  if (QFileInfo(site).isDir()) return site;
  if (!sources.programDir.isEmpty()) {
    const QString installed = installedModelDir(sources.programDir);
    if (QFileInfo(installed).isDir()) return installed;
  }
  return site;
}

}  // namespace fedmrg::app
