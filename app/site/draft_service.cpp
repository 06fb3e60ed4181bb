#include "app/site/draft_service.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "app/site/draft_activity.h"
#include "app/site/finding_labels.h"
#include "app/site/image_vault.h"
#include "engine/imaging/dicom_image.h"
#include "engine/infer/chest_gate.h"
#include "engine/infer/report_generator.h"
#include "engine/model/model_folder.h"

namespace fedmrg::app {
namespace {

std::string trimmed(const QString& s) { return s.trimmed().toStdString(); }

static_assert(kFindingCount == engine::kNumObservations, "one finding per labeler observation");
static_assert(static_cast<int>(FindingState::Uncertain) == static_cast<int>(engine::ObservationState::Uncertain) &&
                  static_cast<int>(FindingState::Negative) == static_cast<int>(engine::ObservationState::Negative) &&
                  static_cast<int>(FindingState::Positive) == static_cast<int>(engine::ObservationState::Positive) &&
                  static_cast<int>(FindingState::Blank) == static_cast<int>(engine::ObservationState::Blank),
              "the app's finding states mirror the labeler's");

FindingStates findingStates(const engine::ObservationStates& states) {
  FindingStates out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<FindingState>(states[i]);
  return out;
}

// Drafts through engine::ReportGenerator; the model loads on the first draft and stays loaded.
class EngineDraftService : public DraftService {
 public:
  EngineDraftService(std::function<QString()> dirSource, std::shared_ptr<const ImageVault> vault,
                     std::shared_ptr<DraftActivity> activity)
      : dirSource_(std::move(dirSource)), vault_(std::move(vault)), activity_(std::move(activity)) {}

  bool available(QString* reason) const override {
    const QString dir = dirSource_();
    QString why;
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
      why = QStringLiteral("No report model installed (expected a model folder at %1).")
                .arg(QDir::toNativeSeparators(dir));
    else if (const std::string problem = engine::ModelFolder(dir.toStdString()).problem(); !problem.empty())
      why = QStringLiteral("No report model installed: %1.").arg(QString::fromStdString(problem));
    if (reason) *reason = why;
    return why.isEmpty();
  }

  bool generate(const QString& dicomFile, DraftedReport& out, const std::function<void(double)>& progress,
                const std::atomic<bool>& cancel) override {
    QString reason;
    if (!available(&reason)) throw std::runtime_error(reason.toStdString());
    auto report = [&](double p) { if (progress) progress(p); };
    const DraftActivity::Scope drafting(activity_.get());  // background training waits meanwhile
    report(0.05);
    std::lock_guard<std::mutex> lock(mutex_);
    if (const QString dir = dirSource_(); dir != dir_) {
      dir_ = dir;  // another model version: loaded below
      generator_.reset();
    }
    if (!generator_) {
      // Identified as loaded: files replaced later change nothing until the next start loads them.
      model_ = identifyModel(dir_);
      const engine::ModelFolder folder(dir_.toStdString());
      // Read with the weights: a malformed statistics or provenance file stops drafting with its name.
      gate_ = folder.hasChestGate() ? std::optional(folder.loadChestGate()) : std::nullopt;
      trainingData_ = folder.trainingData();
      if (trainingData_.empty()) trainingData_ = engine::ModelFolder::kUnknownTrainingData;
      generator_ = std::make_unique<engine::ReportGenerator>(dir_.toStdString());
    }
    // Decoded as `fedmrg-cli generate` decodes it: the same checks, no more resolution than the model needs.
    // Stored images are decrypted in memory by the site's vault; a file outside the site is read as it is.
    const engine::DecodeOptions decode = engine::draftDecodeOptions(generator_->config().imageSize);
    const engine::DicomImage image =
        vault_ ? vault_->readImage(dicomFile, decode) : engine::readDicomImage(dicomFile.toStdString(), decode);
    report(0.2);
    if (cancel) return false;
    report(0.3);
    const engine::ChestGateResult gate = engine::checkChestImage(*generator_, gate_ ? &*gate_ : nullptr, image);
    if (!gate.drafts())
      throw NotChestRadiographError(QStringLiteral("No draft: %1 does not look like a chest radiograph (%2). The model "
                                                   "drafts chest radiographs only.")
                                        .arg(QFileInfo(dicomFile).fileName(), QString::fromStdString(gate.summary()))
                                        .toStdString());
    if (cancel) return false;
    report(0.4);
    const engine::Draft d = generator_->draft(image, generator_->defaultOptions(), &cancel);
    if (d.cancelled || cancel) return false;
    const ReportSections sections = splitReportText(d.text);
    out.findings = sections.findings;
    out.impression = sections.impression;
    out.labels = encodeLabels(findingStates(d.states));
    out.model = model_;
    out.chestCheck = engine::chestGateDecisionName(gate.decision);
    out.chestCheckLine = gate.summary();
    out.chestCheckReason = gate.reason;
    out.chestCheckScore = gate.score;
    out.trainingData = trainingData_;
    report(1.0);
    return true;
  }

 private:
  std::function<QString()> dirSource_;
  QString dir_;  // of the loaded generator
  std::shared_ptr<const ImageVault> vault_;
  std::shared_ptr<DraftActivity> activity_;
  std::mutex mutex_;
  std::unique_ptr<engine::ReportGenerator> generator_;
  ModelIdentity model_;  // of the loaded generator's folder
  std::optional<engine::ChestGateStatistics> gate_;  // the loaded folder's; none: no image check
  std::string trainingData_;
};

}  // namespace

ReportSections splitReportText(const std::string& text) {
  const QString t = QString::fromStdString(text);
  static const QRegularExpression impression(QStringLiteral("\\bIMPRESSION\\s*:"), QRegularExpression::CaseInsensitiveOption);
  static const QRegularExpression findings(QStringLiteral("\\bFINDINGS\\s*:"), QRegularExpression::CaseInsensitiveOption);
  const auto im = impression.match(t);
  QString before = im.hasMatch() ? t.left(im.capturedStart()) : t;
  const QString after = im.hasMatch() ? t.mid(im.capturedEnd()) : QString();
  const auto fm = findings.match(before);
  if (fm.hasMatch()) {
    // Text ahead of FINDINGS (e.g. COMPARISON) stays at the top of the findings.
    const QString head = before.left(fm.capturedStart()).trimmed();
    const QString body = before.mid(fm.capturedEnd()).trimmed();
    before = head.isEmpty() ? body : head + QStringLiteral("\n") + body;
  }
  return {trimmed(before), trimmed(after)};
}

std::unique_ptr<DraftService> makeDraftService(const QString& modelDir, std::shared_ptr<const ImageVault> vault,
                                               std::shared_ptr<DraftActivity> activity) {
  return std::make_unique<EngineDraftService>([modelDir] { return modelDir; }, std::move(vault), std::move(activity));
}

std::unique_ptr<DraftService> makeDraftService(std::function<QString()> modelDir,
                                               std::shared_ptr<const ImageVault> vault,
                                               std::shared_ptr<DraftActivity> activity) {
  return std::make_unique<EngineDraftService>(std::move(modelDir), std::move(vault), std::move(activity));
}

QString siteModelDir(const QString& siteDir) { return QDir(siteDir).filePath(QStringLiteral("model")); }

}  // namespace fedmrg::app
