#include "app/site/draft_service.h"

#include <QDir>
#include <QFileInfo>
#include <stdexcept>

namespace fedmrg::app {
namespace {

// The report model's facade (engine/model/report_generator.h) is being written; until it is part of
// the build this service reports the model as not installed rather than producing any text.
class EngineDraftService : public DraftService {
 public:
  explicit EngineDraftService(QString dir) : dir_(std::move(dir)) {}

  bool available(QString* reason) const override {
    QString why;
    if (dir_.isEmpty() || !QFileInfo(dir_).isDir())
      why = QStringLiteral("No report model installed (expected a model folder at %1).").arg(QDir::toNativeSeparators(dir_));
    else if (!QFileInfo::exists(QDir(dir_).filePath(QStringLiteral("config.json"))))
      why = QStringLiteral("No report model installed: %1 has no config.json.").arg(QDir::toNativeSeparators(dir_));
    else
      why = QStringLiteral("No report model installed: this build has no report generator yet.");
    if (reason) *reason = why;
    return false;
  }

  bool generate(const QString&, Draft&, const std::function<void(double)>&, const std::atomic<bool>&) override {
    QString reason;
    available(&reason);
    throw std::runtime_error(reason.toStdString());
  }

 private:
  QString dir_;
};

}  // namespace

std::unique_ptr<DraftService> makeDraftService(const QString& modelDir) {
  return std::make_unique<EngineDraftService>(modelDir);
}

QString defaultModelDir(const QString& siteDir) {
  const QString env = qEnvironmentVariable("FEDMRG_MODEL_DIR");
  return env.isEmpty() ? QDir(siteDir).filePath(QStringLiteral("model")) : env;
}

}  // namespace fedmrg::app
