#include "app/site/patient_identity.h"

#include <QDate>
#include <QString>
#include <QStringList>

namespace fedmrg::app {
namespace {

QDate parseDicomDate(const std::string& da) {
  return da.size() == 8 ? QDate::fromString(QString::fromStdString(da), QStringLiteral("yyyyMMdd")) : QDate();
}

// Whole months from `from` to `to` (to >= from).
int wholeMonths(const QDate& from, const QDate& to) {
  int months = (to.year() - from.year()) * 12 + (to.month() - from.month());
  if (to.day() < from.day()) --months;
  return months;
}

}  // namespace

std::string displayPersonName(const std::string& dicomName) {
  const QStringList parts = QString::fromStdString(dicomName).split(QLatin1Char('^'));
  if (parts.size() < 2) return QString::fromStdString(dicomName).trimmed().toStdString();
  const QString family = parts[0].trimmed();
  QStringList given;
  for (int i = 1; i < parts.size() && i < 3; ++i)  // given and middle names; prefix and suffix are left out
    if (!parts[i].trimmed().isEmpty()) given << parts[i].trimmed();
  if (given.isEmpty()) return family.toStdString();
  if (family.isEmpty()) return given.join(QLatin1Char(' ')).toStdString();
  return (family + QStringLiteral(", ") + given.join(QLatin1Char(' '))).toStdString();
}

std::string displayDate(const std::string& dicomDate) {
  const QDate d = parseDicomDate(dicomDate);
  return d.isValid() ? d.toString(Qt::ISODate).toStdString() : dicomDate;
}

std::string ageOn(const std::string& birthDate, const std::string& onDate) {
  const QDate born = parseDicomDate(birthDate), on = parseDicomDate(onDate);
  if (!born.isValid() || !on.isValid() || born > on) return {};
  const int months = wholeMonths(born, on);
  if (months >= 24) return std::to_string(months / 12) + " y";
  if (months >= 1) return std::to_string(months) + " mo";
  return std::to_string(born.daysTo(on)) + " d";
}

PatientIdentity patientIdentity(const StudySummary& study) {
  PatientIdentity id;
  id.studyId = study.id;
  id.name = displayPersonName(study.patientName);
  id.patientId = study.patientId;
  id.birthDate = displayDate(study.patientBirthDate);
  id.age = ageOn(study.patientBirthDate, study.studyDate);
  const std::string& code = study.patientSex;
  id.sex = code == "F" ? "female" : code == "M" ? "male" : code == "O" ? "other" : code;
  id.studyDate = displayDate(study.studyDate);
  id.accessionNumber = study.accessionNumber;
  return id;
}

}  // namespace fedmrg::app
