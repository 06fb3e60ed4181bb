#include "ui/patient_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStringList>
#include <QVBoxLayout>

#include "app/site/patient_identity.h"
#include "app/site/study_catalog.h"

namespace fedmrg::ui {
namespace {

QString orDash(const std::string& value) {
  return value.empty() ? QStringLiteral("—") : QString::fromStdString(value);
}

// app::patientIdentity's words for the DICOM sex codes, shown in the reader's language; a code it
// does not know is shown as it is.
[[maybe_unused]] constexpr const char* kSexWords[] = {QT_TRANSLATE_NOOP("fedmrg::ui::PatientBanner", "female"),
                                                      QT_TRANSLATE_NOOP("fedmrg::ui::PatientBanner", "male"),
                                                      QT_TRANSLATE_NOOP("fedmrg::ui::PatientBanner", "other")};

}  // namespace

PatientBanner::PatientBanner(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("patientBanner"));
  setFrameShape(QFrame::StyledPanel);
  setStyleSheet(QStringLiteral("#patientBanner { background: #1f2d3d; border-radius: 4px; } "
                               "#patientBanner QLabel { color: white; }"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 4, 8, 4);
  layout->setSpacing(2);
  auto* top = new QHBoxLayout;
  name_ = new QLabel(this);
  name_->setTextFormat(Qt::PlainText);  // DICOM text is never markup: "<b>X</b>" shows as typed
  name_->setObjectName(QStringLiteral("patientName"));
  name_->setStyleSheet(QStringLiteral("font-weight: bold; font-size: 14pt;"));
  id_ = new QLabel(this);
  id_->setTextFormat(Qt::PlainText);
  id_->setObjectName(QStringLiteral("patientId"));
  id_->setStyleSheet(QStringLiteral("font-weight: bold; font-size: 14pt;"));
  id_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  top->addWidget(name_, 1);
  top->addWidget(id_);
  layout->addLayout(top);
  details_ = new QLabel(this);
  details_->setTextFormat(Qt::PlainText);
  details_->setObjectName(QStringLiteral("patientDetails"));
  details_->setWordWrap(true);
  layout->addWidget(details_);
  name_->setText(tr("No study open"));
}

void PatientBanner::showStudy(app::Site& site, int64_t studyId) {
  studyId_ = studyId;
  const auto study = studyId ? app::findStudy(site, studyId) : std::nullopt;
  if (!study) {
    name_->setText(studyId ? tr("Unknown study") : tr("No study open"));
    id_->clear();
    details_->clear();
    return;
  }
  const app::PatientIdentity who = app::patientIdentity(*study);
  name_->setText(orDash(who.name));
  id_->setText(QString::fromStdString(who.patientId));
  const QString born = who.age.empty() ? orDash(who.birthDate)
                                       : tr("%1 (%2)").arg(orDash(who.birthDate), QString::fromStdString(who.age));
  details_->setText(tr("ID %1 · born %2 · sex %3 · study %4 · accession %5")
                        .arg(orDash(who.patientId), born, who.sex.empty() ? orDash(who.sex) : tr(who.sex.c_str()),
                             orDash(who.studyDate), orDash(who.accessionNumber)));
}

QString PatientBanner::patientId() const { return id_->text(); }

QString PatientBanner::text() const {
  return QStringList{name_->text(), id_->text(), details_->text()}.join(QLatin1Char('\n'));
}

}  // namespace fedmrg::ui
