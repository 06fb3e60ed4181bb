#include "ui/prior_panel.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "app/site/audit_trail.h"
#include "app/site/image_loader.h"
#include "app/site/patient_identity.h"
#include "app/site/prior_report.h"
#include "app/site/report_service.h"
#include "app/site/study_catalog.h"
#include "app/site/view_link.h"
#include "ui/image_viewer.h"

namespace fedmrg::ui {
namespace {

// Amber, unlike the patient banner's blue and the report status colours: the prior's header must
// not look like anything that belongs to the open study.
constexpr const char* kPriorStyle =
    "QLabel { background: #b36b00; color: white; font-weight: bold; font-size: 12pt; padding: 4px; }";

QString priorTitle(const app::StudySummary& prior) {
  return QObject::tr("PRIOR — %1 — %2")
      .arg(QString::fromStdString(app::displayDate(prior.studyDate)),
           QString::fromStdString(prior.description.empty() ? prior.modality : prior.description));
}

}  // namespace

PriorPanel::PriorPanel(app::Site& site, std::shared_ptr<const app::ImageLoader> images, app::ReportService& reports,
                       ImageViewer* current, QWidget* parent)
    : QFrame(parent), site_(site), images_(std::move(images)), reports_(reports), current_(current) {
  setObjectName(QStringLiteral("priorPanel"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  auto* top = new QHBoxLayout;
  top->setSpacing(0);
  header_ = new QLabel(this);
  header_->setTextFormat(Qt::PlainText);  // the prior's description and date come from DICOM
  header_->setObjectName(QStringLiteral("priorHeader"));
  header_->setStyleSheet(QString::fromLatin1(kPriorStyle));
  header_->setWordWrap(true);  // a narrow panel wraps the header rather than widening itself
  reportButton_ = new QPushButton(tr("Prior report…"), this);
  reportButton_->setToolTip(tr("The prior's signed report, read-only (Alt+Shift+P)"));
  top->addWidget(header_, 1);
  top->addWidget(reportButton_);
  layout->addLayout(top);
  match_ = new QLabel(this);
  match_->setTextFormat(Qt::PlainText);
  match_->setStyleSheet(QString::fromLatin1(kPriorStyle) + QStringLiteral(" QLabel { font-size: 10pt; }"));
  match_->setWordWrap(true);
  match_->hide();
  layout->addWidget(match_);
  viewer_ = new ImageViewer(this);
  viewer_->setAccessibleName(tr("Prior image viewer"));
  layout->addWidget(viewer_, 1);

  connect(reportButton_, &QPushButton::clicked, this, &PriorPanel::showPriorReport);
  connect(current_, &ImageViewer::viewChanged, this, [this] { follow(current_, viewer_); });
  connect(viewer_, &ImageViewer::viewChanged, this, [this] { follow(viewer_, current_); });
  hide();
}

PriorPanel::~PriorPanel() = default;

void PriorPanel::follow(ImageViewer* from, ImageViewer* to) {
  if (linking_ || !isVisible() || !from->hasImage() || !to->hasImage()) return;
  linking_ = true;
  app::ViewState state = to->viewState();
  app::followLinkedView(state, app::linkedView(from->viewState(), from->image()->width, from->image()->height),
                        to->image()->width, to->image()->height);
  to->setViewState(state);
  linking_ = false;
}

void PriorPanel::showPriorOf(int64_t studyId) {
  studyId_ = studyId;
  studies_ = studyId ? app::patientStudies(site_, studyId) : app::PatientStudies{};
  const int load = ++loads_;
  viewer_->clearImage();
  if (!studies_.prior) {
    updateVisibility();
    return;
  }
  header_->setText(priorTitle(*studies_.prior));
  // A match by name and birth date is said, with both IDs, so that the reader can judge it.
  match_->setVisible(studies_.priorMatch == app::PatientMatch::SameNameAndBirthDate);
  match_->setText(tr("Same name and birth date, other patient ID: %1 (open study: %2)")
                      .arg(QString::fromStdString(studies_.prior->patientId),
                           QString::fromStdString(studies_.current ? studies_.current->patientId : std::string())));
  updateVisibility();
  const auto files = app::studyImages(site_, studies_.prior->id);
  if (files.empty()) {
    emit priorLoaded(false);
    return;
  }
  auto* watcher = new QFutureWatcher<std::shared_ptr<const app::DisplayImage>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, load] {
    watcher->deleteLater();
    if (load != loads_) return;  // another study was opened meanwhile
    linking_ = true;             // the new image's own reset is not pushed onto the current viewer
    viewer_->setImage(watcher->result());
    linking_ = false;
    follow(current_, viewer_);
    emit priorLoaded(viewer_->hasImage());
  });
  watcher->setFuture(
      QtConcurrent::run([loader = images_, file = files.front().file]() -> std::shared_ptr<const app::DisplayImage> {
        try {
          return loader->load(file);
        } catch (const std::exception&) {
          return nullptr;  // the header stays, the viewer shows no image
        }
      }));
}

void PriorPanel::setWanted(bool wanted) {
  wanted_ = wanted;
  updateVisibility();
  if (isVisible()) follow(current_, viewer_);
}

void PriorPanel::updateVisibility() {
  const bool show = wanted_ && studies_.prior.has_value();
  if (show == isVisibleTo(parentWidget())) return;
  setVisible(show);
  // Shown again: half of the splitter each, so that the two films compare at the same size.
  if (auto* splitter = qobject_cast<QSplitter*>(parentWidget()); splitter && show) {
    const int half = splitter->width() / 2;
    splitter->setSizes({half, half});
  }
}

QString PriorPanel::noPriorNote() const {
  using NoPrior = app::PatientStudies::NoPrior;
  const int others = int(studies_.others.size());
  switch (studies_.whyNoPrior) {
    case NoPrior::CurrentUndated:
      return tr("No prior shown: this study has no date, so which of the patient's %1 other studies came before is "
                "unknown.")
          .arg(others);
    case NoPrior::OnlyLaterOrUndated:
      return studies_.undatedOthers
                 ? tr("No prior shown: the patient's other studies are later or have no date (%1 without a date).")
                       .arg(studies_.undatedOthers)
                 : tr("No prior: this is the patient's oldest study.");
    case NoPrior::NotNeeded:
    case NoPrior::NoOtherStudy: return {};
  }
  return {};
}

QString PriorPanel::reportText() const {
  const auto signedReport = app::latestSignedReport(reports_, studies_.prior->id);
  if (!signedReport) return tr("The prior has no signed report.");
  const auto& r = signedReport->report;
  QString text =
      r.status == app::ReportStatus::Final
          ? tr("FINAL — signed by %1, %2").arg(QString::fromStdString(r.author), QString::fromStdString(r.createdAt))
          : tr("PRELIMINARY — not final — signed by %1, %2")
                .arg(QString::fromStdString(r.author), QString::fromStdString(r.createdAt));
  text += QStringLiteral("\n\n") + tr("FINDINGS") + QLatin1Char('\n') + QString::fromStdString(r.findings);
  text += QStringLiteral("\n\n") + tr("IMPRESSION") + QLatin1Char('\n') + QString::fromStdString(r.impression);
  for (const auto& a : signedReport->addenda)
    text += QStringLiteral("\n\n") +
            tr("ADDENDUM — %1, %2").arg(QString::fromStdString(a.author), QString::fromStdString(a.createdAt)) +
            QLatin1Char('\n') + QString::fromStdString(a.findings);
  return text;
}

QDialog* PriorPanel::showPriorReport() {
  if (!studies_.prior) return nullptr;
  // Reading another study's report is an access like opening it (docs/workstation.md, "Audit log").
  app::recordAccess(site_, reports_.userId(), "report.view.prior", studies_.prior->id);
  auto* dialog = new QDialog(window());
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setObjectName(QStringLiteral("priorReportDialog"));
  dialog->setWindowTitle(tr("Prior report"));
  auto* layout = new QVBoxLayout(dialog);
  auto* title = new QLabel(priorTitle(*studies_.prior), dialog);
  title->setTextFormat(Qt::PlainText);
  title->setStyleSheet(QString::fromLatin1(kPriorStyle));
  layout->addWidget(title);
  auto* text = new QPlainTextEdit(reportText(), dialog);
  text->setObjectName(QStringLiteral("priorReportText"));
  text->setReadOnly(true);
  layout->addWidget(text, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
  auto* copy = buttons->addButton(tr("Copy to COMPARISON"), QDialogButtonBox::ActionRole);
  copy->setObjectName(QStringLiteral("copyComparison"));
  copy->setToolTip(tr("Puts \"COMPARISON: <date> <description>.\" first in the open study's findings"));
  const qint64 forStudy = studyId_;
  const QString line = QString::fromStdString(app::comparisonLine(*studies_.prior));
  connect(copy, &QPushButton::clicked, dialog, [this, dialog, forStudy, line] {
    emit comparisonRequested(forStudy, line);
    dialog->accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  layout->addWidget(buttons);
  dialog->resize(620, 480);
  dialog->open();
  return dialog;
}

}  // namespace fedmrg::ui
