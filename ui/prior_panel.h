#pragma once
// The open study's prior beside it: a second image viewer under a header that can never be taken
// for the current study ("PRIOR — date — description"), linked both ways to the current viewer
// (zoom, pan, window), and the prior's signed report in a read-only dialog from which the report's
// COMPARISON line is filled. Which study is the prior is app::patientStudies' decision.
#include <QFrame>
#include <QFuture>
#include <memory>
#include <optional>

#include "app/site/display_image.h"
#include "app/site/prior_studies.h"

class QDialog;
class QLabel;
class QPushButton;

namespace fedmrg::app {
class ImageLoader;
class ReportService;
class Site;
}  // namespace fedmrg::app

namespace fedmrg::ui {

class ImageViewer;

class PriorPanel : public QFrame {
  Q_OBJECT

 public:
  // `current` is the open study's viewer, which the prior's viewer follows and leads.
  PriorPanel(app::Site& site, std::shared_ptr<const app::ImageLoader> images, app::ReportService& reports,
             ImageViewer* current, QWidget* parent = nullptr);
  ~PriorPanel() override;

  // Finds the prior of the open study (0: none open) and shows its first image; the panel is hidden
  // when there is no prior or the reader turned it off.
  void showPriorOf(int64_t studyId);
  // The reader's choice (View > Prior side by side); the panel shows only when there is a prior.
  void setWanted(bool wanted);
  bool wanted() const { return wanted_; }

  int64_t currentStudy() const { return studyId_; }
  const std::optional<app::StudySummary>& prior() const { return studies_.prior; }
  const app::PatientStudies& patientStudies() const { return studies_; }
  // Why the open study shows no prior, for the status bar; empty when it has one or no other study.
  QString noPriorNote() const;
  ImageViewer* viewer() const { return viewer_; }
  QLabel* header() const { return header_; }
  QPushButton* reportButton() const { return reportButton_; }

 public slots:
  // The prior's signed report, read-only, with "Copy to COMPARISON"; window-modal, returned open
  // (nothing when there is no prior).
  QDialog* showPriorReport();

 signals:
  // The COMPARISON line for `studyId`'s report; the window applies it only while that study is open.
  void comparisonRequested(qint64 studyId, const QString& line);
  // The prior's image is on screen (or the prior could not be decoded: `shown` false).
  void priorLoaded(bool shown);

 private:
  void updateVisibility();
  void follow(ImageViewer* from, ImageViewer* to);
  QString reportText() const;

  app::Site& site_;
  std::shared_ptr<const app::ImageLoader> images_;
  app::ReportService& reports_;
  ImageViewer* current_;
  ImageViewer* viewer_;
  QLabel* header_;
  QLabel* match_;
  QPushButton* reportButton_;
  int64_t studyId_ = 0;
  app::PatientStudies studies_;
  bool wanted_ = true;
  bool linking_ = false;  // one viewer is following the other: its change is not sent back
  int loads_ = 0;         // the latest prior load; an older one finishing late is dropped
};

}  // namespace fedmrg::ui
