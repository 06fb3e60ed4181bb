#pragma once
// Draft generation for the report editor: through engine::ReportGenerator when a model folder is
// installed; otherwise it says "no report model installed" and never invents text.
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace fedmrg::app {

struct Draft {
  std::string findings, impression;
  std::string labels;  // encoded as in finding_labels.h
};

class DraftService {
 public:
  virtual ~DraftService() = default;
  // False with a reason for the user ("no report model installed ...").
  virtual bool available(QString* reason) const = 0;
  // Runs off the GUI thread. `progress` gets values in [0, 1]; returns false when cancelled.
  // Throws std::runtime_error with a clear message on failure.
  virtual bool generate(const QString& dicomFile, Draft& out, const std::function<void(double)>& progress,
                        const std::atomic<bool>& cancel) = 0;
};

struct ReportSections {
  std::string findings, impression;
};
// Splits generated text at "FINDINGS:" and "IMPRESSION:" (any case); text before FINDINGS (such as
// COMPARISON) stays with the findings; without markers everything is findings.
ReportSections splitReportText(const std::string& text);

// The engine-backed service for the model folder `modelDir` (config + weights + tokenizer).
std::unique_ptr<DraftService> makeDraftService(const QString& modelDir);

// The model folder a site uses: $FEDMRG_MODEL_DIR, else <site>/model.
QString defaultModelDir(const QString& siteDir);

}  // namespace fedmrg::app
