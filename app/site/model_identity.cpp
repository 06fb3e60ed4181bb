#include "app/site/model_identity.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <stdexcept>

#include "engine/model/model_folder.h"

namespace fedmrg::app {

std::string ModelIdentity::label() const {
  if (empty()) return "the report model (version not recorded)";
  if (version.empty()) return name;
  return name.empty() ? version : name + " " + version;
}

ModelIdentity identifyModel(const QString& dir) {
  QCryptographicHash hash(QCryptographicHash::Sha256);
  const engine::ModelFolder folder(dir.toStdString());
  std::vector<std::string> files = folder.files();
  // A sharded checkpoint is named by its index (the shards themselves are not read: gigabytes).
  files.push_back(folder.shardIndexPath());
  for (const std::string& path : files) {
    const QString file = QString::fromStdString(path);
    // The file's name goes into the digest too: moving bytes from one file to another is a change.
    hash.addData(QFileInfo(file).fileName().toUtf8());
    if (!QFileInfo::exists(file)) {
      hash.addData(QByteArrayLiteral("\0absent"));
      continue;
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
      throw std::runtime_error("cannot read model file " + path + " to identify the model");
    if (!hash.addData(&f)) throw std::runtime_error("cannot read model file " + path + " to identify the model");
  }
  ModelIdentity id;
  id.name = QFileInfo(QDir::cleanPath(dir)).fileName().toStdString();
  id.version = "sha256:" + hash.result().toHex().left(12).toStdString();
  return id;
}

}  // namespace fedmrg::app
